/* yogamirror's stand-in for TensorFlow Lite 2.9's c_api_experimental.h.
 *
 * The prebuilt libtensorflowlite_c.so we use (npm tfjs-tflite-node@0.0.2) ships
 * c_api.h, c_api_types.h and common.h but not this header, which
 * github.com/mattn/go-tflite includes. It declares only what that library
 * exports (checked with nm -D), with the signatures of TFLite 2.9. */
#ifndef TENSORFLOW_LITE_C_C_API_EXPERIMENTAL_H_
#define TENSORFLOW_LITE_C_C_API_EXPERIMENTAL_H_

#include <stdbool.h>
#include <stdint.h>

#include "tensorflow/lite/c/c_api.h"
#include "tensorflow/lite/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* builtin_ops.h's enum, used here only as an integer op code. */
typedef int TfLiteBuiltinOperator;

TfLiteStatus TfLiteInterpreterResetVariableTensors(TfLiteInterpreter* interpreter);

void TfLiteInterpreterOptionsAddBuiltinOp(TfLiteInterpreterOptions* options,
                                          TfLiteBuiltinOperator op,
                                          const TfLiteRegistration* registration,
                                          int32_t min_version, int32_t max_version);

void TfLiteInterpreterOptionsAddCustomOp(TfLiteInterpreterOptions* options,
                                         const char* name,
                                         const TfLiteRegistration* registration,
                                         int32_t min_version, int32_t max_version);

void TfLiteInterpreterOptionsSetUseNNAPI(TfLiteInterpreterOptions* options, bool enable);

#ifdef __cplusplus
}
#endif

#endif /* TENSORFLOW_LITE_C_C_API_EXPERIMENTAL_H_ */

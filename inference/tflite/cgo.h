#ifndef YM_TFLITE_CGO_H
#define YM_TFLITE_CGO_H

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

#include "tensorflow/lite/c/c_api.h"

// XNNPACK's options in TFLite 2.9 (xnnpack_delegate.h is not shipped with the
// library; TfLiteXNNPackDelegateOptionsDefault returns this 8-byte struct).
typedef struct {
	int32_t num_threads;
	uint32_t flags; // 1: signed int8 kernels, 2: unsigned int8 kernels
} ym_xnnpack_options;

TfLiteDelegate* TfLiteXNNPackDelegateCreate(const ym_xnnpack_options* options);
void TfLiteXNNPackDelegateDelete(TfLiteDelegate* delegate);

void ym_set_reporter(TfLiteInterpreterOptions* o, uintptr_t handle);

typedef struct {
	void* lib;
	void* destroy;
	TfLiteDelegate* delegate;
	char error[640];
} ym_external;

ym_external ym_external_open(const char* path, char** keys, char** values, size_t n);
void ym_external_close(ym_external* e);

#endif

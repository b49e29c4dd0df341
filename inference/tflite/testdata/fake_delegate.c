// A fake Edge TPU runtime for edgetpu_test.go: it exports the two functions
// of TFLite's external delegate plugin ABI, as libedgetpu.so.1 does, and
// records what happens to it by appending lines to the file named by the
// "fake_log" option:
//
//   create <key>=<value> ...   the options it was created with, in order
//   prepare nodes=<n>          TFLite asked it to claim nodes (it claims none,
//                              so TFLite's CPU kernels run the whole graph)
//   destroy                    the delegate was destroyed
//
// The "fake_mode" option changes its behaviour:
//   nodevice        report "Failed to find an Edge TPU device" and return NULL
//   silent          return NULL without reporting anything
//   prepare_error   Prepare returns kTfLiteError
//
// Built by the test: gcc -shared -fPIC -I build/tflite/include.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensorflow/lite/c/common.h"

typedef struct {
	TfLiteDelegate base; // first, so a TfLiteDelegate* is a fake*
	char log[1024];
	int prepare_error;
} fake;

static void fake_log(const fake* f, const char* line) {
	if (!f->log[0]) return;
	FILE* out = fopen(f->log, "a");
	if (!out) return;
	fprintf(out, "%s\n", line);
	fclose(out);
}

static TfLiteStatus fake_prepare(TfLiteContext* context, TfLiteDelegate* delegate) {
	fake* f = (fake*)delegate;
	TfLiteIntArray* plan = NULL;
	char line[64];
	if (context->GetExecutionPlan(context, &plan) != kTfLiteOk) return kTfLiteError;
	snprintf(line, sizeof line, "prepare nodes=%d", plan->size);
	fake_log(f, line);
	if (f->prepare_error) {
		context->ReportError(context, "fake delegate: Prepare failed on purpose");
		return kTfLiteError;
	}
	return kTfLiteOk;
}

static const char* option(char** keys, char** values, size_t n, const char* key) {
	for (size_t i = 0; i < n; i++) {
		if (strcmp(keys[i], key) == 0) return values[i];
	}
	return "";
}

TfLiteDelegate* tflite_plugin_create_delegate(char** keys, char** values, size_t n,
                                              void (*report_error)(const char*)) {
	const char* mode = option(keys, values, n, "fake_mode");
	fake* f = calloc(1, sizeof *f);
	if (!f) return NULL;
	snprintf(f->log, sizeof f->log, "%s", option(keys, values, n, "fake_log"));
	char line[2048] = "create";
	for (size_t i = 0; i < n; i++) {
		size_t used = strlen(line);
		snprintf(line + used, sizeof line - used, " %s=%s", keys[i], values[i]);
	}
	fake_log(f, line);
	if (strcmp(mode, "nodevice") == 0 || strcmp(mode, "silent") == 0) {
		if (mode[0] == 'n' && report_error) report_error("Failed to find an Edge TPU device");
		free(f);
		return NULL;
	}
	f->prepare_error = strcmp(mode, "prepare_error") == 0;
	f->base.data_ = f;
	f->base.Prepare = fake_prepare;
	f->base.flags = kTfLiteDelegateFlagsNone;
	return &f->base;
}

void tflite_plugin_destroy_delegate(TfLiteDelegate* delegate) {
	fake* f = (fake*)delegate;
	fake_log(f, "destroy");
	free(f);
}

//go:build tflite

// C half of the tflite package: an error reporter that formats TFLite's
// messages properly (go-tflite v1.0.1 passes a va_list to asprintf, which
// garbles them) and the Edge TPU external-delegate loader.
#include "cgo.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

extern void ymReport(uintptr_t handle, char* msg);

static void ym_reporter(void* user, const char* format, va_list args) {
	char buf[1024];
	vsnprintf(buf, sizeof buf, format, args);
	ymReport((uintptr_t)user, buf);
}

void ym_set_reporter(TfLiteInterpreterOptions* o, uintptr_t handle) {
	TfLiteInterpreterOptionsSetErrorReporter(o, ym_reporter, (void*)handle);
}

// The plugin reports errors through a plain callback with no user pointer;
// delegate creation is serialised on the Go side, so one buffer is enough.
static char ym_plugin_error[512];

static void ym_plugin_report(const char* msg) {
	snprintf(ym_plugin_error, sizeof ym_plugin_error, "%s", msg ? msg : "");
}

typedef TfLiteDelegate* (*ym_create_fn)(char**, char**, size_t, void (*)(const char*));
typedef void (*ym_destroy_fn)(TfLiteDelegate*);

ym_external ym_external_open(const char* path, char** keys, char** values, size_t n) {
	ym_external e;
	memset(&e, 0, sizeof e);
	ym_plugin_error[0] = 0;
	e.lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!e.lib) {
		snprintf(e.error, sizeof e.error, "%s", dlerror());
		return e;
	}
	ym_create_fn create = (ym_create_fn)dlsym(e.lib, "tflite_plugin_create_delegate");
	e.destroy = dlsym(e.lib, "tflite_plugin_destroy_delegate");
	if (!create || !e.destroy) {
		snprintf(e.error, sizeof e.error, "%s does not export tflite_plugin_create_delegate/tflite_plugin_destroy_delegate", path);
		dlclose(e.lib);
		e.lib = NULL;
		return e;
	}
	e.delegate = create(keys, values, n, ym_plugin_report);
	if (!e.delegate) {
		snprintf(e.error, sizeof e.error, "delegate creation failed%s%s",
			ym_plugin_error[0] ? ": " : " (no device found?)", ym_plugin_error);
		dlclose(e.lib);
		e.lib = NULL;
	}
	return e;
}

void ym_external_close(ym_external* e) {
	if (e->delegate && e->destroy) ((ym_destroy_fn)e->destroy)(e->delegate);
	if (e->lib) dlclose(e->lib);
	e->delegate = NULL;
	e->lib = NULL;
}

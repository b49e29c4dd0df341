//go:build tflite

package tflite

/*
#include "cgo.h"
*/
import "C"

import (
	"fmt"
	"sort"
	"sync"
	"unsafe"
)

// delegate is a TfLiteDelegate we created; it satisfies go-tflite's Delegater.
type delegate struct {
	ptr      *C.TfLiteDelegate
	external *C.ym_external // set for external (Edge TPU) delegates
}

func (d *delegate) Ptr() unsafe.Pointer { return unsafe.Pointer(d.ptr) }

func (d *delegate) Delete() {
	switch {
	case d.external != nil:
		C.ym_external_close(d.external)
		C.free(unsafe.Pointer(d.external))
		d.external = nil
	case d.ptr != nil:
		C.TfLiteXNNPackDelegateDelete(d.ptr)
	}
	d.ptr = nil
}

// xnnpackFlags enables XNNPACK's unsigned int8 kernels (flag 2), so the
// quantized MoveNet runs on XNNPACK too (TFLite 2.9 leaves them off by
// default). The signed flag (1) makes XNNPACK fail to prepare MoveNet.
const xnnpackFlags = 2

func newXNNPACK(threads int) *delegate {
	opts := C.ym_xnnpack_options{num_threads: C.int32_t(threads), flags: xnnpackFlags}
	p := C.TfLiteXNNPackDelegateCreate(&opts)
	if p == nil {
		return nil
	}
	return &delegate{ptr: p}
}

// externalMu serialises external delegate creation: the plugin's error
// callback has no user pointer, so the C side keeps one shared buffer.
var externalMu sync.Mutex

func newExternal(lib string, options map[string]string) (*delegate, error) {
	externalMu.Lock()
	defer externalMu.Unlock()
	keys := make([]string, 0, len(options))
	for k := range options {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	n := len(keys)
	ck := (**C.char)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(uintptr(0)))))
	cv := (**C.char)(C.calloc(C.size_t(n+1), C.size_t(unsafe.Sizeof(uintptr(0)))))
	defer C.free(unsafe.Pointer(ck))
	defer C.free(unsafe.Pointer(cv))
	ks, vs := unsafe.Slice(ck, n+1), unsafe.Slice(cv, n+1)
	for j, k := range keys {
		ks[j], vs[j] = C.CString(k), C.CString(options[k])
	}
	defer func() {
		for j := 0; j < n; j++ {
			C.free(unsafe.Pointer(ks[j]))
			C.free(unsafe.Pointer(vs[j]))
		}
	}()
	clib := C.CString(lib)
	defer C.free(unsafe.Pointer(clib))
	e := (*C.ym_external)(C.malloc(C.size_t(unsafe.Sizeof(C.ym_external{}))))
	*e = C.ym_external_open(clib, ck, cv, C.size_t(n))
	if e.delegate == nil {
		msg := C.GoString(&e.error[0])
		C.free(unsafe.Pointer(e))
		return nil, fmt.Errorf("edge TPU delegate %s: %s", lib, msg)
	}
	return &delegate{ptr: e.delegate, external: e}, nil
}

// addDelegate attaches the requested delegate to the options and records
// which back end will run the model.
func (i *Interpreter) addDelegate(o Options, threads int) error {
	switch o.Delegate {
	case DelegateCPU:
		i.backend = DelegateCPU
		return nil
	case DelegateAuto, DelegateXNNPACK:
		return i.useXNNPACK(threads, o.Delegate == DelegateXNNPACK)
	case DelegateEdgeTPU:
		lib := o.EdgeTPULibrary
		if lib == "" {
			lib = "libedgetpu.so.1"
		}
		opts := map[string]string{}
		for k, v := range o.EdgeTPUOptions {
			opts[k] = v
		}
		if o.EdgeTPUDevice != "" {
			opts["device"] = o.EdgeTPUDevice
		}
		d, err := newExternal(lib, opts)
		if err != nil {
			if o.RequireEdgeTPU {
				return err
			}
			i.notice = err.Error() + "; running on the CPU"
			return i.useXNNPACK(threads, false)
		}
		i.delegate, i.backend = d, DelegateEdgeTPU
		i.opts.AddDelegate(d)
		return nil
	}
	return fmt.Errorf("unknown delegate %q (want cpu, xnnpack or edgetpu)", o.Delegate)
}

func (i *Interpreter) useXNNPACK(threads int, required bool) error {
	d := newXNNPACK(threads)
	if d == nil {
		if required {
			return fmt.Errorf("cannot create the XNNPACK delegate")
		}
		i.backend = DelegateCPU
		return nil
	}
	i.delegate, i.backend = d, DelegateXNNPACK
	i.opts.AddDelegate(d)
	return nil
}

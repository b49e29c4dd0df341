//go:build tflite

package tflite

/*
#cgo linux LDFLAGS: -ldl
#include "cgo.h"
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"strings"
	"sync"
	"unsafe"

	"github.com/yogamirror/yogamirror/inference/tflitefile"

	gotflite "github.com/mattn/go-tflite"
)

// Interpreter is a loaded model ready to run. Not safe for concurrent use.
type Interpreter struct {
	name     string
	data     unsafe.Pointer // C copy of the flatbuffer; TFLite reads it for the model's lifetime
	model    *C.TfLiteModel
	opts     *gotflite.InterpreterOptions
	it       *gotflite.Interpreter
	delegate *delegate
	report   *reporter
	handle   cgo.Handle
	inputs   []TensorInfo
	outputs  []TensorInfo
	backend  Delegate
	notice   string
}

// reporter collects what TFLite says while building an interpreter.
type reporter struct {
	mu   sync.Mutex
	msgs []string
}

//export ymReport
func ymReport(h C.uintptr_t, msg *C.char) {
	r := cgo.Handle(h).Value().(*reporter)
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.msgs) < 32 {
		r.msgs = append(r.msgs, strings.TrimSpace(C.GoString(msg)))
	}
}

func (r *reporter) take() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := strings.Join(r.msgs, "; ")
	r.msgs = nil
	return s
}

// Version is the TensorFlow Lite runtime version, e.g. "2.9.0".
func Version() string { return C.GoString(C.TfLiteVersion()) }

// Load reads a .tflite file and builds an interpreter for it.
func Load(path string, o Options) (*Interpreter, error) {
	data, err := readModel(path, o)
	if err != nil {
		return nil, err
	}
	return build(path, data, o)
}

// LoadBytes builds an interpreter from a model held in memory; name is used in errors.
// The bytes are copied.
func LoadBytes(name string, data []byte, o Options) (*Interpreter, error) {
	if err := checkModel(name, data); err != nil {
		return nil, err
	}
	return build(name, data, o)
}

func build(name string, data []byte, o Options) (*Interpreter, error) {
	i, err := create(name, data, o)
	if err == nil {
		if i.backend == DelegateEdgeTPU && !compiledForEdgeTPU(data) {
			// The delegate only takes edgetpu_compiler's custom op.
			i.notice = fmt.Sprintf("%s is not compiled for the Edge TPU (no %s op): the CPU runs all of it; use the *_edgetpu.tflite model", name, edgeTPUOp)
		}
		return i, nil
	}
	switch {
	case o.Delegate == DelegateAuto:
		// XNNPACK cannot take every graph; the built-in kernels can.
		if i, err2 := create(name, data, Options{Threads: o.Threads, Delegate: DelegateCPU}); err2 == nil {
			i.notice = "XNNPACK could not run this model; using the built-in kernels"
			return i, nil
		}
	case o.Delegate == DelegateEdgeTPU && !o.RequireEdgeTPU:
		// libedgetpu fails in Prepare for models compiled for a newer runtime.
		if i, err2 := build(name, data, Options{Threads: o.Threads}); err2 == nil {
			i.notice = fmt.Sprintf("the Edge TPU delegate could not take %s (%v); running on the CPU", name, err)
			return i, nil
		}
	}
	return i, err
}

// edgeTPUOp is the custom op edgetpu_compiler puts in the models it compiles.
const edgeTPUOp = "edgetpu-custom-op"

func compiledForEdgeTPU(data []byte) bool {
	ops, err := tflitefile.ReadOpCodes(data)
	if err != nil {
		return false
	}
	for _, op := range ops {
		if op.Custom == edgeTPUOp {
			return true
		}
	}
	return false
}

func create(name string, data []byte, o Options) (_ *Interpreter, err error) {
	i := &Interpreter{name: name, report: &reporter{}}
	defer func() {
		if err != nil {
			i.Close()
		}
	}()
	i.handle = cgo.NewHandle(i.report)
	i.data = C.CBytes(data)
	i.model = C.TfLiteModelCreate(i.data, C.size_t(len(data)))
	if i.model == nil {
		return nil, fmt.Errorf("tflite: %s: the runtime rejected the flatbuffer (corrupt or truncated)", name)
	}
	i.opts = gotflite.NewInterpreterOptions()
	if i.opts == nil {
		return nil, fmt.Errorf("tflite: %s: cannot create interpreter options", name)
	}
	C.ym_set_reporter(rawOptions(i.opts), C.uintptr_t(i.handle))
	threads := o.Threads
	if threads <= 0 {
		threads = 1
	}
	i.opts.SetNumThread(threads)
	if err := i.addDelegate(o, threads); err != nil {
		return nil, fmt.Errorf("tflite: %s: %w", name, err)
	}
	i.it = gotflite.NewInterpreter(wrapModel(i.model), i.opts)
	if i.it == nil {
		msg := i.report.take()
		if i.delegate != nil && strings.Contains(msg, "failed to prepare") {
			return nil, fmt.Errorf("tflite: %s: the %s delegate failed: %s", name, i.backend, msg)
		}
		return nil, fmt.Errorf("tflite: %s: cannot build an interpreter: %s%s", name, msg, opsHint(data))
	}
	if st := i.it.AllocateTensors(); st != gotflite.OK {
		return nil, fmt.Errorf("tflite: %s: cannot allocate tensors: %s", name, i.report.take())
	}
	i.inputs = describe(i.it.GetInputTensorCount(), i.it.GetInputTensor)
	i.outputs = describe(i.it.GetOutputTensorCount(), i.it.GetOutputTensor)
	return i, nil
}

// opsHint lists the model's op versions when TFLite refused them, so the user
// sees which op needs a newer runtime.
func opsHint(data []byte) string {
	ops, err := tflitefile.ReadOpCodes(data)
	if err != nil || len(ops) == 0 {
		return ""
	}
	parts := make([]string, len(ops))
	for k, op := range ops {
		parts[k] = fmt.Sprintf("%s v%d", op.Name(), op.Version)
	}
	return fmt.Sprintf(" (model ops: %s; this runtime is TensorFlow Lite %s)", strings.Join(parts, ", "), Version())
}

func describe(n int, get func(int) *gotflite.Tensor) []TensorInfo {
	out := make([]TensorInfo, n)
	for k := range out {
		t := get(k)
		info := TensorInfo{Name: t.Name(), Type: TensorType(t.Type())}
		info.TypeName = info.Type.String()
		for d := 0; d < t.NumDims(); d++ {
			info.Shape = append(info.Shape, t.Dim(d))
		}
		q := t.QuantizationParams()
		info.Scale, info.ZeroPoint = float32(q.Scale), int32(q.ZeroPoint)
		out[k] = info
	}
	return out
}

// Inputs describes the input tensors.
func (i *Interpreter) Inputs() []TensorInfo { return i.inputs }

// Outputs describes the output tensors.
func (i *Interpreter) Outputs() []TensorInfo { return i.outputs }

// Backend says what runs the model: cpu, xnnpack or edgetpu.
func (i *Interpreter) Backend() Delegate { return i.backend }

// Notice is a one-line explanation when the requested delegate was not used
// (e.g. the Edge TPU library is missing and the CPU runs the model), else "".
func (i *Interpreter) Notice() string { return i.notice }

func (i *Interpreter) input(k int, want TensorType) (unsafe.Pointer, int, error) {
	if k < 0 || k >= len(i.inputs) {
		return nil, 0, fmt.Errorf("tflite: %s: no input %d", i.name, k)
	}
	if got := i.inputs[k].Type; got != want {
		return nil, 0, fmt.Errorf("tflite: %s: input %d is %v, not %v", i.name, k, got, want)
	}
	return i.it.GetInputTensor(k).Data(), i.inputs[k].Elements(), nil
}

// Uint8Input returns input k's memory. It aliases the tensor and is valid only
// until the next Invoke (TFLite may move dynamic tensors): look it up each time.
func (i *Interpreter) Uint8Input(k int) ([]uint8, error) {
	p, n, err := i.input(k, UInt8)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*uint8)(p), n), nil
}

// Int8Input returns input k's memory; it aliases the tensor; valid until the next Invoke.
func (i *Interpreter) Int8Input(k int) ([]int8, error) {
	p, n, err := i.input(k, Int8)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*int8)(p), n), nil
}

// Float32Input returns input k's memory; it aliases the tensor; valid until the next Invoke.
func (i *Interpreter) Float32Input(k int) ([]float32, error) {
	p, n, err := i.input(k, Float32)
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*float32)(p), n), nil
}

// Invoke runs the model on the current inputs.
func (i *Interpreter) Invoke() error {
	if i.it.Invoke() != gotflite.OK {
		return fmt.Errorf("tflite: %s: invoke failed: %s", i.name, i.report.take())
	}
	return nil
}

// Output copies output k into dst (grown as needed) as float32, dequantizing
// uint8/int8 outputs, and returns it. dst is owned by the caller.
func (i *Interpreter) Output(k int, dst []float32) ([]float32, error) {
	if k < 0 || k >= len(i.outputs) {
		return dst, fmt.Errorf("tflite: %s: no output %d", i.name, k)
	}
	info := i.outputs[k]
	n := info.Elements()
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	p := i.it.GetOutputTensor(k).Data()
	switch info.Type {
	case Float32:
		copy(dst, unsafe.Slice((*float32)(p), n))
	case UInt8:
		for j, v := range unsafe.Slice((*uint8)(p), n) {
			dst[j] = info.Scale * float32(int32(v)-info.ZeroPoint)
		}
	case Int8:
		for j, v := range unsafe.Slice((*int8)(p), n) {
			dst[j] = info.Scale * float32(int32(v)-info.ZeroPoint)
		}
	default:
		return dst, fmt.Errorf("tflite: %s: output %d has unsupported type %v", i.name, k, info.Type)
	}
	return dst, nil
}

// Close frees the interpreter, the model and the delegate. Safe to call twice.
func (i *Interpreter) Close() error {
	if i.it != nil {
		i.it.Delete()
		i.it = nil
	}
	if i.opts != nil {
		i.opts.Delete()
		i.opts = nil
	}
	if i.delegate != nil {
		i.delegate.Delete()
		i.delegate = nil
	}
	if i.model != nil {
		C.TfLiteModelDelete(i.model)
		i.model = nil
	}
	if i.data != nil {
		C.free(i.data)
		i.data = nil
	}
	if i.handle != 0 {
		i.handle.Delete()
		i.handle = 0
	}
	return nil
}

// go-tflite v1.0.1's Model and InterpreterOptions are structs holding a single
// C pointer. We create the model ourselves (so we own, and free, its bytes) and
// install our own error reporter, so we convert between the two views here;
// the pinned version and the tests that load real models guard the layout.
type cPointer struct{ p unsafe.Pointer }

func wrapModel(m *C.TfLiteModel) *gotflite.Model {
	return (*gotflite.Model)(unsafe.Pointer(&cPointer{unsafe.Pointer(m)}))
}

func rawOptions(o *gotflite.InterpreterOptions) *C.TfLiteInterpreterOptions {
	return (*C.TfLiteInterpreterOptions)((*cPointer)(unsafe.Pointer(o)).p)
}

// Package tflite owns the TensorFlow Lite runtime: loading a model from a file or
// bytes, describing its tensors, choosing a delegate (XNNPACK, an Edge TPU
// external delegate) and running it. It is the only importer of
// github.com/mattn/go-tflite; the cgo half is built with -tags tflite and a stub
// with the same API says "built without TensorFlow Lite" otherwise.
//
// An Interpreter is not safe for concurrent use: give each goroutine its own.
package tflite

import (
	"errors"
	"fmt"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/tflitefile"
)

// Delegate names an execution back end.
type Delegate string

const (
	DelegateAuto    Delegate = ""        // the fastest measured CPU path (XNNPACK)
	DelegateCPU     Delegate = "cpu"     // TFLite's built-in kernels only
	DelegateXNNPACK Delegate = "xnnpack" // XNNPACK, float and quantized
	DelegateEdgeTPU Delegate = "edgetpu" // Coral Edge TPU through an external delegate library
)

// Options configure an Interpreter. The zero value is a sensible default.
type Options struct {
	Threads  int      // 0 means 1: on 2-core boards the pipeline owns the other core
	Delegate Delegate // DelegateAuto when empty
	// EdgeTPULibrary is the external delegate library (default libedgetpu.so.1).
	EdgeTPULibrary string
	// EdgeTPUDevice is passed as the delegate's "device" option ("usb", "pci:0"…); empty lets it choose.
	EdgeTPUDevice string
	// RequireEdgeTPU turns a missing library or device into an error instead of a CPU fallback.
	RequireEdgeTPU bool
	// EdgeTPUOptions are extra key/value options for the external delegate.
	EdgeTPUOptions map[string]string
	// MaxModelBytes caps the model file Load reads (0: the default of
	// storage.ModelLimit).
	MaxModelBytes int64
}

// ErrNotBuilt is returned by every constructor when the binary was built without -tags tflite.
var ErrNotBuilt = errors.New("tflite: built without TensorFlow Lite support (rebuild with -tags tflite)")

// TensorType mirrors TfLiteType for the types models here use.
type TensorType int

const (
	NoType  TensorType = 0
	Float32 TensorType = 1
	Int32   TensorType = 2
	UInt8   TensorType = 3
	Int64   TensorType = 4
	Int8    TensorType = 9
)

func (t TensorType) String() string {
	switch t {
	case Float32:
		return "float32"
	case Int32:
		return "int32"
	case UInt8:
		return "uint8"
	case Int64:
		return "int64"
	case Int8:
		return "int8"
	}
	return fmt.Sprintf("type(%d)", int(t))
}

// TensorInfo describes one input or output tensor.
type TensorInfo struct {
	Name      string     `json:"name"`
	Type      TensorType `json:"-"`
	TypeName  string     `json:"type"`
	Shape     []int      `json:"shape"`
	Scale     float32    `json:"scale,omitempty"`      // quantization, 0 when not quantized
	ZeroPoint int32      `json:"zero_point,omitempty"` // quantization
}

// Elements is the product of the shape.
func (t TensorInfo) Elements() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// SameShape reports whether the tensor has exactly the given shape.
func (t TensorInfo) SameShape(want ...int) bool {
	if len(t.Shape) != len(want) {
		return false
	}
	for i := range want {
		if t.Shape[i] != want[i] {
			return false
		}
	}
	return true
}

// readModel reads and sanity-checks a model file before the runtime sees it, so
// the common mistakes get a message naming the file and the reason.
func readModel(path string, o Options) ([]byte, error) {
	data, err := storage.ReadFile(path, storage.ModelLimit(o.MaxModelBytes))
	if err != nil {
		return nil, fmt.Errorf("tflite: %w", err)
	}
	return data, checkModel(path, data)
}

func checkModel(name string, data []byte) error {
	if err := tflitefile.Check(name, data); err != nil {
		return fmt.Errorf("tflite: %w", err)
	}
	return nil
}

//go:build !tflite

package tflite

// Interpreter is a loaded model ready to run. This build has no TensorFlow
// Lite: every constructor returns ErrNotBuilt.
type Interpreter struct{}

// Version is the TensorFlow Lite runtime version; empty in this build.
func Version() string { return "" }

// Load returns ErrNotBuilt: this binary was built without -tags tflite.
func Load(path string, o Options) (*Interpreter, error) { return nil, ErrNotBuilt }

// LoadBytes returns ErrNotBuilt: this binary was built without -tags tflite.
func LoadBytes(name string, data []byte, o Options) (*Interpreter, error) {
	return nil, ErrNotBuilt
}

func (i *Interpreter) Inputs() []TensorInfo                { return nil }
func (i *Interpreter) Outputs() []TensorInfo               { return nil }
func (i *Interpreter) Backend() Delegate                   { return "" }
func (i *Interpreter) Notice() string                      { return "" }
func (i *Interpreter) Uint8Input(int) ([]uint8, error)     { return nil, ErrNotBuilt }
func (i *Interpreter) Int8Input(int) ([]int8, error)       { return nil, ErrNotBuilt }
func (i *Interpreter) Float32Input(int) ([]float32, error) { return nil, ErrNotBuilt }
func (i *Interpreter) Invoke() error                       { return ErrNotBuilt }
func (i *Interpreter) Close() error                        { return nil }

func (i *Interpreter) Output(k int, dst []float32) ([]float32, error) { return dst, ErrNotBuilt }

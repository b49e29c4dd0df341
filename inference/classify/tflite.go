package classify

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/tflitefile"

	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/tflite"
)

// Opts configure a Model.
type Opts struct {
	Path   string // .tflite file
	Labels string // labels file; optional when the model carries its labels
	TFLite tflite.Options
	// TopK is how many classes a Prediction keeps (default 3; negative: all).
	TopK int
	// MinPersonScore overrides DefaultMinPersonScore when > 0.
	MinPersonScore float32
	// MaxListBytes caps the labels file (0: storage.ListLimit's default);
	// TFLite.MaxModelBytes caps the model.
	MaxListBytes int64
}

// Model is a TFLite pose classifier in either supported format.
// Not safe for concurrent use.
type Model struct {
	path     string
	it       *tflite.Interpreter
	labels   []string
	format   string
	features Features
	tta      bool
	ref      pose.Reference
	topK     int
	minScore float32
	probs    []float32
	mirror   []float32
	checked  Integrity
}

// Load opens a classifier and works out its format from the file.
func Load(o Opts) (*Model, error) {
	data, err := storage.ReadFile(o.Path, storage.ModelLimit(o.TFLite.MaxModelBytes))
	if err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	meta, err := tflitefile.ReadMetadata(data, MetadataName)
	if err != nil {
		return nil, fmt.Errorf("classify: %s: %w", o.Path, err)
	}
	m := &Model{path: o.Path, topK: o.TopK, minScore: o.MinPersonScore}
	switch {
	case m.topK == 0:
		m.topK = 3
	case m.topK < 0:
		m.topK = 0 // every class
	}
	if m.minScore <= 0 {
		m.minScore = DefaultMinPersonScore
	}
	var spec *Spec
	if meta != nil {
		s, err := ParseSpec(meta)
		if err != nil {
			return nil, fmt.Errorf("classify: %s: %w", o.Path, err)
		}
		spec = &s
		m.format, m.features, m.labels = "yogamirror", s.Features, s.Labels
		m.tta, m.ref = s.MirrorTTA, s.Reference
	} else {
		m.format, m.features = "tf-tutorial", Features{Kind: FeatureRawYXS}
	}
	if m.checked, err = verify(o.Path, data, spec); err != nil {
		return nil, err
	}
	if o.Labels != "" {
		if m.labels, err = ReadLabels(o.Labels, o.MaxListBytes); err != nil {
			return nil, err
		}
	}
	if m.labels == nil {
		// The tutorial ships labels beside the model: try the usual names.
		for _, guess := range labelGuesses(o.Path) {
			if l, err := ReadLabels(guess, o.MaxListBytes); err == nil {
				m.labels = l
				break
			}
		}
		if m.labels == nil {
			return nil, fmt.Errorf("%w (model %s)", ErrNoLabels, o.Path)
		}
	}
	if m.it, err = tflite.LoadBytes(o.Path, data, o.TFLite); err != nil {
		return nil, fmt.Errorf("classify: %w", err)
	}
	if err := m.check(o.Path); err != nil {
		m.it.Close()
		return nil, err
	}
	return m, nil
}

func labelGuesses(model string) []string {
	dir, base := filepath.Dir(model), filepath.Base(model)
	stem := base[:len(base)-len(filepath.Ext(base))]
	guesses := []string{filepath.Join(dir, stem+"_labels.txt"), filepath.Join(dir, "labels.txt")}
	if i := len(stem) - len("_classifier"); i > 0 && stem[i:] == "_classifier" {
		guesses = append(guesses, filepath.Join(dir, stem[:i]+"_labels.txt"))
	}
	return guesses
}

func (m *Model) check(path string) error {
	ins, outs := m.it.Inputs(), m.it.Outputs()
	want := m.features.Len()
	if len(ins) != 1 || ins[0].Type != tflite.Float32 || !ins[0].SameShape(1, want) {
		return fmt.Errorf("classify: %s: input %+v, want one float32 [1 %d] tensor", path, ins, want)
	}
	if len(outs) != 1 || len(outs[0].Shape) != 2 || outs[0].Shape[0] != 1 {
		return fmt.Errorf("classify: %s: output %+v, want one [1 classes] tensor", path, outs)
	}
	if n := outs[0].Shape[1]; n != len(m.labels) {
		return fmt.Errorf("classify: %s: model has %d classes but there are %d labels", path, n, len(m.labels))
	}
	return nil
}

// Labels are the class names in output order.
func (m *Model) Labels() []string { return m.labels }

// Path is the model file.
func (m *Model) Path() string { return m.path }

// Integrity says how the model's bytes were checked at load.
func (m *Model) Integrity() Integrity { return m.checked }

// Format is "tf-tutorial" or "yogamirror".
func (m *Model) Format() string { return m.format }

// Reference is the per-pose joint-angle reference the model carries (nil
// for the tutorial format).
func (m *Model) Reference() pose.Reference { return m.ref }

// Classify names the pose. Classes are filled even when Person is false, so
// evaluation can still score the guess.
func (m *Model) Classify(p pose.Pose) (pose.Prediction, error) {
	var err error
	if m.probs, err = m.run(&p, m.probs); err != nil {
		return pose.Prediction{}, err
	}
	if m.tta {
		mp := p.Mirrored()
		if m.mirror, err = m.run(&mp, m.mirror); err != nil {
			return pose.Prediction{}, err
		}
		for i, v := range m.mirror {
			m.probs[i] = (m.probs[i] + v) / 2
		}
	}
	return pose.Prediction{
		Classes: TopK(m.probs, m.labels, m.topK),
		Person:  isPerson(&p, m.minScore),
		Pose:    p,
	}, nil
}

// run invokes the model on one pose and copies the probabilities into dst.
func (m *Model) run(p *pose.Pose, dst []float32) ([]float32, error) {
	// The input's address can move when TFLite re-plans dynamic tensors on
	// the first Invoke, so look it up every time (it is a field read).
	in, err := m.it.Float32Input(0)
	if err != nil {
		return dst, fmt.Errorf("classify: %w", err)
	}
	m.features.Fill(p, in)
	if err := m.it.Invoke(); err != nil {
		return dst, fmt.Errorf("classify: %w", err)
	}
	if dst, err = m.it.Output(0, dst); err != nil {
		return dst, fmt.Errorf("classify: %w", err)
	}
	for _, v := range dst {
		if math.IsNaN(float64(v)) {
			return dst, fmt.Errorf("classify: model produced NaN")
		}
	}
	return dst, nil
}

// Close frees the interpreter.
func (m *Model) Close() error { return m.it.Close() }

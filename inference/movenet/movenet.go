// Package movenet runs Google's MoveNet single-pose models (Lightning 192,
// Thunder 256; uint8, int8 or float32 input) through the tflite package: input
// preparation from any image, letterboxing, keypoints mapped back to source
// pixels, the crop region that follows the body across video frames, and a
// refinement pass for still images.
package movenet

import (
	"fmt"
	"image"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/catalog"
	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/tflite"
)

// Mode says how consecutive images relate.
type Mode int

const (
	// Still treats every image on its own: a letterboxed pass, then
	// Refine passes, each on the crop region the previous pass found; the
	// pass with the highest mean keypoint score wins (a crop that lost the
	// person never replaces a good full-frame result).
	Still Mode = iota
	// Video looks where the body was in the previous frame and falls back to
	// the full frame when the torso is lost.
	Video
)

// Opts configure an Estimator.
type Opts struct {
	Model  string         // path to the .tflite file
	TFLite tflite.Options // threads and delegate
	Mode   Mode
	// Refine is the number of extra passes per still image (default 2;
	// negative means none).
	Refine int
}

// Estimator runs MoveNet. Not safe for concurrent use.
type Estimator struct {
	it      *tflite.Interpreter
	size    int
	inType  tflite.TensorType
	inScale float32
	inZero  int32
	mode    Mode
	refine  int
	samp    *sampler
	rgb     []uint8 // size×size×3 samples before conversion to the tensor type
	out     []float32
	scratch *image.RGBA
	region  Region // Video mode: where to look in the next frame
	tracked bool
	invoke  time.Duration // time inside TFLite during the last Estimate
}

// New loads the model and checks that it has MoveNet's shape. The
// catalog's MoveNet is checked against its pinned sha256 first.
func New(o Opts) (*Estimator, error) {
	data, err := storage.ReadFile(o.Model, storage.ModelLimit(o.TFLite.MaxModelBytes))
	if err != nil {
		return nil, fmt.Errorf("movenet: %w", err)
	}
	if _, err := catalog.Verify(o.Model, data); err != nil {
		return nil, fmt.Errorf("movenet: %w", err)
	}
	it, err := tflite.LoadBytes(o.Model, data, o.TFLite)
	if err != nil {
		return nil, fmt.Errorf("movenet: %w", err)
	}
	e, err := newEstimator(it, o)
	if err != nil {
		it.Close()
		return nil, fmt.Errorf("movenet: %s: %w", o.Model, err)
	}
	return e, nil
}

func newEstimator(it *tflite.Interpreter, o Opts) (*Estimator, error) {
	ins, outs := it.Inputs(), it.Outputs()
	if len(ins) != 1 || len(outs) != 1 {
		return nil, fmt.Errorf("%d inputs and %d outputs, want 1 and 1: not a single-pose MoveNet", len(ins), len(outs))
	}
	in := ins[0]
	if len(in.Shape) != 4 || in.Shape[0] != 1 || in.Shape[1] != in.Shape[2] || in.Shape[3] != 3 || in.Shape[1] < 32 {
		return nil, fmt.Errorf("input shape %v, want [1 N N 3]", in.Shape)
	}
	switch in.Type {
	case tflite.UInt8, tflite.Int8, tflite.Float32:
	default:
		return nil, fmt.Errorf("input type %v, want uint8, int8 or float32", in.Type)
	}
	if !outs[0].SameShape(1, 1, pose.NumParts, 3) {
		return nil, fmt.Errorf("output shape %v, want [1 1 17 3]", outs[0].Shape)
	}
	refine := o.Refine
	if refine == 0 {
		refine = 2
	}
	n := in.Shape[1]
	return &Estimator{
		it: it, size: n, inType: in.Type, inScale: in.Scale, inZero: in.ZeroPoint,
		mode: o.Mode, refine: max(refine, 0), samp: newSampler(n),
		rgb: make([]uint8, n*n*3), out: make([]float32, pose.NumParts*3),
	}, nil
}

// InputSize is the model's square input side (192 for Lightning, 256 for Thunder).
func (e *Estimator) InputSize() int { return e.size }

// Backend says what runs the model (cpu, xnnpack, edgetpu).
func (e *Estimator) Backend() tflite.Delegate { return e.it.Backend() }

// Notice explains a delegate fallback, or is empty.
func (e *Estimator) Notice() string { return e.it.Notice() }

// Reset forgets the tracked region: the next Video frame starts from the full frame.
func (e *Estimator) Reset() { e.tracked = false }

// Estimate finds the person's keypoints in img, in img's pixel coordinates.
func (e *Estimator) Estimate(img image.Image) (pose.Pose, error) {
	e.invoke = 0
	src := asRGBA(img, &e.scratch)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	if w < 1 || h < 1 {
		return pose.Pose{}, fmt.Errorf("movenet: empty image")
	}
	if e.mode == Video {
		r := FullRegion(w, h)
		if e.tracked {
			r = e.region
		}
		p, err := e.Run(src, r)
		if err != nil {
			return p, err
		}
		e.region, e.tracked = CropRegion(&p), true
		return p, nil
	}
	r := FullRegion(w, h)
	last, err := e.Run(src, r)
	best := last
	for k := 0; k < e.refine && err == nil; k++ {
		next := CropRegion(&last)
		if next == r {
			break
		}
		r = next
		if last, err = e.Run(src, r); err == nil && last.MeanScore() > best.MeanScore() {
			best = last
		}
	}
	return best, err
}

// Run is one MoveNet pass over region r of img.
func (e *Estimator) Run(img *image.RGBA, r Region) (pose.Pose, error) {
	e.samp.fill(img, r, e.rgb)
	if err := e.setInput(); err != nil {
		return pose.Pose{}, err
	}
	t0 := time.Now()
	err := e.it.Invoke()
	e.invoke += time.Since(t0)
	if err != nil {
		return pose.Pose{}, fmt.Errorf("movenet: %w", err)
	}
	if e.out, err = e.it.Output(0, e.out); err != nil {
		return pose.Pose{}, fmt.Errorf("movenet: %w", err)
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	p := pose.Pose{Width: w, Height: h}
	for k := range p.Keypoints {
		y, x, s := e.out[3*k], e.out[3*k+1], e.out[3*k+2]
		p.Keypoints[k] = pose.Keypoint{
			X:     float32((r.XMin + float64(x)*(r.XMax-r.XMin)) * float64(w)),
			Y:     float32((r.YMin + float64(y)*(r.YMax-r.YMin)) * float64(h)),
			Score: s,
		}
	}
	return p, nil
}

func (e *Estimator) setInput() error {
	switch e.inType {
	case tflite.UInt8:
		dst, err := e.it.Uint8Input(0)
		if err != nil {
			return fmt.Errorf("movenet: %w", err)
		}
		copy(dst, e.rgb)
	case tflite.Int8:
		dst, err := e.it.Int8Input(0)
		if err != nil {
			return fmt.Errorf("movenet: %w", err)
		}
		for k, v := range e.rgb {
			dst[k] = quantizeInt8(float32(v), e.inScale, e.inZero)
		}
	case tflite.Float32:
		dst, err := e.it.Float32Input(0)
		if err != nil {
			return fmt.Errorf("movenet: %w", err)
		}
		for k, v := range e.rgb {
			dst[k] = float32(v)
		}
	}
	return nil
}

func quantizeInt8(v, scale float32, zero int32) int8 {
	if scale == 0 {
		return int8(int32(v) - 128)
	}
	q := int32(v/scale+0.5) + zero
	return int8(min(max(q, -128), 127))
}

// LastInvoke is the time the last Estimate spent inside TFLite's invoke
// (all passes): the rest of its time is this package's own work.
func (e *Estimator) LastInvoke() time.Duration { return e.invoke }

// Close frees the interpreter.
func (e *Estimator) Close() error { return e.it.Close() }

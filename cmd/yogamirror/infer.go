package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/yogamirror/yogamirror/device/camera/capture"
	"github.com/yogamirror/yogamirror/inference/catalog"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/movenet"
	"github.com/yogamirror/yogamirror/inference/tflite"
)

// inferFlags are the model flags detect, eval and train share.
type inferFlags struct {
	models     string
	movenet    string
	classifier string
	labels     string
	delegate   string
	threads    int
	refine     int
}

func (f *inferFlags) register(fs *flag.FlagSet, withClassifier bool) {
	fs.StringVar(&f.models, "models", defaultModelDir(), "models folder")
	fs.StringVar(&f.movenet, "movenet", "", "MoveNet .tflite (default: MODELS/"+catalog.MoveNetLightning+")")
	fs.StringVar(&f.delegate, "delegate", "", "TFLite back end: cpu, xnnpack, edgetpu (default: xnnpack, falling back to cpu)")
	fs.IntVar(&f.threads, "threads", 1, "TFLite threads per worker")
	fs.IntVar(&f.refine, "refine", 2, "extra MoveNet passes per still image, each on the crop around the person found by the previous one; the best-scoring pass wins (0: a single letterboxed pass)")
	if withClassifier {
		fs.StringVar(&f.classifier, "classifier", "", "pose classifier .tflite (default: MODELS/"+catalog.ClassifierFile+" when present, else MODELS/"+catalog.YogaClassifier+")")
		fs.StringVar(&f.labels, "labels", "", "labels file (optional for yogamirror's own models and when it sits beside the model)")
	}
}

func (f *inferFlags) tfliteOpts() tflite.Options {
	return tflite.Options{Delegate: tflite.Delegate(f.delegate), Threads: f.threads}
}

func (f *inferFlags) movenetPath() string {
	if f.movenet != "" {
		return f.movenet
	}
	return filepath.Join(f.models, catalog.MoveNetLightning)
}

// estimatorOpts builds MoveNet options; refine 0 means a single pass.
func (f *inferFlags) estimatorOpts(mode movenet.Mode) movenet.Opts {
	refine := f.refine
	if refine == 0 {
		refine = -1
	}
	return movenet.Opts{Model: f.movenetPath(), TFLite: f.tfliteOpts(), Mode: mode, Refine: refine}
}

// estimatorID names the estimator's model and settings for the keypoint cache.
func (f *inferFlags) estimatorID() (string, error) {
	h, err := catalog.ModelHash(f.movenetPath())
	if err != nil {
		return "", err
	}
	// v2: the resampler's left-edge tap was fixed
	return fmt.Sprintf("movenet-%s-refine%d-best-%s-v2", h, max(f.refine, 0), capture.Decoder), nil
}

// ensureModels fetches the default models into --models when MoveNet is
// missing there and was not named (as the daemon does on first start).
func (f *inferFlags) ensureModels(ctx context.Context, stderr io.Writer) error {
	if f.movenet != "" {
		return nil
	}
	bar := newProgress(stderr, "download")
	defer bar.finish()
	return catalog.Ensure(ctx, catalog.Opts{Dir: f.models, Mirror: os.Getenv("YOGAMIRROR_MODELS"),
		Progress: func(name string, done, total int64) { bar.bytes(name, done, total) }})
}

// openClassifier loads --classifier, or the default one when it is in the
// models folder; it returns nil, nil when there is none and none was asked for.
func (f *inferFlags) openClassifier(required bool) (*classify.Model, error) {
	path := f.classifier
	if path == "" {
		path = catalog.DefaultClassifier(f.models)
		if _, err := os.Stat(path); err != nil && !required {
			return nil, nil
		}
	}
	return classify.Load(classify.Opts{Path: path, Labels: f.labels, TFLite: tflite.Options{Delegate: tflite.DelegateCPU}, TopK: 5})
}

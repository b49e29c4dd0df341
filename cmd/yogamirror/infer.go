package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/device/camera/capture"
	"github.com/yogamirror/yogamirror/device/storage"
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
	limits     limitFlags
}

// limitFlags cap what the CLI reads, so a wrong path (a symlink to
// /dev/zero, a decompression bomb) fails at once with a message.
type limitFlags struct {
	modelMiB, imageMiB, listMiB int64
	megapixels                  float64
}

func (l *limitFlags) register(fs *flag.FlagSet) {
	fs.Int64Var(&l.modelMiB, "max-model-mib", storage.ModelLimit(0).Max>>20, "largest .tflite model read, MiB")
	fs.Int64Var(&l.imageMiB, "max-image-mib", storage.ImageLimit(0).Max>>20, "largest image file read, MiB")
	fs.Float64Var(&l.megapixels, "max-megapixels", camera.DefaultMaxPixels/1e6, "largest image decoded (checked from its header), megapixels; larger video frames are downscaled")
	fs.Int64Var(&l.listMiB, "max-list-mib", storage.ListLimit(0).Max>>20, "largest label file, keypoint CSV or split list read, MiB")
}

func (l *limitFlags) check(r *ranges) {
	r.int("max-model-mib", int(l.modelMiB), 1, 4096)
	r.int("max-image-mib", int(l.imageMiB), 1, 4096)
	r.int("max-list-mib", int(l.listMiB), 1, 4096)
	r.float("max-megapixels", l.megapixels, 0.01, 1000)
}

func (l *limitFlags) modelBytes() int64 { return l.modelMiB << 20 }
func (l *limitFlags) imageBytes() int64 { return l.imageMiB << 20 }
func (l *limitFlags) listBytes() int64  { return l.listMiB << 20 }
func (l *limitFlags) pixels() int       { return int(l.megapixels * 1e6) }

// cameraOpts are the capture limits.
func (l *limitFlags) cameraOpts() camera.Opts {
	return camera.Opts{MaxPixels: l.pixels(), MaxImageBytes: l.imageBytes()}
}

func (f *inferFlags) register(fs *flag.FlagSet, withClassifier bool) {
	fs.StringVar(&f.models, "models", defaultModelDir(), "models folder")
	fs.StringVar(&f.movenet, "movenet", "", "MoveNet .tflite (default: MODELS/"+catalog.MoveNetLightning+")")
	fs.StringVar(&f.delegate, "delegate", "", "TFLite back end: cpu, xnnpack, edgetpu (default: xnnpack, falling back to cpu)")
	fs.IntVar(&f.threads, "threads", 1, "TFLite threads per worker")
	f.limits.register(fs)
	fs.IntVar(&f.refine, "refine", 2, "extra MoveNet passes per still image, each on the crop around the person found by the previous one; the best-scoring pass wins (0: a single letterboxed pass)")
	if withClassifier {
		fs.StringVar(&f.classifier, "classifier", "", "pose classifier .tflite (default: MODELS/"+catalog.ClassifierFile+" when present, else MODELS/"+catalog.YogaClassifier+")")
		fs.StringVar(&f.labels, "labels", "", "labels file (optional for yogamirror's own models and when it sits beside the model)")
	}
}

// check adds the model flags that are out of range to r.
func (f *inferFlags) check(r *ranges) {
	r.int("threads", f.threads, 1, 64)
	r.int("refine", f.refine, 0, 8)
	f.limits.check(r)
}

func (f *inferFlags) tfliteOpts() tflite.Options {
	return tflite.Options{Delegate: tflite.Delegate(f.delegate), Threads: f.threads, MaxModelBytes: f.limits.modelBytes()}
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
	return classify.Load(classify.Opts{Path: path, Labels: f.labels, TopK: 5, MaxListBytes: f.limits.listBytes(),
		TFLite: tflite.Options{Delegate: tflite.DelegateCPU, MaxModelBytes: f.limits.modelBytes()}})
}

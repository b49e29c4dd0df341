package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"

	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/offline/report"
	"github.com/yogamirror/yogamirror/inference/offline/train"
	"github.com/yogamirror/yogamirror/inference/offline/yoga82"
)

func init() {
	commands["train"] = command{"train a pose classifier from photos or keypoint CSVs and export it as TFLite", runTrain}
}

type trainFlags struct {
	out      string
	model    string
	k        int
	hidden   string
	features string
	noMirror bool
	tta      bool
	val      float64
	cv       int
	ensemble int
	augment  train.Augment
	tests    multiFlag
	fit      train.FitOpts
	seed     uint64
}

func runTrain(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("train", "--out DIR [--map M] [--split DIR=FILE] [--order xy|yx] DATASET[=SPLITFILE]...", stderr)
	var (
		inf inferFlags
		df  datasetFlags
		tf  trainFlags
	)
	inf.register(fs, false)
	fs.StringVar(&df.mapping, "map", "", "rename classes across datasets: 'Downdog=downdog,dog=downdog' (unnamed classes are dropped when given)")
	fs.Var(&df.splits, "split", "DIR=FILE: use only the files FILE lists from the photo tree DIR (repeatable)")
	fs.StringVar(&df.order, "order", "", "coordinate order of keypoint CSVs: xy or yx (required for CSVs, never guessed)")
	fs.StringVar(&df.hierarchy, "hierarchy", "", "Yoga-82 class hierarchy CSV: turns numeric CSV labels into names")
	fs.IntVar(&df.level, "level", 82, "hierarchy level of the CSV labels (6, 20 or 82)")
	fs.IntVar(&df.workers, "workers", runtime.NumCPU(), "parallel MoveNet workers for photos")
	fs.StringVar(&df.cache, "cache", defaultCacheDir(), "keypoint cache folder (empty: no cache)")
	fs.StringVar(&tf.out, "out", "", "output folder: classifier.tflite, labels.txt, report.{json,md}, confusion.png, angles.json")
	fs.StringVar(&tf.model, "model", "mlp", "mlp or knn")
	fs.IntVar(&tf.k, "k", 7, "neighbours for --model knn")
	fs.StringVar(&tf.hidden, "hidden", "256,128", "MLP hidden layer sizes")
	fs.StringVar(&tf.features, "features", "none", "embedding extras, comma-separated: scores, angles, distances, min=SCORE (keypoints below are missing); none: the plain embedding")
	fs.BoolVar(&tf.noMirror, "no-mirror", false, "don't add left/right mirrored copies of the training poses")
	fs.BoolVar(&tf.tta, "tta", true, "average each prediction with its mirror image's")
	fs.Float64Var(&tf.val, "val", 0.1, "stratified share held out for early stopping and the report")
	fs.IntVar(&tf.ensemble, "ensemble", 1, "train N MLPs (seeds SEED..SEED+N-1) and merge them into one model")
	fs.IntVar(&tf.augment.Copies, "augment", 0, "jittered copies of each training pose (rotation and keypoint noise)")
	fs.Float64Var(&tf.augment.Rotate, "augment-rotate", 10, "largest rotation of a jittered copy, degrees")
	fs.Float64Var(&tf.augment.Noise, "augment-noise", 0.01, "keypoint noise of a jittered copy, as a share of the pose size")
	fs.IntVar(&tf.cv, "cv", 0, "K: report K-fold stratified cross-validation instead of training one model")
	fs.Var(&tf.tests, "test", "DATASET or DIR=SPLITFILE to score the trained model on (repeatable; --map applies)")
	fs.IntVar(&tf.fit.Epochs, "epochs", 300, "maximum MLP epochs")
	fs.IntVar(&tf.fit.Patience, "patience", 30, "early-stopping patience in epochs")
	fs.Float64Var(&tf.fit.LR, "lr", 1e-3, "Adam learning rate")
	fs.Float64Var(&tf.fit.WeightDecay, "weight-decay", 1e-4, "AdamW weight decay")
	fs.Float64Var(&tf.fit.Dropout, "dropout", 0.3, "dropout after hidden layers (negative: none)")
	fs.BoolVar(&tf.fit.ClassWeights, "class-weights", true, "weight classes inversely to their frequency")
	fs.Uint64Var(&tf.seed, "seed", 1, "random seed (same data and seed → same model, bit for bit)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 || (tf.out == "" && tf.cv == 0) {
		fs.Usage()
		return errUsage
	}
	var rg ranges
	inf.check(&rg)
	df.check(&rg)
	tf.check(&rg)
	if err := rg.err(); err != nil {
		return err
	}
	opts, err := tf.opts()
	if err != nil {
		return err
	}
	opts.Fit.Done = ctx.Done() // SIGTERM stops training between minibatches
	l, err := newLoader(&df, &inf, stderr)
	if err != nil {
		return err
	}
	var ex []train.Example
	for _, arg := range fs.Args() {
		e, err := l.load(ctx, arg)
		if err != nil {
			return err
		}
		fmt.Fprintf(stderr, "%s: %d examples\n", arg, len(e))
		ex = append(ex, e...)
	}
	if tf.cv > 0 {
		if err := l.checkMap(); err != nil {
			return err
		}
		return crossValidate(ex, tf.cv, opts, l, stdout, stderr)
	}
	j := train.Job{Out: tf.out, Opts: opts, Tests: map[string][]train.Example{}, Undecodable: l.failed}
	l.given, l.images = map[string]string{}, map[string]bool{} // test sets may repeat training data
	for _, arg := range tf.tests {
		if j.Tests[arg], err = l.load(ctx, arg); err != nil {
			return err
		}
	}
	if err := l.checkMap(); err != nil {
		return err
	}
	bar := newProgress(stderr, "epochs")
	j.Opts.Fit.Progress = func(e train.Epoch) { bar.count(e.N, opts.Fit.Epochs) }
	r, err := train.Run(ex, j)
	bar.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d classes, %s; TFLite vs Go max |Δp| %.1g)\n", r.Model, len(r.Spec.Labels), r.Spec.Model, r.TFLiteVsGo)
	if r.Val == 0 {
		fmt.Fprintf(stdout, "validation: none: %s\n", r.NoVal)
	} else {
		fmt.Fprintf(stdout, "validation (%d): %s\n", r.Val, r.Validation.Summary())
	}
	for name, tr := range r.Tests {
		fmt.Fprintf(stdout, "test %s: %s\n", name, tr.Summary())
	}
	return nil
}

func (t *trainFlags) check(r *ranges) {
	r.int("k", t.k, 1, 1000)
	r.int("ensemble", t.ensemble, 1, 32)
	r.int("augment", t.augment.Copies, 0, 100)
	r.float("augment-rotate", t.augment.Rotate, 0, 180)
	r.float("augment-noise", t.augment.Noise, 0, 1)
	r.float("val", t.val, 0, 0.9)
	if t.cv != 0 {
		r.int("cv", t.cv, 2, 100)
	}
	r.int("epochs", t.fit.Epochs, 1, 100_000)
	r.int("patience", t.fit.Patience, 1, 100_000)
	r.float("lr", t.fit.LR, 1e-7, 1)
	r.float("weight-decay", t.fit.WeightDecay, 0, 1)
	r.float("dropout", t.fit.Dropout, -1, 0.95)
}

func (t *trainFlags) opts() (train.Opts, error) {
	o := train.Opts{Model: t.model, K: t.k, Mirror: !t.noMirror, TTA: t.tta, Val: t.val, Fit: t.fit,
		Ensemble: t.ensemble, Augment: t.augment}
	o.Fit.Seed = t.seed
	for _, s := range strings.Split(t.hidden, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 || n > 4096 || len(o.Fit.Hidden) == 8 {
			return o, fmt.Errorf("%w: --hidden %q: want up to 8 sizes of 1 to 4096, like 128,64", errBadFlags, t.hidden)
		}
		o.Fit.Hidden = append(o.Fit.Hidden, n)
	}
	f, err := parseFeatures(t.features)
	o.Features = f
	return o, err
}

func parseFeatures(s string) (classify.Features, error) {
	f := classify.Features{Kind: classify.FeatureEmbed}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		switch {
		case part == "" || part == "none":
		case part == "scores":
			f.Scores = true
		case part == "angles":
			f.Angles = true
		case part == "distances":
			f.Distances = true
		case strings.HasPrefix(part, "min="):
			v, err := strconv.ParseFloat(part[4:], 32)
			if err != nil || v < 0 || v >= 1 {
				return f, fmt.Errorf("--features %s: min wants a score in [0, 1)", part)
			}
			f.MinScore = float32(v)
		default:
			return f, fmt.Errorf("--features: unknown %q (want scores, angles, distances, min=SCORE)", part)
		}
	}
	return f, nil
}

func crossValidate(ex []train.Example, k int, o train.Opts, l *loader, stdout, stderr io.Writer) error {
	bar := newProgress(stderr, "folds")
	samples, err := train.CrossValidate(ex, k, o, func(f int) { bar.count(f, k) })
	bar.finish()
	if err != nil {
		return err
	}
	r := report.Build(samples, train.Labels(ex))
	fmt.Fprintf(stdout, "%d-fold cross-validation on %d examples, %d classes\n", k, len(ex), len(train.Labels(ex)))
	if l.h != nil {
		for _, lv := range l.h.Rollups(yoga82.Level(l.df.level)) {
			rr := report.Build(report.Relabel(samples, lv.Parent), nil)
			fmt.Fprintf(stdout, "rolled up to %d classes: top-1 %.2f%%\n", lv.Level, 100*rr.Accuracy)
		}
	}
	fmt.Fprintf(stdout, "top-5 %.2f%%\n", 100*r.Top5)
	fmt.Fprintln(stdout, r.Summary())
	return nil
}

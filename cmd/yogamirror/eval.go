package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yogamirror/yogamirror/device/camera/capture"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/movenet"
	"github.com/yogamirror/yogamirror/inference/offline/dataset"
	"github.com/yogamirror/yogamirror/inference/offline/report"
)

func init() {
	commands["eval"] = command{"accuracy of a classifier on a class-per-folder tree of photos", runEval}
}

// evalJSON is eval's --json report.
type evalJSON struct {
	report.Report
	Classifier string        `json:"classifier"`
	Format     string        `json:"format"`
	Integrity  string        `json:"integrity"` // how its bytes were checked at load
	Dir        string        `json:"dir"`
	Map        dataset.Map   `json:"map,omitempty"`
	NoPerson   int           `json:"no_person"` // classified, but below the person threshold
	Failures   []evalFailure `json:"failures,omitempty"`
	Misses     []evalMiss    `json:"misses,omitempty"` // wrong predictions, to look at
	Timing     evalTiming    `json:"timing"`
}

type evalFailure struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

type evalMiss struct {
	File      string  `json:"file"`
	Truth     string  `json:"truth"`
	Predicted string  `json:"predicted"`
	Score     float32 `json:"score"`
	// KeypointScore is MoveNet's mean keypoint confidence: low values mean
	// the person was found poorly.
	KeypointScore float32 `json:"keypoint_score"`
}

type evalTiming struct {
	Workers        int     `json:"workers"`
	WallS          float64 `json:"wall_s"`
	Estimated      int     `json:"estimated"` // images run through MoveNet (not cached)
	Cached         int     `json:"cached"`
	EstimateMeanMS float64 `json:"estimate_mean_ms"` // per image, all passes
	ClassifyMeanUS float64 `json:"classify_mean_us"`
}

func runEval(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("eval", "--classifier C [--labels L] [--map 'folder=label,...'] DIR", stderr)
	var inf inferFlags
	inf.register(fs, true)
	mapping := fs.String("map", "", "folder=label pairs; folders not named are skipped (default: every folder, own name)")
	split := fs.String("split", "", "only the files this list names (paths relative to DIR)")
	jsonOut := fs.String("json", "", "write the full report (per class, confusion matrix, timing) to this file")
	workers := fs.Int("workers", runtime.NumCPU(), "parallel MoveNet workers")
	cache := fs.String("cache", defaultCacheDir(), "keypoint cache folder (empty: no cache)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errUsage
	}
	var r ranges
	inf.check(&r)
	r.int("workers", *workers, 1, 256)
	if err := r.err(); err != nil {
		return err
	}
	dir := fs.Arg(0)
	m, err := dataset.ParseMap(*mapping)
	if err != nil {
		return err
	}
	items, err := dataset.ReadFolders(dir, m)
	if err != nil {
		return err
	}
	if err := checkMapUsed(m, folderSet(items), "class folder in "+dir); err != nil {
		return err
	}
	if *split != "" {
		set, err := dataset.ReadSplit(*split, inf.limits.listBytes())
		if err != nil {
			return err
		}
		if items, err = dataset.FilterSplit(items, set, *split); err != nil {
			return err
		}
	}
	if err := inf.ensureModels(ctx, stderr); err != nil {
		return err
	}
	cls, err := inf.openClassifier(true)
	if err != nil {
		return err
	}
	defer cls.Close()
	if err := checkLabelsKnown(items, cls.Labels()); err != nil {
		return err
	}
	start := time.Now()
	results, err := extract(ctx, items, &inf, *workers, *cache, stderr)
	if err != nil {
		return err
	}
	out, err := score(results, cls)
	if err != nil {
		return err
	}
	out.Classifier, out.Format, out.Dir, out.Map = cls.Path(), cls.Format(), dir, m
	out.Integrity = string(cls.Integrity())
	out.Timing.Workers, out.Timing.WallS = *workers, time.Since(start).Seconds()
	printEval(stdout, out)
	if *jsonOut != "" {
		return writeJSON(*jsonOut, out)
	}
	return nil
}

func defaultCacheDir() string {
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "yogamirror", "keypoints")
}

// extract runs MoveNet (still-image mode with refinement) over items.
func extract(ctx context.Context, items []dataset.Item, inf *inferFlags, workers int, cacheDir string, stderr io.Writer) ([]dataset.Result, error) {
	if err := inf.ensureModels(ctx, stderr); err != nil {
		return nil, err
	}
	o := dataset.ExtractOpts{
		Workers: workers,
		Decode:  capture.NewDecoder(inf.limits.pixels()), MaxPixels: inf.limits.pixels(),
		MaxImageBytes: inf.limits.imageBytes(),
		NewEstimator: func() (dataset.Estimator, error) {
			return movenet.New(inf.estimatorOpts(movenet.Still))
		},
	}
	if cacheDir != "" {
		id, err := inf.estimatorID()
		if err != nil {
			return nil, err
		}
		if o.Cache, err = dataset.OpenCache(cacheDir, id); err != nil {
			return nil, err
		}
	}
	bar := newProgress(stderr, "keypoints")
	o.Progress = bar.count
	results, err := dataset.Extract(ctx, items, o)
	bar.finish()
	cacheErrs := 0
	for _, r := range results {
		if r.CacheErr != nil {
			if cacheErrs == 0 {
				fmt.Fprintf(stderr, "warning: keypoint cache not written (%v); results are fine, re-runs will be slower\n", r.CacheErr)
			}
			cacheErrs++
		}
	}
	return results, err
}

func score(results []dataset.Result, cls *classify.Model) (evalJSON, error) {
	var out evalJSON
	samples := make([]report.Sample, len(results))
	var est, clsTime time.Duration
	classified := 0
	for i, r := range results {
		samples[i].Truth = r.Item.Label
		if r.Err != nil {
			out.Failures = append(out.Failures, evalFailure{File: r.Item.Rel, Error: r.Err.Error()})
			continue
		}
		if r.Cached {
			out.Timing.Cached++
		} else {
			out.Timing.Estimated++
			est += r.Infer
		}
		t0 := time.Now()
		pred, err := cls.Classify(r.Pose)
		clsTime += time.Since(t0)
		if err != nil {
			return out, err
		}
		classified++
		if !pred.Person {
			out.NoPerson++
		}
		for _, c := range pred.Classes {
			samples[i].Ranked = append(samples[i].Ranked, c.Label)
		}
		if top := pred.Top(); top.Label != r.Item.Label {
			out.Misses = append(out.Misses, evalMiss{File: r.Item.Rel, Truth: r.Item.Label,
				Predicted: top.Label, Score: top.Score, KeypointScore: r.Pose.MeanScore()})
		}
	}
	out.Report = report.Build(samples, cls.Labels())
	if out.Timing.Estimated > 0 {
		out.Timing.EstimateMeanMS = est.Seconds() * 1000 / float64(out.Timing.Estimated)
	}
	if classified > 0 {
		out.Timing.ClassifyMeanUS = clsTime.Seconds() * 1e6 / float64(classified)
	}
	return out, nil
}

func printEval(w io.Writer, r evalJSON) {
	fmt.Fprintf(w, "classifier %s (%s, %s)\n", r.Classifier, r.Format, r.Integrity)
	for _, f := range r.Failures {
		fmt.Fprintf(w, "failed: %s: %s\n", f.File, f.Error)
	}
	fmt.Fprintf(w, "%-24s %8s %8s %8s\n", "class", "correct", "total", "acc")
	for _, c := range r.Classes {
		if c.Support == 0 {
			continue
		}
		fmt.Fprintf(w, "%-24s %8d %8d %7.1f%%\n", c.Label, c.Correct, c.Support, 100*c.Recall)
	}
	fmt.Fprintf(w, "top-5 %.2f%%, %d undecodable, %d below the person threshold, %.1f s\n",
		100*r.Top5, r.Failed, r.NoPerson, r.Timing.WallS)
	fmt.Fprintln(w, r.Summary())
}

func writeJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// folderSet is the class folders items come from.
func folderSet(items []dataset.Item) map[string]bool {
	seen := map[string]bool{}
	for _, it := range items {
		seen[it.Folder] = true
	}
	return seen
}

// checkMapUsed fails when --map names something the datasets do not have.
func checkMapUsed(m dataset.Map, seen map[string]bool, what string) error {
	if unused := m.Unused(seen); len(unused) > 0 {
		return fmt.Errorf("--map names %s, but no %s is called that", quoteAll(unused), what)
	}
	return nil
}

// checkLabelsKnown fails when a class would be scored against labels the
// classifier cannot output: every one of its photos would count as wrong.
func checkLabelsKnown(items []dataset.Item, labels []string) error {
	var unknown []string
	for l := range folderLabels(items) {
		if !slices.Contains(labels, l) {
			unknown = append(unknown, l)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	return fmt.Errorf("the classifier has no label %s (its labels: %s): map the folders to its labels with --map FOLDER=LABEL",
		quoteAll(unknown), strings.Join(labels, ", "))
}

func folderLabels(items []dataset.Item) map[string]bool {
	out := map[string]bool{}
	for _, it := range items {
		out[it.Label] = true
	}
	return out
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

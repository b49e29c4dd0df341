package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"

	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/offline/chart"
	"github.com/yogamirror/yogamirror/inference/offline/report"
	"github.com/yogamirror/yogamirror/inference/offline/train"
	"github.com/yogamirror/yogamirror/inference/offline/yoga82"
	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/tflite"
)

// trainReport is report.json.
type trainReport struct {
	Model      string                   `json:"model"`
	Spec       classify.Spec            `json:"spec"`
	Options    train.Opts               `json:"options"`
	Train      int                      `json:"train_examples"`
	Val        int                      `json:"val_examples"`
	Failed     []string                 `json:"undecodable,omitempty"`
	History    []train.Epoch            `json:"history,omitempty"`
	TFLiteVsGo float64                  `json:"tflite_vs_go_max_abs_diff"`
	Validation report.Report            `json:"validation"`
	Tests      map[string]report.Report `json:"tests,omitempty"`
}

func trainAndWrite(ctx context.Context, ex []train.Example, o train.Opts, tf *trainFlags, l *loader, stdout, stderr io.Writer) error {
	bar := newProgress(stderr, "epochs")
	o.Fit.Progress = func(e train.Epoch) { bar.count(e.N, o.Fit.Epochs) }
	t, err := train.Train(ex, o)
	bar.finish()
	if err != nil {
		return err
	}
	acc := pose.Accumulate{MinScore: 0.3}
	for _, e := range t.Train {
		acc.Add(e.Label, &e.Pose)
	}
	t.Spec.Reference, t.Spec.Model = acc.Finish(), t.Model
	if err := os.MkdirAll(tf.out, 0o755); err != nil {
		return err
	}
	model := filepath.Join(tf.out, "classifier.tflite")
	data, err := t.TFLite()
	if err != nil {
		return err
	}
	// Check the export in the real runtime before it replaces a model a
	// daemon may be using.
	staged := model + ".new"
	if err := storage.WriteFile(staged, data, 0o644); err != nil {
		return err
	}
	defer os.Remove(staged)
	r := trainReport{Model: model, Spec: t.Spec, Options: o, Train: len(t.Train), Val: len(t.Val), Failed: l.failed, History: t.History, Tests: map[string]report.Report{}}
	r.Options.Fit.Progress = nil
	cls, err := classify.Load(classify.Opts{Path: staged, TFLite: tflite.Options{Delegate: tflite.DelegateCPU}, TopK: -1})
	if err != nil {
		return fmt.Errorf("the exported model does not load (nothing replaced): %w", err)
	}
	defer cls.Close()
	if err := os.Rename(staged, model); err != nil {
		return err
	}
	if r.Validation, r.TFLiteVsGo, err = scoreTFLite(cls, t, t.Val); err != nil {
		return err
	}
	for _, arg := range tf.tests {
		ex, err := l.load(ctx, arg)
		if err != nil {
			return err
		}
		if r.Tests[arg], _, err = scoreTFLite(cls, t, ex); err != nil {
			return err
		}
	}
	return writeTrainOutputs(tf.out, r, t, stdout)
}

// scoreTFLite scores the exported model (what the daemon will run) and
// measures how far it is from the Go forward pass.
func scoreTFLite(cls *classify.Model, t *train.Trained, ex []train.Example) (report.Report, float64, error) {
	samples := make([]report.Sample, len(ex))
	worst := 0.0
	idx := map[string]int{}
	for i, l := range t.Labels {
		idx[l] = i
	}
	for i, e := range ex {
		pred, err := cls.Classify(e.Pose)
		if err != nil {
			return report.Report{}, 0, err
		}
		goProbs := t.Predict(&e.Pose)
		samples[i].Truth = e.Label
		for _, c := range pred.Classes {
			samples[i].Ranked = append(samples[i].Ranked, c.Label)
			worst = math.Max(worst, math.Abs(float64(c.Score-goProbs[idx[c.Label]])))
		}
	}
	return report.Build(samples, t.Labels), worst, nil
}

func writeTrainOutputs(dir string, r trainReport, t *train.Trained, stdout io.Writer) error {
	if err := storage.WriteFile(filepath.Join(dir, "labels.txt"), []byte(strings.Join(t.Labels, "\n")+"\n"), 0o644); err != nil {
		return err
	}
	if err := report.WriteJSON(filepath.Join(dir, "angles.json"), t.Spec.Reference); err != nil {
		return err
	}
	if err := report.WriteJSON(filepath.Join(dir, "report.json"), r); err != nil {
		return err
	}
	if err := r.Validation.WriteConfusionPNG(filepath.Join(dir, "confusion.png"), "validation"); err != nil {
		return err
	}
	md := trainMarkdown(r)
	for name, tr := range r.Tests {
		png := "confusion_" + sanitize(name) + ".png"
		if err := tr.WriteConfusionPNG(filepath.Join(dir, png), name); err != nil {
			return err
		}
		md += tr.Markdown("Test: "+name) + fmt.Sprintf("![confusion](%s)\n\n", png)
	}
	if len(r.History) > 0 {
		if err := writeCurves(filepath.Join(dir, "training.png"), r.History); err != nil {
			return err
		}
		md += "## Training\n\n![loss](training.png)\n"
	}
	if err := storage.WriteFile(filepath.Join(dir, "report.md"), []byte(md), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %s (%d classes, %s; TFLite vs Go max |Δp| %.1g)\n", r.Model, len(t.Labels), t.Model, r.TFLiteVsGo)
	fmt.Fprintf(stdout, "validation (%d): %s\n", r.Val, r.Validation.Summary())
	for name, tr := range r.Tests {
		fmt.Fprintf(stdout, "test %s: %s\n", name, tr.Summary())
	}
	return nil
}

func trainMarkdown(r trainReport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Pose classifier report\n\nModel `%s`: %s, features %+v, mirror-TTA %v.\n",
		filepath.Base(r.Model), r.Spec.Model, r.Spec.Features, r.Spec.MirrorTTA)
	fmt.Fprintf(&b, "Trained on %d examples (plus mirror images: %v), %d held out for validation; %d images undecodable.\n",
		r.Train, r.Options.Mirror, r.Val, len(r.Failed))
	fmt.Fprintf(&b, "The exported TFLite model matches the Go forward pass within %.1g.\n\n", r.TFLiteVsGo)
	b.WriteString(r.Validation.Markdown("Validation"))
	b.WriteString("![confusion](confusion.png)\n\n")
	return b.String()
}

func writeCurves(path string, hist []train.Epoch) error {
	var tl, vl, va []float64
	for _, e := range hist {
		tl, vl, va = append(tl, e.TrainLoss), append(vl, e.ValLoss), append(va, 1-e.ValAcc)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	lc := chart.Line{Title: "training", XLabel: "epoch", Series: []chart.Series{
		{Name: "train loss", Values: tl}, {Name: "validation loss", Values: vl}, {Name: "validation error", Values: va},
	}}
	if err := lc.PNG(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func sanitize(s string) string {
	s = strings.Trim(filepath.ToSlash(s), "/.")
	return strings.Map(func(r rune) rune {
		if r == '/' || r == ' ' || r == ':' || r == '=' {
			return '_'
		}
		return r
	}, s)
}

type rollup struct {
	level  int
	parent func(string) string
}

// rollups maps Yoga-82 class names to their coarser levels.
func rollups(l *loader) []rollup {
	if l.h == nil || l.df.level == 6 {
		return nil
	}
	from := yoga82.Level(l.df.level)
	names := l.h.Names(from)
	id := map[string]int{}
	for i, n := range names {
		id[n] = i
	}
	var out []rollup
	for _, to := range []yoga82.Level{yoga82.Level20, yoga82.Level6} {
		if to >= from {
			continue
		}
		to := to
		out = append(out, rollup{int(to), func(name string) string {
			i, ok := id[name]
			if !ok {
				return name
			}
			if from == yoga82.Level82 {
				return l.h.Name(to, l.h.Parent(to, i))
			}
			return l.h.Name(to, parent20to6(l.h, i))
		}})
	}
	return out
}

// parent20to6 finds a level-20 class's level-6 parent through any of its
// level-82 children.
func parent20to6(h *yoga82.Hierarchy, id20 int) int {
	for i := range h.Names(yoga82.Level82) {
		if h.Parent(yoga82.Level20, i) == id20 {
			return h.Parent(yoga82.Level6, i)
		}
	}
	return -1
}

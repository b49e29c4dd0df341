package train

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/offline/chart"
	"github.com/yogamirror/yogamirror/inference/offline/report"
	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/tflite"
)

// Report is report.json.
type Report struct {
	Model      string                   `json:"model"`
	Spec       classify.Spec            `json:"spec"`
	Options    Opts                     `json:"options"`
	Train      int                      `json:"train_examples"`
	Val        int                      `json:"val_examples"`
	NoVal      string                   `json:"no_validation,omitempty"` // why there is none, when Val is 0
	Failed     []string                 `json:"undecodable,omitempty"`
	History    []Epoch                  `json:"history,omitempty"`
	TFLiteVsGo float64                  `json:"tflite_vs_go_max_abs_diff"`
	Validation report.Report            `json:"validation"`
	Tests      map[string]report.Report `json:"tests,omitempty"`
}

// Job is a training run that writes a model folder.
type Job struct {
	Out         string               // the folder (created)
	Opts        Opts                 // Fit.Progress reports epochs
	Tests       map[string][]Example // scored with the exported model, by name
	Undecodable []string             // photos extraction skipped, for the report
}

// Files written into Job.Out.
const (
	ModelFile  = "classifier.tflite"
	LabelsFile = "labels.txt"
)

// Run trains on ex and writes Job.Out/{classifier.tflite, labels.txt,
// angles.json, report.json, report.md, confusion.png, training.png}. The
// exported model is loaded in the real runtime before it replaces one a
// daemon may be using, and every score in the report is the exported
// model's.
func Run(ex []Example, j Job) (Report, error) {
	t, err := Train(ex, j.Opts)
	if err != nil {
		return Report{}, err
	}
	acc := pose.Accumulate{MinScore: 0.3}
	for _, e := range t.Train {
		acc.Add(e.Label, &e.Pose)
	}
	t.Spec.Reference, t.Spec.Model = acc.Finish(), t.Model
	if err := os.MkdirAll(j.Out, 0o755); err != nil {
		return Report{}, fmt.Errorf("train: %w", err)
	}
	cls, err := install(t, filepath.Join(j.Out, ModelFile))
	if err != nil {
		return Report{}, err
	}
	defer cls.Close()
	r := Report{Model: filepath.Join(j.Out, ModelFile), Spec: t.Spec, Options: j.Opts, Train: len(t.Train), Val: len(t.Val),
		NoVal: t.NoVal, Failed: j.Undecodable, History: t.History, Tests: map[string]report.Report{}}
	r.Options.Fit.Progress = nil
	if r.Validation, r.TFLiteVsGo, err = scoreTFLite(cls, t, t.Val); err != nil {
		return r, err
	}
	for name, ex := range j.Tests {
		if r.Tests[name], _, err = scoreTFLite(cls, t, ex); err != nil {
			return r, err
		}
	}
	return r, writeOutputs(j.Out, r, t)
}

// install exports t, loads the export in the runtime and only then gives it
// the final name; the loaded model is returned for scoring.
func install(t *Trained, model string) (*classify.Model, error) {
	data, err := t.TFLite()
	if err != nil {
		return nil, err
	}
	staged := model + ".new"
	if err := storage.WriteFile(staged, data, 0o644); err != nil {
		return nil, err
	}
	defer os.Remove(staged)
	cls, err := classify.Load(classify.Opts{Path: staged, TFLite: tflite.Options{Delegate: tflite.DelegateCPU}, TopK: -1})
	if err != nil {
		return nil, fmt.Errorf("train: the exported model does not load (nothing replaced): %w", err)
	}
	if err := os.Rename(staged, model); err != nil {
		cls.Close()
		return nil, fmt.Errorf("train: %w", err)
	}
	return cls, nil
}

// scoreTFLite scores the exported model (what the daemon will run) and
// measures how far it is from the Go forward pass.
func scoreTFLite(cls *classify.Model, t *Trained, ex []Example) (report.Report, float64, error) {
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

func writeOutputs(dir string, r Report, t *Trained) error {
	if err := storage.WriteFile(filepath.Join(dir, LabelsFile), []byte(strings.Join(t.Labels, "\n")+"\n"), 0o644); err != nil {
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
	md := markdown(r)
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
	return nil
}

func markdown(r Report) string {
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

func writeCurves(path string, hist []Epoch) error {
	var tl, vl, va []float64
	for _, e := range hist {
		tl, vl, va = append(tl, e.TrainLoss), append(vl, e.ValLoss), append(va, 1-e.ValAcc)
	}
	lc := chart.Line{Title: "training", XLabel: "epoch", Series: []chart.Series{
		{Name: "train loss", Values: tl}, {Name: "validation loss", Values: vl}, {Name: "validation error", Values: va},
	}}
	return storage.WriteFrom(path, 0o644, lc.PNG)
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

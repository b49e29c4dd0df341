// Package report scores a classifier: top-1 and top-5 accuracy, per-class
// precision, recall and F1, and the confusion matrix, as JSON and Markdown
// (and, through inference/offline/chart, as a PNG).
package report

import (
	"fmt"
	"sort"
)

// Sample is one scored example. Ranked is the model's classes, best first
// (empty when the example could not be processed: it counts as wrong).
type Sample struct {
	Truth  string
	Ranked []string
}

// Class is one row of the per-class table.
type Class struct {
	Label     string  `json:"label"`
	Support   int     `json:"support"` // examples whose truth is this class
	Correct   int     `json:"correct"`
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"` // = per-class accuracy
	F1        float64 `json:"f1"`
}

// Report is the whole evaluation.
type Report struct {
	N         int      `json:"n"`
	Correct   int      `json:"correct"`
	Accuracy  float64  `json:"accuracy"`
	Top5      float64  `json:"top5_accuracy"`
	Failed    int      `json:"failed"` // examples with no prediction (undecodable…)
	Classes   []Class  `json:"classes"`
	Labels    []string `json:"labels"`    // confusion matrix order; "(none)" last when Failed > 0
	Confusion [][]int  `json:"confusion"` // [truth][predicted]
}

// NoPrediction labels the confusion column of failed examples.
const NoPrediction = "(none)"

// Build scores samples. labels fixes the class order; classes seen only in
// samples are appended in sorted order.
func Build(samples []Sample, labels []string) Report {
	labels = allLabels(samples, labels)
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	cols := len(labels)
	failed := 0
	for _, s := range samples {
		if len(s.Ranked) == 0 {
			failed++
		}
	}
	if failed > 0 {
		cols++
	}
	conf := make([][]int, len(labels))
	for i := range conf {
		conf[i] = make([]int, cols)
	}
	r := Report{N: len(samples), Failed: failed}
	top5 := 0
	for _, s := range samples {
		t := idx[s.Truth]
		if len(s.Ranked) == 0 {
			conf[t][cols-1]++
			continue
		}
		conf[t][idx[s.Ranked[0]]]++
		if s.Ranked[0] == s.Truth {
			r.Correct++
		}
		for k := 0; k < len(s.Ranked) && k < 5; k++ {
			if s.Ranked[k] == s.Truth {
				top5++
				break
			}
		}
	}
	r.Labels, r.Confusion = labels, conf
	if failed > 0 {
		r.Labels = append(append([]string(nil), labels...), NoPrediction)
	}
	if r.N > 0 {
		r.Accuracy = float64(r.Correct) / float64(r.N)
		r.Top5 = float64(top5) / float64(r.N)
	}
	r.Classes = perClass(labels, conf)
	return r
}

func allLabels(samples []Sample, labels []string) []string {
	out := append([]string(nil), labels...)
	seen := map[string]bool{}
	for _, l := range labels {
		seen[l] = true
	}
	var extra []string
	add := func(l string) {
		if !seen[l] {
			seen[l] = true
			extra = append(extra, l)
		}
	}
	for _, s := range samples {
		add(s.Truth)
		if len(s.Ranked) > 0 {
			add(s.Ranked[0])
		}
	}
	sort.Strings(extra)
	return append(out, extra...)
}

func perClass(labels []string, conf [][]int) []Class {
	out := make([]Class, len(labels))
	for i, l := range labels {
		c := Class{Label: l, Correct: conf[i][i]}
		predicted := 0
		for t := range labels {
			predicted += conf[t][i]
		}
		for _, n := range conf[i] {
			c.Support += n
		}
		c.Precision = ratio(c.Correct, predicted)
		c.Recall = ratio(c.Correct, c.Support)
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
		out[i] = c
	}
	return out
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Summary is the one-line result: "accuracy K/N = P%".
func (r Report) Summary() string {
	return fmt.Sprintf("accuracy %d/%d = %.2f%%", r.Correct, r.N, 100*r.Accuracy)
}

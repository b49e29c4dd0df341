package report

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"

	"github.com/yogamirror/yogamirror/inference/offline/chart"
)

// WriteJSON writes v as indented JSON.
func WriteJSON(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return storage.WriteFile(path, append(data, '\n'), 0o644)
}

// WriteConfusionPNG draws the confusion matrix (rows: truth, row-normalised colours).
func (r Report) WriteConfusionPNG(path, title string) error {
	rows := make([][]float64, len(r.Confusion))
	for i, row := range r.Confusion {
		rows[i] = make([]float64, len(row))
		for j, n := range row {
			rows[i][j] = float64(n)
		}
	}
	hm := chart.Heatmap{
		Title: title, XLabel: "predicted", YLabel: "true",
		Labels: r.Labels[:len(r.Confusion)], ColLabels: r.Labels, Counts: rows,
	}
	return storage.WriteFrom(path, 0o644, hm.PNG)
}

// Markdown renders the report as a Markdown section.
func (r Report) Markdown(title string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", title)
	fmt.Fprintf(&b, "Top-1 **%.2f %%** (%d/%d), top-5 %.2f %%", 100*r.Accuracy, r.Correct, r.N, 100*r.Top5)
	if r.Failed > 0 {
		fmt.Fprintf(&b, ", %d without a prediction (counted wrong)", r.Failed)
	}
	b.WriteString(".\n\n| class | support | precision | recall | F1 |\n|---|---:|---:|---:|---:|\n")
	for _, c := range r.Classes {
		if c.Support == 0 && c.Precision == 0 {
			continue
		}
		fmt.Fprintf(&b, "| %s | %d | %.3f | %.3f | %.3f |\n", c.Label, c.Support, c.Precision, c.Recall, c.F1)
	}
	if len(r.Labels) <= 12 {
		b.WriteString("\nConfusion (rows: true, columns: predicted)\n\n| |")
		for _, l := range r.Labels {
			fmt.Fprintf(&b, " %s |", l)
		}
		b.WriteString("\n|---|" + strings.Repeat("---:|", len(r.Labels)) + "\n")
		for i, row := range r.Confusion {
			fmt.Fprintf(&b, "| **%s** |", r.Labels[i])
			for _, n := range row {
				fmt.Fprintf(&b, " %d |", n)
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n")
	return b.String()
}

// Relabel maps every label in the samples through f (e.g. a Yoga-82 class to
// its parent at a coarser level), for roll-up accuracy.
func Relabel(samples []Sample, f func(string) string) []Sample {
	out := make([]Sample, len(samples))
	for i, s := range samples {
		out[i].Truth = f(s.Truth)
		seen := map[string]bool{}
		for _, l := range s.Ranked {
			m := f(l)
			if !seen[m] {
				seen[m] = true
				out[i].Ranked = append(out[i].Ranked, m)
			}
		}
	}
	return out
}

package yoga82

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/yogamirror/yogamirror/inference/offline/chart"
)

// Report file names written by WriteReport.
const (
	ReportMarkdown = "stats.md"
	ReportJSON     = "stats.json"
)

// maxDuplicateRows bounds the duplicate table in the Markdown report; the
// JSON report lists them all.
const maxDuplicateRows = 50

// WriteReport writes st into dir as stats.md with PNG charts (class counts
// per level, a histogram of the longer image side) and stats.json.
func WriteReport(dir string, st Stats) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("yoga82: %w", err)
	}
	charts := map[string]interface{ PNG(io.Writer) error }{
		"class6.png":   classBar("Images per class, 6 classes", st.Class6),
		"class20.png":  classBar("Images per class, 20 classes", st.Class20),
		"class82.png":  classBar("Images per class, 82 classes", st.Class82),
		"longside.png": sizeHistogram(st.LongSide),
	}
	for name, c := range charts {
		var buf bytes.Buffer
		if err := c.PNG(&buf); err != nil {
			return fmt.Errorf("yoga82: %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
			return fmt.Errorf("yoga82: %w", err)
		}
	}
	js, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return fmt.Errorf("yoga82: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, ReportJSON), append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("yoga82: %w", err)
	}
	var md bytes.Buffer
	st.markdown(&md)
	if err := os.WriteFile(filepath.Join(dir, ReportMarkdown), md.Bytes(), 0o644); err != nil {
		return fmt.Errorf("yoga82: %w", err)
	}
	return nil
}

func classBar(title string, cs []ClassCount) chart.Bar {
	b := chart.Bar{Title: title, XLabel: "images on disk"}
	for _, c := range cs {
		b.Labels = append(b.Labels, c.Name)
		b.Values = append(b.Values, float64(c.Images))
	}
	return b
}

// sizeHistogram bins the longer side up to the 99th percentile, so that a
// few huge images do not squash the rest (they land in the last bin).
func sizeHistogram(long []float64) chart.Histogram {
	h := chart.Histogram{Title: "Longer image side", XLabel: "pixels", Values: long, Bins: 30}
	if len(long) > 0 {
		s := append([]float64(nil), long...)
		sort.Float64s(s)
		h.Max = s[int(0.99*float64(len(s)-1))]
	}
	return h
}

func (st Stats) markdown(w *bytes.Buffer) {
	fmt.Fprintf(w, "# Yoga-82 images: statistics\n\n")
	fmt.Fprintf(w, "- images: %d (%.1f MB); unreadable: %d; in no split: %d\n", st.Images, float64(st.Bytes)/1e6, len(st.Unreadable), st.Unlisted)
	if len(st.Unknown) > 0 {
		fmt.Fprintf(w, "- folders that are not classes (not counted per class): %s\n", strings.Join(st.Unknown, ", "))
	}
	fmt.Fprintf(w, "- formats: %s; extension not matching the format: %d\n", formats(st.Formats), st.Misnamed)
	q := func(x Quantiles) string {
		return fmt.Sprintf("min %.0f, 5%% %.0f, median %.0f, 95%% %.0f, max %.0f", x.Min, x.P5, x.Median, x.P95, x.Max)
	}
	fmt.Fprintf(w, "- width (px): %s\n- height (px): %s\n- file size (KB): %s\n", q(st.Width), q(st.Height), q(st.FileKB))
	cross, leak := 0, 0
	for _, d := range st.Duplicates {
		cross += b2i(d.CrossClass)
		leak += b2i(d.CrossSplit)
	}
	fmt.Fprintf(w, "- exact duplicates (same SHA-256): %d sets, %d extra files; %d sets span classes, %d span splits (leakage)\n\n",
		len(st.Duplicates), st.DuplicateFiles, cross, leak)
	for _, lv := range []struct {
		n    int
		rows []ClassCount
	}{{6, st.Class6}, {20, st.Class20}, {82, st.Class82}} {
		fmt.Fprintf(w, "## Images per class: %d classes\n\n![images per class](class%d.png)\n\n", lv.n, lv.n)
		st.classTable(w, lv.rows)
	}
	fmt.Fprintf(w, "## Image sizes\n\n![longer side](longside.png)\n\n")
	st.duplicateTable(w)
}

func (st Stats) classTable(w *bytes.Buffer, rows []ClassCount) {
	fmt.Fprintf(w, "| id | class | images |")
	sep := "|---:|---|---:|"
	for _, s := range st.Splits {
		fmt.Fprintf(w, " %s |", mdEscape(s))
		sep += "---:|"
	}
	fmt.Fprintf(w, "\n%s\n", sep)
	for _, c := range rows {
		fmt.Fprintf(w, "| %d | %s | %d |", c.ID, mdEscape(c.Name), c.Images)
		for _, n := range c.Splits {
			fmt.Fprintf(w, " %d |", n)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
}

func (st Stats) duplicateTable(w *bytes.Buffer) {
	fmt.Fprintf(w, "## Exact duplicates\n\n")
	if len(st.Duplicates) == 0 {
		fmt.Fprintf(w, "None.\n")
		return
	}
	// Leakage first, then cross-class, then the rest.
	ds := append([]Duplicate(nil), st.Duplicates...)
	sort.SliceStable(ds, func(i, j int) bool {
		return 2*b2i(ds[i].CrossSplit)+b2i(ds[i].CrossClass) > 2*b2i(ds[j].CrossSplit)+b2i(ds[j].CrossClass)
	})
	fmt.Fprintf(w, "| sha256 | files | across classes | across splits |\n|---|---|---|---|\n")
	for i, d := range ds {
		if i == maxDuplicateRows {
			fmt.Fprintf(w, "\n%d more sets in %s.\n", len(ds)-i, ReportJSON)
			break
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", d.SHA256[:12], mdEscape(strings.Join(d.Paths, ", ")), yes(d.CrossClass), yes(d.CrossSplit))
	}
}

func formats(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

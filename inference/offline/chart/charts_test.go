package chart_test

import (
	"bytes"
	"fmt"
	"image"
	"math"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/inference/offline/chart"
)

// longNames makes n class names of varied, sometimes very long, lengths.
func longNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("Pose_%02d", i) + strings.Repeat("_or_Asana", i%7)
	}
	return out
}

func TestGolden(t *testing.T) {
	names82 := longNames(82)
	vals82 := make([]float64, 82)
	for i := range vals82 {
		vals82[i] = float64((i*37)%90*12 + 40)
	}
	sizes := make([]float64, 500)
	for i := range sizes {
		sizes[i] = 200 + float64((i*7919)%1000) + 300*math.Sin(float64(i))
	}
	conf5 := [][]float64{{50, 3, 0, 1, 0}, {2, 40, 8, 0, 0}, {0, 12, 30, 0, 1}, {0, 0, 0, 9, 1}, {1000, 0, 0, 0, 1}}
	conf82 := make([][]float64, 82)
	for i := range conf82 {
		conf82[i] = make([]float64, 82)
		conf82[i][i] = 20 + float64(i%9)
		conf82[i][(i+1)%82] = float64(i % 5)
		conf82[i][(i*13)%82] += 3
	}
	for _, tc := range []struct {
		name  string
		chart pngChart
	}{
		{"bar82", chart.Bar{Title: "Images per class (82)", XLabel: "images", Labels: names82, Values: vals82}},
		{"bar_small", chart.Bar{Title: "Formats", Labels: []string{"jpeg", "png", "webp named .jpg"}, Values: []float64{0.5, 12.25, 3}, Width: 400, Format: "%.2f"}},
		{"hist", chart.Histogram{Title: "Longest side", XLabel: "pixels", Values: sizes, Bins: 25}},
		{"hist_range", chart.Histogram{Title: "Clipped range", Values: sizes, Min: 0, Max: 800, Bins: 8, Width: 400, Height: 300}},
		{"heatmap5", chart.Heatmap{Title: "Confusion (5 classes)", XLabel: "predicted", YLabel: "true",
			Labels: []string{"chair", "cobra", "dog", "tree", "warrior II, a long name"}, Counts: conf5}},
		{"heatmap82", chart.Heatmap{Title: "Confusion (82 classes)", XLabel: "predicted", YLabel: "true", Labels: names82, Counts: conf82}},
		{"line", chart.Line{Title: "Loss", XLabel: "epoch", YLabel: "loss", Series: []chart.Series{
			{Name: "training", Values: []float64{2.3, 1.6, 1.2, 0.9, 0.75, 0.66, 0.6, 0.55}},
			{Name: "validation", Values: []float64{2.4, 1.8, 1.5, math.NaN(), 1.2, 1.19, 1.22, 1.3}},
		}}},
		{"line_x", chart.Line{Title: "Accuracy", XLabel: "step", X: []float64{0, 100, 250, 1000}, Width: 400, Height: 300,
			Series: []chart.Series{{Name: "top-1", Values: []float64{0.1, 0.42, 0.61, 0.83}}}}},
	} {
		t.Run(tc.name, func(t *testing.T) { golden(t, tc.name, tc.chart) })
	}
}

func TestDeterministic(t *testing.T) {
	c := chart.Heatmap{Labels: []string{"a", "b"}, Counts: [][]float64{{1, 2}, {3, 4}}}
	var a, b bytes.Buffer
	if err := c.PNG(&a); err != nil {
		t.Fatal(err)
	}
	if err := c.PNG(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("two renders of the same heatmap differ")
	}
}

func TestBarLengthFollowsValue(t *testing.T) {
	img, err := chart.Bar{Labels: []string{"a", "b"}, Values: []float64{10, 5}, Width: 300}.Image()
	if err != nil {
		t.Fatal(err)
	}
	// Bars use the bar colour; measure each row's coloured run.
	runs := colouredRuns(img)
	if len(runs) != 2 || runs[0] < 2*runs[1]-3 || runs[0] > 2*runs[1]+3 {
		t.Fatalf("bar lengths %v, want the first twice the second", runs)
	}
}

func colouredRuns(img *image.RGBA) []int {
	var out []int
	last := -10
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		n := 0
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if c := img.RGBAAt(x, y); c.R == 66 && c.G == 114 && c.B == 196 {
				n++
			}
		}
		if n > 0 && y > last+1 {
			out = append(out, n)
		}
		if n > 0 {
			last = y
		}
	}
	return out
}

func TestHistogramCounts(t *testing.T) {
	edges, counts, under, over := chart.Histogram{Values: []float64{-5, 0, 0.5, 1, 1.5, 2, 9}, Min: 0, Max: 2, Bins: 2}.Counts()
	if fmt.Sprint(edges, counts, under, over) != "[0 1 2] [3 4] 1 1" {
		t.Fatalf("got edges %v counts %v under %d over %d", edges, counts, under, over)
	}
}

func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		chart pngChart
		want  string
	}{
		{"bar mismatch", chart.Bar{Labels: []string{"a"}, Values: []float64{1, 2}}, "1 labels but 2 values"},
		{"bar negative", chart.Bar{Labels: []string{"a"}, Values: []float64{-1}}, "negative"},
		{"bar NaN", chart.Bar{Labels: []string{"a"}, Values: []float64{math.NaN()}}, "values[0] is NaN"},
		{"bar empty", chart.Bar{}, "no values"},
		{"hist range", chart.Histogram{Values: []float64{1}, Min: 2, Max: 1}, "bad bins"},
		{"heatmap ragged", chart.Heatmap{Labels: []string{"a", "b"}, Counts: [][]float64{{1, 2}, {3}}}, "row 1 has 1 cells, want 2"},
		{"heatmap labels", chart.Heatmap{Labels: []string{"a"}, Counts: [][]float64{{1}, {2}}}, "2 rows but 1 labels"},
		{"line empty", chart.Line{}, "no values"},
		{"line short x", chart.Line{X: []float64{1}, Series: []chart.Series{{Values: []float64{1, 2}}}}, "1 x values for 2 points"},
		{"bar huge", chart.Bar{Labels: []string{"a"}, Values: []float64{1}, Width: 1 << 20}, "out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.chart.PNG(&bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "chart: ") {
				t.Fatalf("error %v, want chart: …%s", err, tc.want)
			}
		})
	}
}

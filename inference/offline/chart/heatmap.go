package chart

import (
	"fmt"
	"image"
	"image/color"
	"io"
	"math"
)

// Heatmap draws a matrix of counts, such as a confusion matrix, with rows
// labelled on the left and columns along the bottom. Cell colours are
// normalised per row (the share of the row's total), so small and large
// classes read alike; counts are written in the cells when they fit.
type Heatmap struct {
	Title          string
	XLabel, YLabel string      // e.g. "predicted", "true"
	Labels         []string    // row labels; also the column labels unless ColLabels is set
	ColLabels      []string    // optional
	Counts         [][]float64 // Counts[row][col], non-negative
	Cell           int         // cell size in pixels; 0 picks 14..40 by size
	LabelWidth     int         // pixels for labels; 0 means 180
}

// PNG writes the chart as a PNG.
func (hm Heatmap) PNG(w io.Writer) error {
	img, err := hm.Image()
	if err != nil {
		return err
	}
	return writePNG(w, img)
}

func (hm Heatmap) check() ([]string, error) {
	cols := hm.ColLabels
	if cols == nil {
		cols = hm.Labels
	}
	if len(hm.Counts) == 0 || len(hm.Counts) != len(hm.Labels) {
		return nil, fmt.Errorf("chart: heatmap: %d rows but %d labels", len(hm.Counts), len(hm.Labels))
	}
	for i, r := range hm.Counts {
		if len(r) != len(cols) {
			return nil, fmt.Errorf("chart: heatmap: row %d has %d cells, want %d", i, len(r), len(cols))
		}
		if err := checkFinite(fmt.Sprintf("heatmap: counts[%d]", i), r); err != nil {
			return nil, err
		}
		for j, v := range r {
			if v < 0 {
				return nil, fmt.Errorf("chart: heatmap: counts[%d][%d] = %v is negative", i, j, v)
			}
		}
	}
	return cols, nil
}

// Image draws the chart.
func (hm Heatmap) Image() (*image.RGBA, error) {
	cols, err := hm.check()
	if err != nil {
		return nil, err
	}
	rows := len(hm.Counts)
	cell := hm.Cell
	if cell <= 0 {
		cell = max(14, min(40, 720/max(rows, len(cols))))
	}
	c, err := newCanvas(1, 1) // only to measure labels
	if err != nil {
		return nil, err
	}
	lw := 0
	for _, l := range append(append([]string(nil), hm.Labels...), cols...) {
		lw = max(lw, textWidth(c.face, l)+10)
	}
	lw = min(lw, orDefault(hm.LabelWidth, 180))
	lh := 20 // one line of text plus padding
	w := margin + lh + lw + len(cols)*cell + 70 + margin
	h := margin + 2*lh + rows*cell + lw + lh + margin
	if c, err = newCanvas(w, h); err != nil {
		return nil, err
	}
	top := c.titleBlock(hm.Title) + 4
	x0 := margin + lh + lw
	grid := image.Rect(x0, top, x0+len(cols)*cell, top+rows*cell)
	hm.cells(c, grid, cell)
	hm.labels(c, grid, cell, lw, cols)
	if hm.YLabel != "" {
		c.textUp(c.face, margin, (grid.Min.Y+grid.Max.Y)/2+textWidth(c.face, hm.YLabel)/2, hm.YLabel, ink)
	}
	if hm.XLabel != "" {
		c.text(c.face, (grid.Min.X+grid.Max.X)/2, grid.Max.Y+lw+5, hm.XLabel, ink, center)
	}
	legend(c, image.Rect(grid.Max.X+15, grid.Min.Y, grid.Max.X+27, grid.Min.Y+min(grid.Dy(), 200)))
	return c.img, nil
}

// labels writes row labels left of the grid and column labels, rotated,
// under it.
func (hm Heatmap) labels(c *canvas, grid image.Rectangle, cell, lw int, cols []string) {
	for i, l := range hm.Labels {
		y := grid.Min.Y + i*cell + (cell-lineHeight(c.face))/2
		c.text(c.face, grid.Min.X-5, y, fit(c.face, l, lw-5), ink, right)
	}
	for j, l := range cols {
		x := grid.Min.X + j*cell + (cell-lineHeight(c.face))/2
		l = fit(c.face, l, lw-5)
		c.textUp(c.face, x, grid.Max.Y+5+textWidth(c.face, l), l, ink)
	}
}

func (hm Heatmap) cells(c *canvas, grid image.Rectangle, cell int) {
	for i, r := range hm.Counts {
		sum := 0.0
		for _, v := range r {
			sum += v
		}
		for j, v := range r {
			share := 0.0
			if sum > 0 {
				share = v / sum
			}
			x, y := grid.Min.X+j*cell, grid.Min.Y+i*cell
			c.fill(image.Rect(x, y, x+cell, y+cell), ramp(share))
			s := valueLabel(v, "")
			if v == 0 || textWidth(c.small, s) > cell-2 || lineHeight(c.small) > cell-1 {
				continue
			}
			col := color.Color(ink)
			if share > 0.55 {
				col = background
			}
			c.text(c.small, x+cell/2, y+(cell-lineHeight(c.small))/2, s, col, center)
		}
	}
	// Thin grid lines help to follow rows and columns in large matrices.
	for j := 0; j <= len(hm.Counts[0]); j++ {
		c.fill(image.Rect(grid.Min.X+j*cell, grid.Min.Y, grid.Min.X+j*cell+1, grid.Max.Y), gridLine)
	}
	for i := 0; i <= len(hm.Counts); i++ {
		c.fill(image.Rect(grid.Min.X, grid.Min.Y+i*cell, grid.Max.X+1, grid.Min.Y+i*cell+1), gridLine)
	}
}

var gridLine = color.RGBA{200, 200, 200, 255}

// ramp maps a share in [0, 1] to white through light blue to dark blue.
func ramp(t float64) color.RGBA {
	stops := [...]color.RGBA{{255, 255, 255, 255}, {158, 202, 225, 255}, {49, 130, 189, 255}, {8, 48, 107, 255}}
	t = math.Max(0, math.Min(1, t)) * float64(len(stops)-1)
	i := min(int(t), len(stops)-2)
	f := t - float64(i)
	mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*f)) }
	a, b := stops[i], stops[i+1]
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 255}
}

// legend draws the colour scale of ramp from 100 % (top) to 0 % (bottom).
func legend(c *canvas, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		t := 1 - float64(y-r.Min.Y)/float64(max(1, r.Dy()-1))
		c.fill(image.Rect(r.Min.X, y, r.Max.X, y+1), ramp(t))
	}
	c.text(c.small, r.Max.X+4, r.Min.Y, "100%", muted, left)
	c.text(c.small, r.Max.X+4, r.Max.Y-lineHeight(c.small), "0%", muted, left)
	c.text(c.small, r.Max.X+4, r.Min.Y+lineHeight(c.small), "of row", muted, left)
}

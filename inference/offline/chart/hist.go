package chart

import (
	"fmt"
	"image"
	"io"
	"math"
)

// Histogram counts Values into Bins equal bins over [Min, Max] and draws
// them as vertical bars. Values outside the range are counted in the first
// or last bin and the overflow is noted under the chart.
type Histogram struct {
	Title, XLabel string
	Values        []float64
	Bins          int     // 0 means 20
	Min, Max      float64 // both 0: the data's range
	Width, Height int     // pixels; 0 means 640 x 400
}

// PNG writes the chart as a PNG.
func (hg Histogram) PNG(w io.Writer) error {
	img, err := hg.Image()
	if err != nil {
		return err
	}
	return writePNG(w, img)
}

// Counts returns the bin edges (Bins+1) and counts, plus how many values fell
// below Min and above Max (already included in the first and last bins).
func (hg Histogram) Counts() (edges []float64, counts []int, under, over int) {
	bins := orDefault(hg.Bins, 20)
	lo, hi := hg.Min, hg.Max
	if lo == 0 && hi == 0 && len(hg.Values) > 0 {
		lo, hi = math.Inf(1), math.Inf(-1)
		for _, v := range hg.Values {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if hi <= lo {
		lo, hi = lo-0.5, lo+0.5
	}
	edges = make([]float64, bins+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(bins)
	}
	counts = make([]int, bins)
	for _, v := range hg.Values {
		i := int(math.Floor((v - lo) / (hi - lo) * float64(bins)))
		switch {
		case v < lo:
			under++
		case v > hi:
			over++
		}
		counts[max(0, min(bins-1, i))]++
	}
	return edges, counts, under, over
}

// Image draws the chart.
func (hg Histogram) Image() (*image.RGBA, error) {
	if err := checkFinite("histogram: values", hg.Values); err != nil {
		return nil, err
	}
	if hg.Bins < 0 || hg.Bins > 1000 || hg.Max < hg.Min {
		return nil, fmt.Errorf("chart: histogram: bad bins %d or range [%v, %v]", hg.Bins, hg.Min, hg.Max)
	}
	c, err := newCanvas(orDefault(hg.Width, 640), orDefault(hg.Height, 400))
	if err != nil {
		return nil, err
	}
	edges, counts, under, over := hg.Counts()
	top := c.titleBlock(hg.Title)
	maxC := 0
	for _, n := range counts {
		maxC = max(maxC, n)
	}
	w, h := c.img.Rect.Dx(), c.img.Rect.Dy()
	yt := ticks(0, float64(max(maxC, 1)), 5)
	x0 := margin + textWidth(c.face, tickLabel(yt[len(yt)-1], 1)) + 8
	bottom := h - margin - 2*lineHeight(c.face) - 10
	plot := image.Rect(x0, top, w-margin-10, bottom)
	ys := scale{0, yt[len(yt)-1], float64(bottom), float64(top)}
	xs := scale{edges[0], edges[len(edges)-1], float64(plot.Min.X), float64(plot.Max.X)}
	yAxis(c, ys, yt, plot)
	for i, n := range counts {
		r := image.Rect(xs.px(edges[i])+1, ys.px(float64(n)), xs.px(edges[i+1]), bottom)
		c.fill(r, barColor)
	}
	xAxis(c, xs, ticks(edges[0], edges[len(edges)-1], max(2, plot.Dx()/80)), plot)
	label := hg.XLabel
	if under+over > 0 {
		label = fmt.Sprintf("%s  (%d below, %d above the range, counted in the end bins)", label, under, over)
	}
	c.text(c.face, (plot.Min.X+plot.Max.X)/2, h-margin-lineHeight(c.face), label, ink, center)
	return c.img, nil
}

// yAxis draws horizontal grid lines with labels left of the plot.
func yAxis(c *canvas, s scale, tk []float64, plot image.Rectangle) {
	step := 1.0
	if len(tk) > 1 {
		step = tk[1] - tk[0]
	}
	for _, t := range tk {
		y := s.px(t)
		c.fill(image.Rect(plot.Min.X, y, plot.Max.X, y+1), grid)
		c.text(c.face, plot.Min.X-5, y-lineHeight(c.face)/2, tickLabel(t, step), muted, right)
	}
	c.fill(image.Rect(plot.Min.X, plot.Min.Y, plot.Min.X+1, plot.Max.Y), ink)
}

// xAxis draws the bottom axis with ticks inside [s.lo, s.hi].
func xAxis(c *canvas, s scale, tk []float64, plot image.Rectangle) {
	step := 1.0
	if len(tk) > 1 {
		step = tk[1] - tk[0]
	}
	c.fill(image.Rect(plot.Min.X, plot.Max.Y, plot.Max.X, plot.Max.Y+1), ink)
	for _, t := range tk {
		if t < s.lo-step*1e-9 || t > s.hi+step*1e-9 {
			continue
		}
		x := s.px(t)
		c.fill(image.Rect(x, plot.Max.Y, x+1, plot.Max.Y+4), ink)
		c.text(c.face, x, plot.Max.Y+5, tickLabel(t, step), muted, center)
	}
}

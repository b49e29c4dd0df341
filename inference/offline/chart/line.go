package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"math"

	"golang.org/x/image/vector"
)

// Series is one named line. NaN values leave a gap.
type Series struct {
	Name   string
	Values []float64
}

// Line draws several series against a shared x axis (1, 2, 3… unless X is
// set), e.g. training and validation loss per epoch, with a legend.
type Line struct {
	Title, XLabel, YLabel string
	X                     []float64 // optional shared x values, increasing
	Series                []Series
	Width, Height         int // pixels; 0 means 720 x 420
}

// PNG writes the chart as a PNG.
func (l Line) PNG(w io.Writer) error {
	img, err := l.Image()
	if err != nil {
		return err
	}
	return writePNG(w, img)
}

// bounds checks the data and returns the x values and the data's ranges.
func (l Line) bounds() (xs []float64, xlo, xhi, ylo, yhi float64, err error) {
	n := 0
	for _, s := range l.Series {
		n = max(n, len(s.Values))
	}
	if n == 0 {
		return nil, 0, 0, 0, 0, errors.New("chart: line: no values")
	}
	xs = l.X
	if xs == nil {
		xs = make([]float64, n)
		for i := range xs {
			xs[i] = float64(i + 1)
		}
	}
	if len(xs) < n {
		return nil, 0, 0, 0, 0, fmt.Errorf("chart: line: %d x values for %d points", len(xs), n)
	}
	if err := checkFinite("line: x", xs); err != nil {
		return nil, 0, 0, 0, 0, err
	}
	ylo, yhi = math.Inf(1), math.Inf(-1)
	for _, s := range l.Series {
		for _, v := range s.Values {
			if math.IsInf(v, 0) {
				return nil, 0, 0, 0, 0, fmt.Errorf("chart: line: series %q has %v", s.Name, v)
			}
			if !math.IsNaN(v) {
				ylo, yhi = min(ylo, v), max(yhi, v)
			}
		}
	}
	if math.IsInf(ylo, 1) {
		ylo, yhi = 0, 1
	}
	return xs, xs[0], xs[n-1], ylo, yhi, nil
}

// Image draws the chart.
func (l Line) Image() (*image.RGBA, error) {
	xs, xlo, xhi, ylo, yhi, err := l.bounds()
	if err != nil {
		return nil, err
	}
	c, err := newCanvas(orDefault(l.Width, 720), orDefault(l.Height, 420))
	if err != nil {
		return nil, err
	}
	w, h := c.img.Rect.Dx(), c.img.Rect.Dy()
	top := c.titleBlock(l.Title)
	yt := ticks(ylo, yhi, 5)
	ystep := yt[1] - yt[0]
	labelW := max(textWidth(c.face, tickLabel(yt[0], ystep)), textWidth(c.face, tickLabel(yt[len(yt)-1], ystep)))
	plot := image.Rect(margin+lineHeight(c.face)+6+labelW+6, top, w-margin-10, h-margin-2*lineHeight(c.face)-10)
	ys := scale{yt[0], yt[len(yt)-1], float64(plot.Max.Y), float64(plot.Min.Y)}
	if xhi == xlo {
		xlo, xhi = xlo-1, xhi+1
	}
	xsc := scale{xlo, xhi, float64(plot.Min.X), float64(plot.Max.X)}
	yAxis(c, ys, yt, plot)
	xAxis(c, xsc, ticks(xlo, xhi, max(2, plot.Dx()/80)), plot)
	for i, s := range l.Series {
		polyline(c, s.Values, xs, xsc, ys, palette(i))
	}
	l.legend(c, plot)
	c.text(c.face, (plot.Min.X+plot.Max.X)/2, h-margin-lineHeight(c.face), l.XLabel, ink, center)
	if l.YLabel != "" {
		c.textUp(c.face, margin, (plot.Min.Y+plot.Max.Y)/2+textWidth(c.face, l.YLabel)/2, l.YLabel, ink)
	}
	return c.img, nil
}

// polyline strokes a series 2 px wide, anti-aliased, with dots on the points
// when there are few of them. Dots get their own pass: the rasterizer sums
// signed coverage, so overlapping shapes of opposite winding would cancel.
func polyline(c *canvas, vals, xs []float64, xsc, ys scale, col color.Color) {
	lines := vector.NewRasterizer(c.img.Rect.Dx(), c.img.Rect.Dy())
	dots := vector.NewRasterizer(c.img.Rect.Dx(), c.img.Rect.Dy())
	const hw = 1.0 // half width
	prev, have := [2]float64{}, false
	for i, v := range vals {
		if math.IsNaN(v) {
			have = false
			continue
		}
		p := [2]float64{xsc.at(xs[i]), ys.at(v)}
		if have {
			segment(lines, prev, p, hw)
		}
		if len(vals) <= 40 {
			dot(dots, p, 2.5)
		} else if !have {
			dot(dots, p, hw)
		}
		prev, have = p, true
	}
	src := image.NewUniform(col)
	lines.Draw(c.img, c.img.Rect, src, image.Point{})
	dots.Draw(c.img, c.img.Rect, src, image.Point{})
}

// segment adds a quad of half-width hw around a-b, with the ends extended
// by hw so that joins look closed.
func segment(r *vector.Rasterizer, a, b [2]float64, hw float64) {
	dx, dy := b[0]-a[0], b[1]-a[1]
	n := math.Hypot(dx, dy)
	if n == 0 {
		return
	}
	ux, uy := dx/n*hw, dy/n*hw
	r.MoveTo(f32(a[0]-ux-uy), f32(a[1]-uy+ux))
	r.LineTo(f32(b[0]+ux-uy), f32(b[1]+uy+ux))
	r.LineTo(f32(b[0]+ux+uy), f32(b[1]+uy-ux))
	r.LineTo(f32(a[0]-ux+uy), f32(a[1]-uy-ux))
	r.ClosePath()
}

// dot adds a 12-sided disc.
func dot(r *vector.Rasterizer, p [2]float64, rad float64) {
	for k := 0; k < 12; k++ {
		a := float64(k) * math.Pi / 6
		x, y := f32(p[0]+rad*math.Cos(a)), f32(p[1]+rad*math.Sin(a))
		if k == 0 {
			r.MoveTo(x, y)
		} else {
			r.LineTo(x, y)
		}
	}
	r.ClosePath()
}

func f32(v float64) float32 { return float32(v) }

// legend lists the series in the plot's top right corner.
func (l Line) legend(c *canvas, plot image.Rectangle) {
	wmax := 0
	for _, s := range l.Series {
		wmax = max(wmax, textWidth(c.face, s.Name))
	}
	lh := lineHeight(c.face) + 2
	box := image.Rect(plot.Max.X-wmax-40, plot.Min.Y+6, plot.Max.X-6, plot.Min.Y+10+lh*len(l.Series))
	c.fill(box, grid)
	c.fill(box.Inset(1), background)
	for i, s := range l.Series {
		y := box.Min.Y + 3 + i*lh
		c.fill(image.Rect(box.Min.X+6, y+lh/2-2, box.Min.X+24, y+lh/2+1), palette(i))
		c.text(c.face, box.Min.X+30, y, s.Name, ink, left)
	}
}

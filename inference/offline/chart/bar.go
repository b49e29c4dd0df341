package chart

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
)

// Bar is a horizontal bar chart: one labelled bar per value, with the value
// written at the end of the bar. Long labels are shortened with an ellipsis;
// the height grows with the number of bars.
type Bar struct {
	Title  string
	XLabel string // under the value axis
	Labels []string
	Values []float64 // non-negative
	Width  int       // pixels; 0 means 800
	Row    int       // pixels per bar; 0 means 18
	Format string    // fmt verb for value labels; "" means integers plainly, else 3 digits
	Color  color.Color
}

// PNG writes the chart as a PNG.
func (b Bar) PNG(w io.Writer) error {
	img, err := b.Image()
	if err != nil {
		return err
	}
	return writePNG(w, img)
}

// Image draws the chart.
func (b Bar) Image() (*image.RGBA, error) {
	if len(b.Labels) != len(b.Values) {
		return nil, fmt.Errorf("chart: bar: %d labels but %d values", len(b.Labels), len(b.Values))
	}
	if err := checkFinite("bar: values", b.Values); err != nil {
		return nil, err
	}
	for i, v := range b.Values {
		if v < 0 {
			return nil, fmt.Errorf("chart: bar: values[%d] = %v is negative", i, v)
		}
	}
	if len(b.Values) == 0 {
		return nil, errors.New("chart: bar: no values")
	}
	width, row := orDefault(b.Width, 800), orDefault(b.Row, 18)
	height := margin + 30 + len(b.Values)*row + 50
	c, err := newCanvas(width, height)
	if err != nil {
		return nil, err
	}
	b.draw(c, row)
	return c.img, nil
}

func orDefault(v, def int) int {
	if v <= 0 {
		return def
	}
	return v
}

func (b Bar) draw(c *canvas, row int) {
	w, h := c.img.Rect.Dx(), c.img.Rect.Dy()
	top := c.titleBlock(b.Title)
	labelW := 0
	for _, l := range b.Labels {
		labelW = max(labelW, textWidth(c.face, l))
	}
	labelW = min(labelW, w*2/5)
	maxV, valueW := 0.0, 0
	for _, v := range b.Values {
		maxV = max(maxV, v)
		valueW = max(valueW, textWidth(c.face, valueLabel(v, b.Format)))
	}
	x0, x1 := margin+labelW+6, w-margin-valueW-6
	bottom := top + len(b.Values)*row
	tk := ticks(0, maxV, max(2, (x1-x0)/60))
	sc := scale{0, tk[len(tk)-1], float64(x0), float64(x1)}
	b.axis(c, sc, tk, top, bottom)
	col := b.Color
	if col == nil {
		col = barColor
	}
	for i, v := range b.Values {
		y := top + i*row
		label := fit(c.face, b.Labels[i], labelW)
		ty := y + (row-lineHeight(c.face))/2
		c.text(c.face, x0-6, ty, label, ink, right)
		end := sc.px(v)
		c.fill(image.Rect(x0, y+2, end, y+row-2), col)
		c.text(c.face, end+4, ty, valueLabel(v, b.Format), muted, left)
	}
	if b.XLabel != "" {
		c.text(c.face, (x0+x1)/2, h-margin-lineHeight(c.face), b.XLabel, ink, center)
	}
}

// axis draws vertical grid lines with tick labels under the bars.
func (b Bar) axis(c *canvas, sc scale, tk []float64, top, bottom int) {
	step := 1.0
	if len(tk) > 1 {
		step = tk[1] - tk[0]
	}
	for _, t := range tk {
		x := sc.px(t)
		c.fill(image.Rect(x, top, x+1, bottom), grid)
		c.text(c.face, x, bottom+4, tickLabel(t, step), muted, center)
	}
	x0 := sc.px(0)
	c.fill(image.Rect(x0, top, x0+1, bottom), ink)
}

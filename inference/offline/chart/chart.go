// Package chart draws simple, deterministic PNG charts in pure Go: horizontal
// bar charts, histograms, heatmaps (confusion matrices) and line charts. The
// same input always gives the same pixels, so charts can be golden-tested.
//
// Each chart is a plain struct; fill it and call PNG or Image:
//
//	err := chart.Bar{Title: "Images per class", Labels: names, Values: counts}.PNG(w)
package chart

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Colours shared by every chart.
var (
	background = color.RGBA{255, 255, 255, 255}
	ink        = color.RGBA{33, 33, 33, 255}
	muted      = color.RGBA{110, 110, 110, 255}
	grid       = color.RGBA{228, 228, 228, 255}
	barColor   = color.RGBA{66, 114, 196, 255}
)

// palette gives series colours (Tableau 10).
func palette(i int) color.RGBA {
	p := [...]color.RGBA{
		{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
		{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255},
		{188, 189, 34, 255}, {23, 190, 207, 255},
	}
	return p[i%len(p)]
}

const margin = 12

// canvas is an image with the faces used to write on it.
type canvas struct {
	img                *image.RGBA
	face, small, title font.Face
}

func newCanvas(w, h int) (*canvas, error) {
	if w <= 0 || h <= 0 || w > 16000 || h > 16000 {
		return nil, fmt.Errorf("chart: size %dx%d out of range", w, h)
	}
	reg, err := opentype.Parse(goregular.TTF)
	if err != nil {
		return nil, fmt.Errorf("chart: font: %w", err)
	}
	bold, err := opentype.Parse(gobold.TTF)
	if err != nil {
		return nil, fmt.Errorf("chart: font: %w", err)
	}
	c := &canvas{img: image.NewRGBA(image.Rect(0, 0, w, h))}
	for _, f := range []struct {
		dst  *font.Face
		font *opentype.Font
		size float64
	}{{&c.face, reg, 12}, {&c.small, reg, 10}, {&c.title, bold, 15}} {
		if *f.dst, err = opentype.NewFace(f.font, &opentype.FaceOptions{
			Size: f.size, DPI: 72, Hinting: font.HintingFull,
		}); err != nil {
			return nil, fmt.Errorf("chart: font: %w", err)
		}
	}
	draw.Draw(c.img, c.img.Bounds(), image.NewUniform(background), image.Point{}, draw.Src)
	return c, nil
}

// lineHeight is the height of a line of text in face f.
func lineHeight(f font.Face) int { return f.Metrics().Height.Ceil() }

func textWidth(f font.Face, s string) int { return font.MeasureString(f, s).Ceil() }

// fit shortens s with an ellipsis until it is at most w pixels wide.
func fit(f font.Face, s string, w int) string {
	if textWidth(f, s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && textWidth(f, string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	if len(r) == 0 {
		return ""
	}
	return string(r) + "…"
}

// align is the horizontal anchor of a text.
type align int

const (
	left align = iota
	center
	right
)

// text writes s with its top at y, anchored at x.
func (c *canvas) text(f font.Face, x, y int, s string, col color.Color, a align) {
	drawText(c.img, f, x, y, s, col, a)
}

func drawText(dst draw.Image, f font.Face, x, y int, s string, col color.Color, a align) {
	switch a {
	case center:
		x -= textWidth(f, s) / 2
	case right:
		x -= textWidth(f, s)
	}
	d := font.Drawer{Dst: dst, Src: image.NewUniform(col), Face: f,
		Dot: fixed.P(x, y+f.Metrics().Ascent.Ceil())}
	d.DrawString(s)
}

// textUp writes s rotated 90° anticlockwise, reading bottom to top, with its
// right end (the start of the text) at (x, y) and its top edge at x.
func (c *canvas) textUp(f font.Face, x, y int, s string, col color.Color) {
	w, h := textWidth(f, s), lineHeight(f)
	tmp := image.NewRGBA(image.Rect(0, 0, w, h))
	drawText(tmp, f, 0, 0, s, col, left)
	for ty := 0; ty < h; ty++ {
		for tx := 0; tx < w; tx++ {
			px := tmp.RGBAAt(tx, ty)
			if px.A == 0 {
				continue
			}
			// (tx, ty) -> (x+ty, y-tx): the text's baseline runs upwards.
			blend(c.img, x+ty, y-tx, px)
		}
	}
}

// blend draws a premultiplied pixel over dst.
func blend(dst *image.RGBA, x, y int, src color.RGBA) {
	if !(image.Point{x, y}.In(dst.Rect)) {
		return
	}
	d := dst.RGBAAt(x, y)
	a := 255 - uint32(src.A)
	mix := func(s, d uint8) uint8 { return uint8(uint32(s) + (uint32(d)*a+127)/255) }
	dst.SetRGBA(x, y, color.RGBA{mix(src.R, d.R), mix(src.G, d.G), mix(src.B, d.B), mix(src.A, d.A)})
}

func (c *canvas) fill(r image.Rectangle, col color.Color) {
	draw.Draw(c.img, r, image.NewUniform(col), image.Point{}, draw.Src)
}

// titleBlock writes the title centred at the top and returns the y below it.
func (c *canvas) titleBlock(title string) int {
	if title == "" {
		return margin
	}
	w := c.img.Rect.Dx()
	c.text(c.title, w/2, margin, fit(c.title, title, w-2*margin), ink, center)
	return margin + lineHeight(c.title) + 8
}

// writePNG encodes img.
func writePNG(w io.Writer, img image.Image) error {
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return nil
}

// checkFinite rejects NaN and infinite values, naming what holds them.
func checkFinite(what string, v []float64) error {
	for i, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Errorf("chart: %s[%d] is %v", what, i, x)
		}
	}
	return nil
}

package display

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// bigText draws the clock's digits from cached glyph masks, squeezed
// horizontally when the screen is narrow: digits a third of the screen's
// height must fit a portrait panel, and a 1080p clock redrawn every second
// should cost blits, not rasterising 400-pixel glyphs.
type bigText struct {
	face    font.Face
	squeeze float64 // horizontal scale, (0, 1]
	height  int     // height of a digit in pixels
	glyphs  map[rune]glyph
}

type glyph struct {
	mask *image.Alpha // at the origin
	off  image.Point  // the mask's top-left from the dot
	adv  float64      // advance, squeezed, in pixels
}

func newBigText(face font.Face, squeeze float64) *bigText {
	return &bigText{face: face, squeeze: squeeze, height: digitHeight(face), glyphs: map[rune]glyph{}}
}

// digitHeight is the height of "0" in face, in pixels.
func digitHeight(face font.Face) int {
	b, _ := font.BoundString(face, "0")
	return -b.Min.Y.Floor()
}

func (b *bigText) glyph(r rune) glyph {
	if g, ok := b.glyphs[r]; ok {
		return g
	}
	dr, mask, mp, adv, ok := b.face.Glyph(fixed.P(0, 0), r)
	g := glyph{adv: float64(adv) / 64 * b.squeeze}
	if ok && !dr.Empty() {
		src := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		draw.Draw(src, src.Rect, mask, mp, draw.Src)
		g.mask = src
		if b.squeeze < 1 {
			w := max(1, int(math.Ceil(float64(dr.Dx())*b.squeeze)))
			g.mask = image.NewAlpha(image.Rect(0, 0, w, dr.Dy()))
			xdraw.BiLinear.Scale(g.mask, g.mask.Rect, src, src.Rect, draw.Src, nil)
		}
		g.off = image.Pt(int(math.Round(float64(dr.Min.X)*b.squeeze)), dr.Min.Y)
	}
	b.glyphs[r] = g
	return g
}

// width is s's advance in pixels.
func (b *bigText) width(s string) int {
	var w float64
	for _, r := range s {
		w += b.glyph(r).adv
	}
	return int(math.Ceil(w))
}

// draw draws s with its baseline at y, starting at x.
func (b *bigText) draw(dst draw.Image, c color.Color, x, y int, s string) {
	src := image.NewUniform(c)
	dot := float64(x)
	for _, r := range s {
		g := b.glyph(r)
		if g.mask != nil {
			at := image.Pt(int(math.Round(dot)), y).Add(g.off)
			draw.DrawMask(dst, g.mask.Rect.Add(at), src, image.Point{}, g.mask, image.Point{}, draw.Over)
		}
		dot += g.adv
	}
}

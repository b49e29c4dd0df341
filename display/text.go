package display

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// width is the advance of s in whole pixels, rounded up.
func width(f font.Face, s string) int {
	return font.MeasureString(f, s).Ceil()
}

// fit shortens s until it is at most maxW pixels wide: first by dropping a
// parenthesised tail ("Phalakasana (Kumbhakasana)" → "Phalakasana"), then by
// cutting whole runes and adding an ellipsis. Text never runs off the panel.
func fit(f font.Face, s string, maxW int) string {
	if width(f, s) <= maxW {
		return s
	}
	if i := strings.Index(s, " ("); i > 0 && width(f, s[:i]) <= maxW {
		return s[:i]
	}
	ell := "…"
	if _, ok := f.GlyphAdvance('…'); !ok {
		ell = ".." // basicfont has no U+2026
	}
	s = strings.TrimRight(s, " ")
	for len(s) > 0 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = strings.TrimRight(s[:len(s)-n], " ")
		if width(f, s+ell) <= maxW {
			return s + ell
		}
	}
	if width(f, ell) <= maxW {
		return ell
	}
	return ""
}

// wrap splits s after the last word that keeps the first line within maxW;
// the rest (maybe "") is the second line. A first word too long for the line
// stays on it, to be ellipsised.
func wrap(f font.Face, s string, maxW int) (first, rest string) {
	if width(f, s) <= maxW {
		return s, ""
	}
	cut := -1
	for i, r := range s {
		if r == ' ' && width(f, s[:i]) <= maxW {
			cut = i
		}
	}
	if cut < 0 {
		return s, ""
	}
	return s[:cut], strings.TrimSpace(s[cut:])
}

// text draws s with its baseline at y, starting at x.
func text(dst draw.Image, f font.Face, c color.Color, x, y int, s string) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// textRight draws s ending at x.
func textRight(dst draw.Image, f font.Face, c color.Color, x, y int, s string) {
	text(dst, f, c, x-width(f, s), y, s)
}

// textCentre draws s centred on x.
func textCentre(dst draw.Image, f font.Face, c color.Color, x, y int, s string) {
	text(dst, f, c, x-width(f, s)/2, y, s)
}

// fill paints r with c.
func fill(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// outline paints a one-pixel frame just inside r.
func outline(dst draw.Image, r image.Rectangle, c color.Color) {
	fill(dst, image.Rect(r.Min.X, r.Min.Y, r.Max.X, r.Min.Y+1), c)
	fill(dst, image.Rect(r.Min.X, r.Max.Y-1, r.Max.X, r.Max.Y), c)
	fill(dst, image.Rect(r.Min.X, r.Min.Y, r.Min.X+1, r.Max.Y), c)
	fill(dst, image.Rect(r.Max.X-1, r.Min.Y, r.Max.X, r.Max.Y), c)
}

// threshold turns every pixel pure black or white by luminance, so a mono
// render is exactly what a one-bit panel shows.
func threshold(img *image.RGBA) {
	for i := 0; i+3 < len(img.Pix); i += 4 {
		p := img.Pix[i : i+4 : i+4]
		// Rec. 601 luma in 16.16 fixed point.
		y := (19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2])) >> 16
		v := uint8(0)
		if y >= 128 {
			v = 255
		}
		p[0], p[1], p[2], p[3] = v, v, v, 255
	}
}

// disc paints a filled circle of radius r around c.
func disc(dst draw.Image, c image.Point, r int, col color.Color) {
	for dy := -r; dy <= r; dy++ {
		dx := 0
		for (dx+1)*(dx+1)+dy*dy <= r*r {
			dx++
		}
		fill(dst, image.Rect(c.X-dx, c.Y+dy, c.X+dx+1, c.Y+dy+1), col)
	}
}

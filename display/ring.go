package display

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"
)

// arc paints the ring from 12 o'clock clockwise over frac of a turn. The
// ring is rasterised into an alpha mask (the rasteriser's fast path) and
// painted through it; the full ring, drawn on every pose screen, is cached.
func (s *studio) arc(img *image.RGBA, frac float64, col color.Color) {
	size := int(math.Ceil(float64(2*s.ringR))) + 2
	mask := s.arcMask
	if frac >= 1 {
		mask = s.track
	}
	if mask == nil || frac < 1 {
		if mask == nil {
			mask = image.NewAlpha(image.Rect(0, 0, size, size))
		}
		s.rasterArc(mask, frac)
		if frac >= 1 {
			s.track = mask
		} else {
			s.arcMask = mask
		}
	}
	origin := s.ringC.Sub(image.Pt(size/2, size/2))
	draw.DrawMask(img, mask.Rect.Add(origin), image.NewUniform(col), image.Point{}, mask, image.Point{}, draw.Over)
}

// rasterArc fills mask with the ring's arc over frac of a turn.
func (s *studio) rasterArc(mask *image.Alpha, frac float64) {
	size := mask.Rect.Dx()
	if s.rz == nil {
		s.rz = vector.NewRasterizer(size, size)
	}
	s.rz.Reset(size, size)
	s.rz.DrawOp = draw.Src // overwrite the last arc (Reset sets Over)
	c := float32(size) / 2
	outer, inner := s.ringR, s.ringR-s.ringW
	steps := max(8, int(frac*120))
	pt := func(r float32, i int) (float32, float32) {
		a := 2 * math.Pi * frac * float64(i) / float64(steps)
		return c + r*float32(math.Sin(a)), c - r*float32(math.Cos(a))
	}
	s.rz.MoveTo(pt(outer, 0))
	for i := 1; i <= steps; i++ {
		s.rz.LineTo(pt(outer, i))
	}
	s.rz.LineTo(pt(inner, steps))
	for i := steps - 1; i >= 0; i-- {
		s.rz.LineTo(pt(inner, i))
	}
	s.rz.ClosePath()
	s.rz.Draw(mask, mask.Rect, image.Opaque, image.Point{})
}

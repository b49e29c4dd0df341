package movenet

import (
	"image"
	"image/draw"
	"math"
)

// sampler resamples a region of an RGBA image to an n×n RGB grid with
// bilinear interpolation, black outside the image. Column taps are computed
// once per call so the inner loop is four loads and a few multiplies.
type sampler struct {
	n    int
	x0   []int32   // left tap per column (clamped)
	x1   []int32   // right tap per column (clamped)
	fx   []float32 // weight of the right tap
	xOut []bool    // column outside the image
}

func newSampler(n int) *sampler {
	return &sampler{n: n, x0: make([]int32, n), x1: make([]int32, n), fx: make([]float32, n), xOut: make([]bool, n)}
}

// taps maps output index i to a source coordinate and its bilinear taps.
func taps(i, n int, lo, hi float64, size int) (i0, i1 int, f float32, outside bool) {
	s := (lo+(float64(i)+0.5)/float64(n)*(hi-lo))*float64(size) - 0.5
	if s < -0.5 || s > float64(size)-0.5 {
		return 0, 0, 0, true
	}
	fl := math.Floor(s)
	i0, i1 = int(fl), int(fl)+1
	f = float32(s - fl)
	if i0 < 0 {
		i0 = 0
	}
	if i1 > size-1 {
		i1 = size - 1
	}
	return i0, i1, f, false
}

// fill writes the n×n×3 RGB samples of region r into dst.
func (s *sampler) fill(img *image.RGBA, r Region, dst []uint8) {
	b := img.Rect
	w, h := b.Dx(), b.Dy()
	for i := 0; i < s.n; i++ {
		x0, x1, f, out := taps(i, s.n, r.XMin, r.XMax, w)
		s.x0[i], s.x1[i], s.fx[i], s.xOut[i] = int32(x0), int32(x1), f, out
	}
	pix, stride := img.Pix, img.Stride
	o := 0
	for row := 0; row < s.n; row++ {
		y0, y1, fy, yOut := taps(row, s.n, r.YMin, r.YMax, h)
		r0, r1 := pix[y0*stride:], pix[y1*stride:]
		for col := 0; col < s.n; col++ {
			if yOut || s.xOut[col] {
				dst[o], dst[o+1], dst[o+2] = 0, 0, 0
				o += 3
				continue
			}
			x0, x1 := int(s.x0[col]), int(s.x1[col])
			fx := s.fx[col]
			a, c := x0*4, x1*4
			for ch := 0; ch < 3; ch++ {
				// The explicit float32 conversions round each product, so
				// arm64 (which would fuse multiply-adds) computes the same
				// bytes as amd64.
				top := float32(r0[a+ch]) + float32(fx*(float32(r0[c+ch])-float32(r0[a+ch])))
				bot := float32(r1[a+ch]) + float32(fx*(float32(r1[c+ch])-float32(r1[a+ch])))
				dst[o+ch] = uint8(top + float32(fy*(bot-top)) + 0.5)
			}
			o += 3
		}
	}
}

// asRGBA returns img itself when it is an *image.RGBA at the origin, else a
// copy drawn into scratch (reallocated when the size changes).
func asRGBA(img image.Image, scratch **image.RGBA) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	if *scratch == nil || (*scratch).Rect.Size() != b.Size() {
		*scratch = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	}
	draw.Draw(*scratch, (*scratch).Rect, img, b.Min, draw.Src)
	return *scratch
}

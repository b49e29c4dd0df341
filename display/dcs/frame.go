package dcs

import (
	"image"
	"image/color"
)

// Frame is a picture in the controllers' wire format: RGB565, two bytes per
// pixel, high byte first, rows top to bottom.
type Frame struct {
	W, H int
	Pix  []byte
}

// NewFrame returns a black w×h frame.
func NewFrame(w, h int) *Frame { return &Frame{W: w, H: h, Pix: make([]byte, 2*w*h)} }

// Pack565 is a colour's RGB565 value (the top 5, 6 and 5 bits).
func Pack565(r, g, b uint8) uint16 {
	return uint16(r&0xF8)<<8 | uint16(g&0xFC)<<3 | uint16(b)>>3
}

// Unpack565 expands an RGB565 value, repeating the top bits into the low
// ones so that white stays 255.
func Unpack565(v uint16) color.RGBA {
	r, g, b := uint8(v>>11)&0x1F, uint8(v>>5)&0x3F, uint8(v)&0x1F
	return color.RGBA{r<<3 | r>>2, g<<2 | g>>4, b<<3 | b>>2, 0xFF}
}

// RGB565Model converts colours to what the panel can show.
var RGB565Model = color.ModelFunc(func(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return Unpack565(Pack565(uint8(r>>8), uint8(g>>8), uint8(b>>8)))
})

// At returns the pixel at x, y.
func (f *Frame) At(x, y int) color.RGBA {
	i := 2 * (y*f.W + x)
	return Unpack565(uint16(f.Pix[i])<<8 | uint16(f.Pix[i+1]))
}

// Convert copies r of src (r's top-left taken from sp) into the frame,
// clipped to the frame. *image.RGBA, what the renderer makes, takes a fast
// path; alpha is ignored (the panel has none).
func (f *Frame) Convert(r image.Rectangle, src image.Image, sp image.Point) {
	clip := r.Intersect(image.Rect(0, 0, f.W, f.H))
	if clip.Empty() {
		return
	}
	sp = sp.Add(clip.Min.Sub(r.Min))
	if rgba, ok := src.(*image.RGBA); ok {
		for y := 0; y < clip.Dy(); y++ {
			si := rgba.PixOffset(sp.X, sp.Y+y)
			di := 2 * ((clip.Min.Y+y)*f.W + clip.Min.X)
			for x := 0; x < clip.Dx(); x++ {
				p := rgba.Pix[si : si+3 : si+3]
				v := Pack565(p[0], p[1], p[2])
				f.Pix[di], f.Pix[di+1] = byte(v>>8), byte(v)
				si, di = si+4, di+2
			}
		}
		return
	}
	for y := 0; y < clip.Dy(); y++ {
		di := 2 * ((clip.Min.Y+y)*f.W + clip.Min.X)
		for x := 0; x < clip.Dx(); x++ {
			cr, cg, cb, _ := src.At(sp.X+x, sp.Y+y).RGBA()
			v := Pack565(uint8(cr>>8), uint8(cg>>8), uint8(cb>>8))
			f.Pix[di], f.Pix[di+1] = byte(v>>8), byte(v)
			di += 2
		}
	}
}

// AppendRect appends the pixels of r, row by row, to b: a RAMWR payload for
// a window of r's size.
func (f *Frame) AppendRect(b []byte, r image.Rectangle) []byte {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := 2 * (y*f.W + r.Min.X)
		b = append(b, f.Pix[i:i+2*r.Dx()]...)
	}
	return b
}

// windowCost is what one more window costs, in pixels: CASET, RASET and
// RAMWR with their parameters are 11 bytes, but also six D/C switches and
// six SPI transfers, each a system call on spidev (tens of µs, while a
// pixel takes 0.5 µs at 32 MHz).
const windowCost = 128

// Changed lists rectangles covering every pixel where next differs from
// prev (frames of one size), in top-to-bottom order. Runs of changed rows
// are grouped greedily: a row joins the rectangle above when the pixels
// that adds (unchanged ones included) cost less than a window of its own.
// A clock's digits and a progress bar come out as one or two rectangles
// each, not the whole screen.
func Changed(prev, next *Frame) []image.Rectangle {
	var out []image.Rectangle
	var cur image.Rectangle // empty: none open
	for y := 0; y < next.H; y++ {
		x0, x1, ok := rowDiff(prev, next, y)
		if !ok {
			continue
		}
		row := image.Rect(x0, y, x1, y+1)
		if cur.Empty() {
			cur = row
			continue
		}
		merged := cur.Union(row)
		extra := area(merged) - area(cur) - area(row)
		if extra <= windowCost {
			cur = merged
			continue
		}
		out = append(out, cur)
		cur = row
	}
	if !cur.Empty() {
		out = append(out, cur)
	}
	return out
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }

// rowDiff finds the first and one past the last differing pixel of row y.
func rowDiff(prev, next *Frame, y int) (x0, x1 int, ok bool) {
	row := 2 * next.W
	a, b := prev.Pix[y*row:(y+1)*row], next.Pix[y*row:(y+1)*row]
	lo := -1
	for i := 0; i < row; i += 2 {
		if a[i] != b[i] || a[i+1] != b[i+1] {
			lo = i
			break
		}
	}
	if lo < 0 {
		return 0, 0, false
	}
	hi := lo
	for i := row - 2; i > lo; i -= 2 {
		if a[i] != b[i] || a[i+1] != b[i+1] {
			hi = i
			break
		}
	}
	return lo / 2, hi/2 + 1, true
}

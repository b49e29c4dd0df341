// Package mono turns images into the one-bit, page-ordered frame buffers of
// monochrome panel controllers (SSD1306, ST7567: pages of 8 vertical pixels,
// least significant bit on top), by threshold or dithering.
package mono

import (
	"fmt"
	"image"
	"image/color"

	"periph.io/x/devices/v3/ssd1306/image1bit"
)

// Method is how grey levels become on/off pixels.
type Method uint8

const (
	// Threshold lights pixels with luma ≥ 50 %: right for the renderer's
	// pure black-and-white output, and it keeps text crisp.
	Threshold Method = iota
	// Bayer is 4×4 ordered dithering: stable from frame to frame (no
	// crawling patterns), good for photos and gradients.
	Bayer
	// Diffuse is Floyd–Steinberg error diffusion: the most detail, but a
	// one-pixel change can ripple across the frame.
	Diffuse
)

// ParseMethod reads a config value: "threshold" (or ""), "bayer", "diffuse".
func ParseMethod(s string) (Method, error) {
	switch s {
	case "", "threshold":
		return Threshold, nil
	case "bayer", "ordered":
		return Bayer, nil
	case "diffuse", "floyd-steinberg":
		return Diffuse, nil
	}
	return 0, fmt.Errorf("mono: dither %q, want threshold, bayer or diffuse", s)
}

func (m Method) String() string {
	switch m {
	case Threshold:
		return "threshold"
	case Bayer:
		return "bayer"
	case Diffuse:
		return "diffuse"
	}
	return fmt.Sprintf("Method(%d)", m)
}

// bayer4 is the 4×4 Bayer matrix scaled to 0..255 thresholds.
var bayer4 = [4][4]int32{
	{8, 136, 40, 168},
	{200, 72, 232, 104},
	{56, 184, 24, 152},
	{248, 120, 216, 88},
}

// Convert fills dst from src (the area of src under dst.Rect), lighting
// pixels by m. Pixels outside src are off.
func Convert(dst *image1bit.VerticalLSB, src image.Image, m Method) {
	ConvertRect(dst, dst.Rect, src, dst.Rect.Min, m)
}

// ConvertRect is Convert for the part r of dst, taken from src at sp (the
// arguments of periph's display.Drawer.Draw); dst outside r is unchanged.
func ConvertRect(dst *image1bit.VerticalLSB, r image.Rectangle, src image.Image, sp image.Point, m Method) {
	clip := r.Intersect(dst.Rect)
	if clip.Empty() {
		return
	}
	sp = sp.Add(clip.Min.Sub(r.Min))
	if rgba, ok := src.(*image.RGBA); ok && m != Diffuse && clip == dst.Rect && dst.Rect.Min.Y%8 == 0 &&
		clip.Sub(clip.Min).Add(sp).In(rgba.Rect) {
		convertPages(dst, rgba, sp, m)
		return
	}
	var errs [2][]int32
	if m == Diffuse {
		errs = [2][]int32{make([]int32, clip.Dx()+2), make([]int32, clip.Dx()+2)}
	}
	for y := clip.Min.Y; y < clip.Max.Y; y++ {
		if m == Diffuse {
			errs[0], errs[1] = errs[1], errs[0]
			clear(errs[1])
		}
		sy := sp.Y + y - clip.Min.Y
		for x := clip.Min.X; x < clip.Max.X; x++ {
			v := Luma(src, sp.X+x-clip.Min.X, sy)
			on := false
			switch m {
			case Bayer:
				on = v > bayer4[y&3][x&3]
			case Diffuse:
				on = diffuse(errs, x-clip.Min.X+1, v)
			default:
				on = v >= 128
			}
			dst.SetBit(x, y, image1bit.Bit(on))
		}
	}
}

// convertPages is the whole-frame fast path (the renderer's output): it
// builds each byte of a page from 8 vertical pixels at once.
func convertPages(dst *image1bit.VerticalLSB, src *image.RGBA, sp image.Point, m Method) {
	w := dst.Rect.Dx()
	for page := 0; page*8 < dst.Rect.Dy(); page++ {
		row := dst.Pix[page*dst.Stride : page*dst.Stride+w]
		for x := range row {
			var b byte
			for bit := 0; bit < 8 && page*8+bit < dst.Rect.Dy(); bit++ {
				y := page*8 + bit
				i := src.PixOffset(sp.X+x, sp.Y+y)
				p := src.Pix[i : i+3 : i+3]
				v := int32((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
				if (m == Bayer && v > bayer4[(dst.Rect.Min.Y+y)&3][(dst.Rect.Min.X+x)&3]) || (m == Threshold && v >= 128) {
					b |= 1 << bit
				}
			}
			row[x] = b
		}
	}
}

// diffuse decides pixel i (1-based, so i±1 stay in range) of the current
// row and spreads its error Floyd–Steinberg style: 7/16 right, 3/16 down
// left, 5/16 down, 1/16 down right. errs[0] is this row, errs[1] the next.
func diffuse(errs [2][]int32, i int, v int32) bool {
	v += errs[0][i] / 16
	on := v >= 128
	e := v
	if on {
		e = v - 255
	}
	errs[0][i+1] += e * 7
	errs[1][i-1] += e * 3
	errs[1][i] += e * 5
	errs[1][i+1] += e
	return on
}

// Luma is the Rec. 601 luma of src at (x, y), 0..255, with fast paths for
// the image types the renderer and tests use.
func Luma(src image.Image, x, y int) int32 {
	if !(image.Point{x, y}.In(src.Bounds())) {
		return 0
	}
	switch s := src.(type) {
	case *image.RGBA:
		i := s.PixOffset(x, y)
		p := s.Pix[i : i+3 : i+3]
		return int32((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
	case *image.Gray:
		return int32(s.Pix[s.PixOffset(x, y)])
	case *image.Uniform:
		return int32(color.GrayModel.Convert(s.C).(color.Gray).Y)
	case *image1bit.VerticalLSB:
		if s.BitAt(x, y) {
			return 255
		}
		return 0
	}
	g := color.GrayModel.Convert(src.At(x, y)).(color.Gray)
	return int32(g.Y)
}

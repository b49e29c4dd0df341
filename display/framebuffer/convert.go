package framebuffer

import (
	"encoding/binary"
	"image"

	"github.com/yogamirror/yogamirror/display/dcs"
)

// rgb565Model is what a 16-bit framebuffer can show.
var rgb565Model = dcs.RGB565Model

// pack converts RGBA pixels (4 bytes each) into dst in the device format.
func (p *Panel) pack(dst, rgba []byte) {
	ri, bi := 0, 2 // RGBA offsets of the colour that goes first and third
	if p.swapRB {
		ri, bi = 2, 0
	}
	switch p.g.Depth {
	case 16:
		for i, j := 0, 0; j+3 < len(rgba); i, j = i+2, j+4 {
			v := dcs.Pack565(rgba[j+2-bi], rgba[j+1], rgba[j+2-ri])
			dst[i], dst[i+1] = byte(v), byte(v>>8) // little-endian in memory
		}
	case 24:
		for i, j := 0, 0; j+3 < len(rgba); i, j = i+3, j+4 {
			dst[i], dst[i+1], dst[i+2] = rgba[j+bi], rgba[j+1], rgba[j+ri]
		}
	case 32:
		// A word at a time: swap the first and third bytes (or not), set the
		// fourth.
		swap := !p.swapRB
		for j := 0; j+3 < len(rgba) && j+3 < len(dst); j += 4 {
			v := binary.LittleEndian.Uint32(rgba[j:])
			if swap {
				v = v&0x0000FF00 | v>>16&0xFF | v&0xFF<<16
			}
			binary.LittleEndian.PutUint32(dst[j:], v|0xFF000000)
		}
	}
}

// Decode turns framebuffer memory laid out as g into a picture: what the
// monitor shows (tests and screenshots read the device file back with it).
func Decode(mem []byte, g Geometry, swapRB bool) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, g.Width, g.Height))
	bpp := g.Depth / 8
	ri, bi := 0, 2
	if swapRB {
		ri, bi = 2, 0
	}
	for y := 0; y < g.Height; y++ {
		for x := 0; x < g.Width; x++ {
			px := mem[y*g.Stride+x*bpp:]
			o := img.PixOffset(x, y)
			if bpp == 2 {
				c := dcs.Unpack565(uint16(px[0]) | uint16(px[1])<<8)
				img.Pix[o+2-bi], img.Pix[o+1], img.Pix[o+2-ri] = c.R, c.G, c.B
			} else {
				img.Pix[o+bi], img.Pix[o+1], img.Pix[o+ri] = px[0], px[1], px[2]
			}
			img.Pix[o+3] = 0xFF
		}
	}
	return img
}

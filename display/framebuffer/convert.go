package framebuffer

import (
	"image"

	"github.com/yogamirror/yogamirror/display/dcs"
)

// rgb565Model is what a 16-bit framebuffer can show.
var rgb565Model = dcs.RGB565Model

// convert writes r of src (from sp), clipped to the screen, into p.next in
// the device's format. *image.RGBA, what the renderer makes, takes a fast
// path; alpha is ignored.
func (p *Panel) convert(r image.Rectangle, src image.Image, sp image.Point) {
	clip := r.Intersect(p.Bounds())
	if clip.Empty() {
		return
	}
	sp = sp.Add(clip.Min.Sub(r.Min))
	bpp := p.g.Depth / 8
	rgba, fast := src.(*image.RGBA)
	for y := 0; y < clip.Dy(); y++ {
		di := (clip.Min.Y+y)*p.g.Stride + clip.Min.X*bpp
		row := p.next[di : di+clip.Dx()*bpp]
		if fast {
			si := rgba.PixOffset(sp.X, sp.Y+y)
			p.pack(row, rgba.Pix[si:si+4*clip.Dx()])
			continue
		}
		for x := 0; x < clip.Dx(); x++ {
			cr, cg, cb, _ := src.At(sp.X+x, sp.Y+y).RGBA()
			p.pack(row[x*bpp:(x+1)*bpp], []byte{byte(cr >> 8), byte(cg >> 8), byte(cb >> 8), 0xFF})
		}
	}
}

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
		for i, j := 0, 0; j+3 < len(rgba); i, j = i+4, j+4 {
			dst[i], dst[i+1], dst[i+2], dst[i+3] = rgba[j+bi], rgba[j+1], rgba[j+ri], 0xFF
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

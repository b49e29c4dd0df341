package dcs

import "image"

// orient turns Rotate and the flips into the MADCTL byte, the picture's
// bounds and the address of its first pixel.
//
// The mirror bits act on the physical axes: MX on columns, MY on rows. With
// MV the column address walks the physical rows, so mirroring the picture
// left-right toggles MY. A panel smaller than the memory sits at ColStart,
// RowStart in native orientation; mirroring an axis moves its window to
// the other end of the memory (RAM − start − size), as the 240×240 ST7789
// boards show by needing a row offset of 80 only when turned upside down.
func orient(o Opts) (madctl byte, bounds image.Rectangle, xOff, yOff int) {
	madctl = map[int]byte{0: 0, 90: MX | MV, 180: MX | MY, 270: MY | MV}[o.Rotate]
	swapped := madctl&MV != 0
	if o.FlipH {
		madctl ^= pick(swapped, MY, MX)
	}
	if o.FlipV {
		madctl ^= pick(swapped, MX, MY)
	}
	madctl ^= o.Native
	g := o.Geometry
	col, row := g.ColStart, g.RowStart
	if madctl&MX != 0 {
		col = g.RAMWidth - g.ColStart - g.Width
	}
	if madctl&MY != 0 {
		row = g.RAMHeight - g.RowStart - g.Height
	}
	if madctl&MV != 0 {
		return madctl, image.Rect(0, 0, g.Height, g.Width), row, col
	}
	return madctl, image.Rect(0, 0, g.Width, g.Height), col, row
}

func pick(cond bool, a, b byte) byte {
	if cond {
		return a
	}
	return b
}

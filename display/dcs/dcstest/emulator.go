// Package dcstest emulates a MIPI DCS display controller and its glass from
// the bytes a driver sent (a displaytest.Bus transcript): frame memory,
// address windows, memory access control, pixel format, inversion, sleep.
// Tests use it to check that what a driver sends adds up to the intended
// picture; make screenshots uses it to show what a panel shows.
package dcstest

import (
	"fmt"
	"image"

	"github.com/yogamirror/yogamirror/display/dcs"
	"github.com/yogamirror/yogamirror/display/displaytest"
)

// Module is how a panel is built: its controller's memory, the glass's
// window in it, and how the glass is bonded.
type Module struct {
	dcs.Geometry
	// Native are the MADCTL bits under which the picture stands upright
	// (the glass mirrored against the memory, a BGR colour filter).
	Native byte
	// IPS panels show true colours only with inversion on (INVON).
	IPS bool
}

// Emulator is a controller with a glass, fed with transcripts.
type Emulator struct {
	m      Module
	ram    []uint16
	madctl byte
	colmod byte
	invert bool
	on     bool
	asleep bool
	xs, xe int // column window
	ys, ye int // row window
	cx, cy int // write position
	// Windows and Pixels count RAMWR commands and pixels written.
	Windows, Pixels int
}

// ModuleOf is the glass a driver configured with o expects: bonded as o's
// Native says, IPS when o inverts.
func ModuleOf(o dcs.Opts) Module {
	return Module{Geometry: o.Geometry, Native: o.Native, IPS: o.Invert}
}

// New returns an emulator of m after power-on: asleep, display off, memory
// black.
func New(m Module) *Emulator {
	return &Emulator{m: m, ram: make([]uint16, m.RAMWidth*m.RAMHeight), asleep: true}
}

// On reports whether the glass is lit: awake and display on.
func (e *Emulator) On() bool { return e.on && !e.asleep }

// MADCTL is the memory access control byte last set.
func (e *Emulator) MADCTL() byte { return e.madctl }

// Feed interprets a transcript. Every command byte in a command run takes
// no parameters except the last, which takes the data run after it.
func (e *Emulator) Feed(txs []displaytest.Tx) error {
	for i := 0; i < len(txs); i++ {
		if txs[i].Data {
			return fmt.Errorf("dcstest: %d data bytes without a command", len(txs[i].Bytes))
		}
		ops := txs[i].Bytes
		for _, op := range ops[:len(ops)-1] {
			if err := e.exec(op, nil); err != nil {
				return err
			}
		}
		var data []byte
		if i+1 < len(txs) && txs[i+1].Data {
			data = txs[i+1].Bytes
			i++
		}
		if err := e.exec(ops[len(ops)-1], data); err != nil {
			return err
		}
	}
	return nil
}

func (e *Emulator) exec(op byte, data []byte) error {
	need := map[byte]int{dcs.CASET: 4, dcs.RASET: 4, dcs.MADCTL: 1, dcs.COLMOD: 1}[op]
	if len(data) < need {
		return fmt.Errorf("dcstest: command %#02x with %d parameter bytes, want %d", op, len(data), need)
	}
	switch op {
	case dcs.SWRESET:
		e.madctl, e.colmod, e.invert, e.on, e.asleep = 0, 0x66, false, false, true
	case dcs.SLPIN:
		e.asleep = true
	case dcs.SLPOUT:
		e.asleep = false
	case dcs.DISPOFF:
		e.on = false
	case dcs.DISPON:
		e.on = true
	case dcs.INVON:
		e.invert = true
	case dcs.INVOFF:
		e.invert = false
	case dcs.MADCTL:
		e.madctl = data[0]
	case dcs.COLMOD:
		e.colmod = data[0]
	case dcs.CASET:
		e.xs, e.xe = int(data[0])<<8|int(data[1]), int(data[2])<<8|int(data[3])
	case dcs.RASET:
		e.ys, e.ye = int(data[0])<<8|int(data[1]), int(data[2])<<8|int(data[3])
	case dcs.RAMWR:
		return e.write(data)
	}
	return nil
}

// write stores RGB565 pixels through the window, column first.
func (e *Emulator) write(data []byte) error {
	if e.colmod&0x0F != 0x05 {
		return fmt.Errorf("dcstest: RAMWR with pixel format %#02x; only 16-bit (x5) is emulated", e.colmod)
	}
	if len(data)%2 != 0 {
		return fmt.Errorf("dcstest: RAMWR with %d bytes, not whole pixels", len(data))
	}
	e.Windows++
	e.cx, e.cy = e.xs, e.ys
	for i := 0; i < len(data); i += 2 {
		if e.cy > e.ye {
			return fmt.Errorf("dcstest: RAMWR overruns its window (%d,%d)-(%d,%d)", e.xs, e.ys, e.xe, e.ye)
		}
		pc, pr := e.physical(e.cx, e.cy)
		if pc < 0 || pr < 0 || pc >= e.m.RAMWidth || pr >= e.m.RAMHeight {
			return fmt.Errorf("dcstest: address (%d, %d) is outside the %d×%d memory", e.cx, e.cy, e.m.RAMWidth, e.m.RAMHeight)
		}
		e.ram[pr*e.m.RAMWidth+pc] = uint16(data[i])<<8 | uint16(data[i+1])
		e.Pixels++
		if e.cx++; e.cx > e.xe {
			e.cx, e.cy = e.xs, e.cy+1
		}
	}
	return nil
}

// physical maps a column and row address to the memory cell, as MADCTL
// says: MV exchanges the addresses, MX and MY then mirror the physical
// column and row.
func (e *Emulator) physical(c, r int) (pc, pr int) {
	pc, pr = c, r
	if e.madctl&dcs.MV != 0 {
		pc, pr = r, c
	}
	if e.madctl&dcs.MX != 0 {
		pc = e.m.RAMWidth - 1 - pc
	}
	if e.madctl&dcs.MY != 0 {
		pr = e.m.RAMHeight - 1 - pr
	}
	return pc, pr
}

// Glass is what the panel shows, the way up its Native orientation calls
// upright: black when off or asleep; colours as the filter and inversion
// make them.
func (e *Emulator) Glass() *image.RGBA {
	g := e.m.Geometry
	img := image.NewRGBA(image.Rect(0, 0, g.Width, g.Height))
	if !e.On() {
		for i := 3; i < len(img.Pix); i += 4 {
			img.Pix[i] = 0xFF
		}
		return img
	}
	swapRB := (e.madctl^e.m.Native)&dcs.BGR != 0
	invert := e.invert != e.m.IPS
	for y := 0; y < g.Height; y++ {
		for x := 0; x < g.Width; x++ {
			pc, pr := g.ColStart+x, g.RowStart+y
			if e.m.Native&dcs.MX != 0 { // the glass is bonded mirrored
				pc = g.ColStart + (g.Width - 1 - x)
			}
			if e.m.Native&dcs.MY != 0 {
				pr = g.RowStart + (g.Height - 1 - y)
			}
			c := dcs.Unpack565(e.ram[pr*g.RAMWidth+pc])
			if swapRB {
				c.R, c.B = c.B, c.R
			}
			if invert {
				c.R, c.G, c.B = ^c.R, ^c.G, ^c.B
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// Seen is the glass as someone sees it who mounted the panel turned so
// that a picture sent with Rotate reads upright: Glass turned back by
// rotate degrees.
func (e *Emulator) Seen(rotate int) *image.RGBA {
	return Turn(e.Glass(), (360-rotate)%360)
}

// Turn rotates img clockwise by deg (0, 90, 180 or 270).
func Turn(img *image.RGBA, deg int) *image.RGBA {
	w, h := img.Rect.Dx(), img.Rect.Dy()
	if deg == 90 || deg == 270 {
		w, h = h, w
	}
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	sw, sh := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < sh; y++ {
		for x := 0; x < sw; x++ {
			var dx, dy int
			switch deg {
			case 90:
				dx, dy = sh-1-y, x
			case 180:
				dx, dy = sw-1-x, sh-1-y
			case 270:
				dx, dy = y, sw-1-x
			default:
				dx, dy = x, y
			}
			out.SetRGBA(dx, dy, img.RGBAAt(x, y))
		}
	}
	return out
}

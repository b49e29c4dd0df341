// Package st7789 is the Sitronix ST7789 colour TFT controller over 4-wire
// SPI: the 1.3" 240×240, 2" and 2.4" 240×320 (or 320×240 turned) boards
// Raspberry Pi makers use, and the 1.14" 135×240, 1.69" 240×280 and 1.9"
// 170×320 ones. The MIPI DCS work (RGB565, windows, changed rectangles,
// sleep, backlight) is display/dcs; this package knows the controller's
// 240×320 memory, where each board's glass sits in it, and its init flow.
//
// The init is the datasheet's power-on flow (v1.6 §9: software reset, sleep
// out, 16-bit pixels, memory access control, inversion, normal mode,
// display on); every other register keeps its reset default, as
// Adafruit's driver does on all its ST7789 boards. Most ST7789 boards are
// IPS and need inversion on (the default).
package st7789

import (
	"fmt"
	"time"

	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/yogamirror/yogamirror/display/dcs"
)

// The controller's frame memory.
const ramW, ramH = 240, 320

// DefaultHz is the SPI clock when Opts.Hz is 0: what Linux's fbtft drivers
// and most Python libraries use for these boards.
const DefaultHz = 32 * physic.MegaHertz

// Pins are D/C (required), reset and backlight (optional).
type Pins = dcs.Pins

// offsets are where each common glass sits in memory (native portrait):
// from the boards' drivers (TFT_eSPI, Adafruit), which agree.
var offsets = map[[2]int][2]int{
	{240, 320}: {0, 0},   // 2", 2.4"
	{240, 240}: {0, 0},   // 1.3", 1.54": rows 0..239 (80 when turned 180°)
	{240, 280}: {0, 20},  // 1.69"
	{135, 240}: {52, 40}, // 1.14"
	{170, 320}: {35, 0},  // 1.9"
	{172, 320}: {34, 0},  // 1.47"
}

// Opts configures the panel. The zero value is a 240×240 IPS board at
// 32 MHz, upright, RGB, inverted, backlight full.
type Opts struct {
	// Width and Height of the glass; 0×0 means 240×240. A landscape size
	// (320×240) is the portrait board turned 90° (added to Rotate).
	Width, Height int
	// XOffset, YOffset place the glass in the 240×320 memory, in native
	// portrait; 0, 0 means the usual offset for the size (centred for sizes
	// not known).
	XOffset, YOffset int
	Rotate           int  // 0, 90, 180 or 270 degrees clockwise
	FlipH, FlipV     bool // mirror after rotating (a mirror mount)
	BGR              bool // blue-green-red colour filter (most boards are RGB)
	NoInvert         bool // for the rare non-IPS board
	Hz               physic.Frequency
	Backlight        int // percent, 1..100; 0 means 100
	// Sleep replaces time.Sleep (tests record the waits).
	Sleep func(time.Duration)
}

// Panel is an open ST7789: a periph display.Drawer for display.Screen.
type Panel struct{ *dcs.Dev }

// New resets and initialises the controller on port. New takes ownership of
// port: Close closes it.
func New(port spi.Port, pins Pins, o Opts) (*Panel, error) {
	d, err := dcs.New(port, pins, o.DCS())
	if err != nil {
		return nil, err
	}
	return &Panel{d}, nil
}

// DCS is what o asks of display/dcs (its emulator builds a matching glass
// from it).
func (o Opts) DCS() dcs.Opts {
	w, h, rot := o.Width, o.Height, o.Rotate
	if w == 0 && h == 0 {
		w, h = 240, 240
	}
	if w > h { // a landscape board is the portrait one turned
		w, h, rot = h, w, (rot+90)%360
	}
	x, y := o.XOffset, o.YOffset
	if x == 0 && y == 0 {
		off, ok := offsets[[2]int{w, h}]
		if !ok {
			off = [2]int{(ramW - w) / 2, (ramH - h) / 2}
		}
		x, y = off[0], off[1]
	}
	var native byte
	if o.BGR {
		native = dcs.BGR
	}
	hz := o.Hz
	if hz == 0 {
		hz = DefaultHz
	}
	return dcs.Opts{
		Name:     "st7789",
		Geometry: dcs.Geometry{RAMWidth: ramW, RAMHeight: ramH, Width: w, Height: h, ColStart: x, RowStart: y},
		Native:   native, Rotate: rot, FlipH: o.FlipH, FlipV: o.FlipV, Invert: !o.NoInvert,
		Hz: hz, Backlight: o.Backlight, Sleep: o.Sleep,
	}
}

// String names the panel and its size, for logs.
func (p *Panel) String() string {
	b := p.Bounds()
	return fmt.Sprintf("%s %d×%d", p.Dev.String(), b.Dx(), b.Dy())
}

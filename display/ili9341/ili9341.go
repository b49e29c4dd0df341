// Package ili9341 is the Ilitek ILI9341 colour TFT controller over 4-wire
// SPI: the 2.2"–3.2" 240×320 boards (320×240 when turned). The MIPI DCS
// work (RGB565, windows, changed rectangles, sleep, backlight) is
// display/dcs; this package holds the controller's init sequence and the
// usual module's orientation.
//
// The init sets the power, VCOM, frame-rate, display-function and gamma
// registers as the ILI9341 datasheet (v1.11, §8.2–8.4) and every common
// driver (Adafruit, TFT_eSPI, Linux fbtft) do; modules are bonded with the
// columns mirrored and a BGR filter, so the upright picture is MADCTL MX|BGR.
package ili9341

import (
	"fmt"
	"time"

	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/yogamirror/yogamirror/display/dcs"
)

// DefaultHz is the SPI clock when Opts.Hz is 0. The datasheet's serial
// write cycle allows 10 MHz; modules run reliably at 32 MHz, Linux fbtft's
// setting for them.
const DefaultHz = 32 * physic.MegaHertz

// Pins are D/C (required), reset and backlight (optional).
type Pins = dcs.Pins

// Init is the controller set-up between sleep-out and the memory access
// control, with the datasheet's names.
var Init = []dcs.Cmd{
	{Op: 0xCF, Data: []byte{0x00, 0xC1, 0x30}},             // power control B
	{Op: 0xED, Data: []byte{0x64, 0x03, 0x12, 0x81}},       // power on sequence control
	{Op: 0xE8, Data: []byte{0x85, 0x00, 0x78}},             // driver timing control A
	{Op: 0xCB, Data: []byte{0x39, 0x2C, 0x00, 0x34, 0x02}}, // power control A
	{Op: 0xF7, Data: []byte{0x20}},                         // pump ratio control
	{Op: 0xEA, Data: []byte{0x00, 0x00}},                   // driver timing control B
	{Op: 0xC0, Data: []byte{0x23}},                         // power control 1: GVDD 4.6 V
	{Op: 0xC1, Data: []byte{0x10}},                         // power control 2
	{Op: 0xC5, Data: []byte{0x3E, 0x28}},                   // VCOM control 1
	{Op: 0xC7, Data: []byte{0x86}},                         // VCOM control 2
	{Op: 0x37, Data: []byte{0x00}},                         // vertical scrolling start address 0
	{Op: 0xB1, Data: []byte{0x00, 0x18}},                   // frame rate control: 79 Hz
	{Op: 0xB6, Data: []byte{0x08, 0x82, 0x27}},             // display function control
	{Op: 0xF2, Data: []byte{0x00}},                         // 3-gamma off
	{Op: 0x26, Data: []byte{0x01}},                         // gamma curve 1
	{Op: 0xE0, Data: []byte{0x0F, 0x31, 0x2B, 0x0C, 0x0E, 0x08, 0x4E, 0xF1, 0x37, 0x07, 0x10, 0x03, 0x0E, 0x09, 0x00}}, // positive gamma
	{Op: 0xE1, Data: []byte{0x00, 0x0E, 0x14, 0x03, 0x11, 0x07, 0x31, 0xC1, 0x48, 0x08, 0x0F, 0x0C, 0x31, 0x36, 0x0F}}, // negative gamma
}

// Opts configures the panel. The zero value is a 240×320 module at 32 MHz,
// upright, BGR, not inverted, backlight full.
type Opts struct {
	// Width and Height: 240×320 (0×0) or 320×240 (the module turned 90°,
	// added to Rotate).
	Width, Height int
	Rotate        int  // 0, 90, 180 or 270 degrees clockwise
	FlipH, FlipV  bool // mirror after rotating (a mirror mount)
	RGB           bool // an RGB colour filter (modules are BGR)
	Invert        bool // IPS variants need inversion on
	Hz            physic.Frequency
	Backlight     int // percent, 1..100; 0 means 100
	// Sleep replaces time.Sleep (tests record the waits).
	Sleep func(time.Duration)
}

// Panel is an open ILI9341: a periph display.Drawer for display.Screen.
type Panel struct{ *dcs.Dev }

// New resets and initialises the controller on port. New takes ownership of
// port: Close closes it.
func New(port spi.Port, pins Pins, o Opts) (*Panel, error) {
	do, err := o.DCS()
	if err != nil {
		return nil, err
	}
	d, err := dcs.New(port, pins, do)
	if err != nil {
		return nil, err
	}
	return &Panel{d}, nil
}

// DCS is what o asks of display/dcs (its emulator builds a matching glass
// from it).
func (o Opts) DCS() (dcs.Opts, error) {
	rot := o.Rotate
	switch [2]int{o.Width, o.Height} {
	case [2]int{0, 0}, [2]int{240, 320}:
	case [2]int{320, 240}:
		rot = (rot + 90) % 360
	default:
		return dcs.Opts{}, fmt.Errorf("ili9341: size %d×%d, want 240×320 or 320×240", o.Width, o.Height)
	}
	native := byte(dcs.MX | dcs.BGR)
	if o.RGB {
		native = dcs.MX
	}
	hz := o.Hz
	if hz == 0 {
		hz = DefaultHz
	}
	return dcs.Opts{
		Name:     "ili9341",
		Geometry: dcs.Geometry{RAMWidth: 240, RAMHeight: 320, Width: 240, Height: 320},
		Native:   native, Rotate: rot, FlipH: o.FlipH, FlipV: o.FlipV, Invert: o.Invert,
		Init: Init, Hz: hz, Backlight: o.Backlight, Sleep: o.Sleep,
	}, nil
}

// String names the panel and its size, for logs.
func (p *Panel) String() string {
	b := p.Bounds()
	return fmt.Sprintf("%s %d×%d", p.Dev.String(), b.Dx(), b.Dy())
}

// Package dcs drives colour TFT controllers that speak the MIPI Display
// Command Set over 4-wire SPI with a D/C line — Sitronix ST7789 and Ilitek
// ILI9341 among them (display/st7789 and display/ili9341 hold what differs:
// their init sequences, memory sizes and usual orientations).
//
// What it owns: RGB565 frames, memory access control (rotation, mirroring and
// the offset of a panel smaller than the controller's memory), sending only
// the rectangles that changed since the last frame, transfers split to the
// SPI port's limit, sleep and wake, and the backlight (on/off or PWM).
//
// Orientation follows the datasheets' memory access control (MADCTL):
// MX and MY mirror the physical column and row address, MV exchanges them.
// Rotate 90 turns the picture a quarter clockwise on the glass.
package dcs

import (
	"errors"
	"fmt"
	"image"
	"time"

	"periph.io/x/conn/v3"
	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/yogamirror/yogamirror/device/board"
)

// MIPI DCS commands (the subset these controllers share).
const (
	SWRESET = 0x01 // software reset
	SLPIN   = 0x10 // sleep in
	SLPOUT  = 0x11 // sleep out
	NORON   = 0x13 // normal display mode on
	INVOFF  = 0x20 // display inversion off
	INVON   = 0x21 // display inversion on
	DISPOFF = 0x28 // display off
	DISPON  = 0x29 // display on
	CASET   = 0x2A // column address set
	RASET   = 0x2B // row address set
	RAMWR   = 0x2C // memory write
	MADCTL  = 0x36 // memory access control
	COLMOD  = 0x3A // interface pixel format
)

// MADCTL bits.
const (
	MY  = 0x80 // row address order: bottom to top
	MX  = 0x40 // column address order: right to left
	MV  = 0x20 // row/column exchange
	ML  = 0x10 // vertical refresh order
	BGR = 0x08 // blue-green-red colour filter order
)

// Pixel16 is COLMOD's argument for 16 bits per pixel (65K colours, RGB565)
// on both the RGB and the MCU interface.
const Pixel16 = 0x55

// Cmd is one command with its parameters and the wait the datasheet asks
// for after it.
type Cmd struct {
	Op    byte
	Data  []byte
	Delay time.Duration
}

// Geometry is a controller's frame memory and the panel's window in it, both
// in the controller's native orientation (MADCTL 0).
type Geometry struct {
	RAMWidth, RAMHeight int // e.g. 240×320
	Width, Height       int // the glass, e.g. 240×240
	ColStart, RowStart  int // the glass's first column and row in RAM
}

// Pins are the GPIO lines besides the SPI port.
type Pins struct {
	DC  gpio.PinOut // data/command: required
	RST gpio.PinOut // hardware reset: optional
	BL  gpio.PinOut // backlight: optional (on/off, or PWM below 100 %)
}

// Opts are what a controller driver hands to New.
type Opts struct {
	Name string // "st7789", for messages
	Geometry
	// Native is ORed into MADCTL for the upright picture (a module's glass
	// may be bonded mirrored, and its colour filter may be BGR).
	Native       byte
	Rotate       int  // 0, 90, 180 or 270 degrees clockwise
	FlipH, FlipV bool // mirror left-right / top-bottom, after Rotate
	Invert       bool // INVON: IPS panels need it for true colours
	// Init runs after the reset and before MADCTL, COLMOD and the inversion
	// command, which New sends itself; DISPON ends the sequence.
	Init []Cmd
	// Hz is the SPI clock.
	Hz physic.Frequency
	// Backlight in percent, 1..100 (PWM below 100); 0 means 100.
	Backlight int
	// Sleep waits between commands; nil means time.Sleep (tests record it).
	Sleep func(time.Duration)
}

// Waits from the ST7789 and ILI9341 datasheets.
const (
	resetPulse = time.Millisecond       // RESX low: ≥ 10 µs
	resetWait  = 120 * time.Millisecond // after a reset, before SLPOUT
	sleepWait  = 120 * time.Millisecond // after SLPOUT/SLPIN, before the opposite
	pwmHz      = 1 * physic.KiloHertz   // backlight PWM, above visible flicker
	defaultTx  = 4096                   // spidev's default bufsiz
)

// Dev is an open controller. It is not safe for concurrent use
// (display.Screen serialises its calls).
type Dev struct {
	o      Opts
	port   spi.Port
	c      spi.Conn
	pins   Pins
	maxTx  int
	bounds image.Rectangle
	xOff   int // logical column and row address of pixel (0, 0)
	yOff   int
	madctl byte
	frame  *Frame // what the glass shows; nil until the first Draw
	next   *Frame
	tx     []byte
	asleep bool
}

var _ pdisplay.Drawer = (*Dev)(nil)

// New resets the controller (by RST if given, always by SWRESET), runs the
// init sequence and turns the display and backlight on. New takes ownership
// of port: Close closes it.
func New(port spi.Port, pins Pins, o Opts) (*Dev, error) {
	if err := o.validate(port, pins); err != nil {
		return nil, err
	}
	if o.Sleep == nil {
		o.Sleep = time.Sleep
	}
	if o.Backlight == 0 {
		o.Backlight = 100
	}
	c, err := port.Connect(o.Hz, spi.Mode0, 8)
	if err != nil {
		return nil, fmt.Errorf("%s: connect %s at %s: %w", o.Name, port, o.Hz, err)
	}
	d := &Dev{o: o, port: port, c: c, pins: pins, maxTx: defaultTx}
	if l, ok := c.(conn.Limits); ok && l.MaxTxSize() > 0 {
		d.maxTx = l.MaxTxSize()
	}
	d.madctl, d.bounds, d.xOff, d.yOff = orient(o)
	if pins.RST != nil {
		if err := board.Reset(pins.RST, resetPulse); err != nil {
			return nil, fmt.Errorf("%s: reset: %w", o.Name, err)
		}
		o.Sleep(resetWait)
	}
	if err := d.run(d.initCmds()); err != nil {
		return nil, fmt.Errorf("%s: init: %w", o.Name, err)
	}
	if err := d.backlight(o.Backlight); err != nil {
		return nil, err
	}
	return d, nil
}

func (o Opts) validate(port spi.Port, pins Pins) error {
	var errs []error
	if port == nil {
		errs = append(errs, errors.New("nil SPI port"))
	}
	if pins.DC == nil || pins.DC == gpio.INVALID {
		errs = append(errs, errors.New("a D/C pin is required"))
	}
	if o.Rotate%90 != 0 || o.Rotate < 0 || o.Rotate > 270 {
		errs = append(errs, fmt.Errorf("rotate %d, want 0, 90, 180 or 270", o.Rotate))
	}
	if o.Backlight < 0 || o.Backlight > 100 {
		errs = append(errs, fmt.Errorf("backlight %d %%, want 1..100 (0 for 100)", o.Backlight))
	}
	if o.Hz <= 0 {
		errs = append(errs, fmt.Errorf("SPI clock %s, want > 0", o.Hz))
	}
	g := o.Geometry
	if g.Width <= 0 || g.Height <= 0 || g.ColStart < 0 || g.RowStart < 0 ||
		g.ColStart+g.Width > g.RAMWidth || g.RowStart+g.Height > g.RAMHeight {
		errs = append(errs, fmt.Errorf("panel %d×%d at offset (%d, %d) does not fit the controller's %d×%d memory",
			g.Width, g.Height, g.ColStart, g.RowStart, g.RAMWidth, g.RAMHeight))
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s: %w", o.Name, errors.Join(errs...))
	}
	return nil
}

// initCmds is the reset and wake-up flow both datasheets describe, with the
// controller's own settings in the middle.
func (d *Dev) initCmds() []Cmd {
	cmds := []Cmd{{Op: SWRESET, Delay: resetWait}, {Op: SLPOUT, Delay: sleepWait}}
	cmds = append(cmds, d.o.Init...)
	inv := Cmd{Op: INVOFF}
	if d.o.Invert {
		inv.Op = INVON
	}
	return append(cmds,
		Cmd{Op: MADCTL, Data: []byte{d.madctl}},
		Cmd{Op: COLMOD, Data: []byte{Pixel16}},
		inv,
		Cmd{Op: NORON, Delay: 10 * time.Millisecond},
		Cmd{Op: DISPON, Delay: 10 * time.Millisecond},
	)
}

// run sends commands in order, waiting after each as asked.
func (d *Dev) run(cmds []Cmd) error {
	for _, c := range cmds {
		if err := d.command(c.Op, c.Data...); err != nil {
			return err
		}
		if c.Delay > 0 {
			d.o.Sleep(c.Delay)
		}
	}
	return nil
}

// command sends op with D/C low, then its parameters with D/C high.
func (d *Dev) command(op byte, data ...byte) error {
	if err := d.pins.DC.Out(gpio.Low); err != nil {
		return fmt.Errorf("D/C: %w", err)
	}
	if err := d.c.Tx([]byte{op}, nil); err != nil {
		return fmt.Errorf("command %#02x: %w", op, err)
	}
	if len(data) == 0 {
		return nil
	}
	return d.data(data)
}

// data sends b with D/C high, in pieces the port accepts.
func (d *Dev) data(b []byte) error {
	if err := d.pins.DC.Out(gpio.High); err != nil {
		return fmt.Errorf("D/C: %w", err)
	}
	for len(b) > 0 {
		n := min(len(b), d.maxTx)
		if err := d.c.Tx(b[:n], nil); err != nil {
			return fmt.Errorf("data: %w", err)
		}
		b = b[n:]
	}
	return nil
}

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
	"image/color"
	"io"
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

// backlight sets the backlight: off at 0, on at 100, PWM between.
func (d *Dev) backlight(pct int) error {
	bl := d.pins.BL
	if bl == nil || bl == gpio.INVALID {
		return nil
	}
	var err error
	switch pct {
	case 0:
		err = bl.Out(gpio.Low)
	case 100:
		err = bl.Out(gpio.High)
	default:
		err = bl.PWM(gpio.DutyMax*gpio.Duty(pct)/100, pwmHz)
	}
	if err != nil {
		return fmt.Errorf("%s: backlight %d %%: %w", d.o.Name, pct, err)
	}
	return nil
}

// SetBacklight changes the backlight, 0 (off) to 100 percent.
func (d *Dev) SetBacklight(pct int) error {
	if pct < 0 || pct > 100 {
		return fmt.Errorf("%s: backlight %d %%, want 0..100", d.o.Name, pct)
	}
	d.o.Backlight = max(pct, 1)
	return d.backlight(pct)
}

// String implements conn.Resource.
func (d *Dev) String() string { return d.o.Name + "(" + d.port.String() + ")" }

// ColorModel implements display.Drawer: RGB565.
func (d *Dev) ColorModel() color.Model { return RGB565Model }

// Bounds implements display.Drawer: the picture's size after rotation.
func (d *Dev) Bounds() image.Rectangle { return d.bounds }

// MADCTL is the memory access control byte in use (for tests and logs).
func (d *Dev) MADCTL() byte { return d.madctl }

// Draw implements display.Drawer. It converts r of src (from sp) to RGB565
// and sends the rectangles that differ from what the glass shows; the first
// Draw sends everything.
func (d *Dev) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	if d.asleep {
		if err := d.wake(); err != nil {
			return err
		}
	}
	if d.next == nil {
		d.next = NewFrame(d.bounds.Dx(), d.bounds.Dy())
	}
	if d.frame != nil {
		copy(d.next.Pix, d.frame.Pix)
	}
	d.next.Convert(r, src, sp)
	var rects []image.Rectangle
	if d.frame == nil {
		rects = []image.Rectangle{d.bounds}
	} else {
		rects = Changed(d.frame, d.next)
	}
	for _, rc := range rects {
		if err := d.send(rc); err != nil {
			d.frame = nil // unknown glass: send everything next time
			return fmt.Errorf("%s: draw: %w", d.o.Name, err)
		}
	}
	d.frame, d.next = d.next, d.frame
	return nil
}

// send writes rectangle rc of d.next to the controller.
func (d *Dev) send(rc image.Rectangle) error {
	x0, y0 := rc.Min.X+d.xOff, rc.Min.Y+d.yOff
	x1, y1 := rc.Max.X-1+d.xOff, rc.Max.Y-1+d.yOff
	if err := d.command(CASET, byte(x0>>8), byte(x0), byte(x1>>8), byte(x1)); err != nil {
		return err
	}
	if err := d.command(RASET, byte(y0>>8), byte(y0), byte(y1>>8), byte(y1)); err != nil {
		return err
	}
	if err := d.command(RAMWR); err != nil {
		return err
	}
	d.tx = d.next.AppendRect(d.tx[:0], rc)
	return d.data(d.tx)
}

// Halt implements conn.Resource: display off, controller asleep, backlight
// off. The next Draw wakes it (the frame memory is kept in sleep).
func (d *Dev) Halt() error {
	if d.asleep {
		return nil
	}
	err := d.run([]Cmd{{Op: DISPOFF}, {Op: SLPIN, Delay: sleepWait}})
	if err == nil {
		err = d.backlight(0)
	}
	if err != nil {
		return fmt.Errorf("%s: halt: %w", d.o.Name, err)
	}
	d.asleep = true
	return nil
}

func (d *Dev) wake() error {
	if err := d.run([]Cmd{{Op: SLPOUT, Delay: sleepWait}, {Op: DISPON}}); err != nil {
		return fmt.Errorf("%s: wake: %w", d.o.Name, err)
	}
	d.asleep = false
	return d.backlight(d.o.Backlight)
}

// Close closes the SPI port if it can be closed. It does not halt:
// display.Screen clears and halts first.
func (d *Dev) Close() error {
	if c, ok := d.port.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("%s: close port: %w", d.o.Name, err)
		}
	}
	return nil
}

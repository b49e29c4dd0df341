// Package st7567 is the ST7567 LCD panel (128×64, one bit per pixel, e.g.
// Pimoroni's GFX HAT) over 4-wire SPI, on periph's driver. periph's driver
// has only SetPixel and Update and no valid zero options; this package adds
// defaults, orientation, the power-on reset and image conversion with a
// choice of threshold or dithering, and makes the panel a periph
// display.Drawer for display.Screen.
package st7567

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"time"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/devices/v3/ssd1306/image1bit"
	periph "periph.io/x/devices/v3/st7567"

	"github.com/yogamirror/yogamirror/device/board"
	"github.com/yogamirror/yogamirror/display/mono"
)

// Defaults, from periph's example for the GFX HAT.
const (
	DefaultContrast        = 40 // electronic volume, 1..63
	DefaultRegulationRatio = 3  // 1..7
)

// Opts configures the panel. The zero value suits a GFX HAT: bias 1/7,
// segments normal, COM reversed, contrast 40, regulation ratio 3, threshold.
type Opts struct {
	Rotate          int  // 0 or 180 degrees
	FlipH, FlipV    bool // mirror left-right / top-bottom (after Rotate)
	Contrast        int  // 1..63; 0 means DefaultContrast
	RegulationRatio int  // 1..7; 0 means DefaultRegulationRatio
	Bias9           bool // 1/9 LCD bias instead of 1/7
	Dither          mono.Method
}

// resetPulse is how long RST is held low at power-on (datasheet: ≥ 5 µs).
const resetPulse = time.Millisecond

// Panel is an open ST7567. It is not safe for concurrent use (display.Screen
// serialises its calls).
type Panel struct {
	dev    *periph.Dev
	port   spi.Port
	dither mono.Method
	frame  *image1bit.VerticalLSB
	sent   []byte // frame.Pix as last sent; nil before the first Update
	asleep bool
}

var _ pdisplay.Drawer = (*Panel)(nil)

// New pulses rst (if not nil), initialises the controller on port with dc as
// the D/C line and applies o. cs may be nil: the SPI port drives chip select.
// New takes ownership of port: Close closes it.
func New(port spi.Port, dc, rst gpio.PinOut, cs gpio.PinIn, o Opts) (*Panel, error) {
	if port == nil {
		return nil, errors.New("st7567: nil SPI port")
	}
	if dc == nil || dc == gpio.INVALID {
		return nil, errors.New("st7567: a D/C pin is required")
	}
	po, err := o.periphOpts()
	if err != nil {
		return nil, err
	}
	if rst != nil {
		if err := board.Reset(rst, resetPulse); err != nil {
			return nil, fmt.Errorf("st7567: reset: %w", err)
		}
	}
	dev, err := periph.New(port, dc, rst, cs, po)
	if err != nil {
		return nil, fmt.Errorf("st7567: init on %s: %w", port, err)
	}
	r := image.Rect(0, 0, periph.Width, periph.Height)
	return &Panel{dev: dev, port: port, dither: o.Dither, frame: image1bit.NewVerticalLSB(r)}, nil
}

func (o Opts) periphOpts() (*periph.Opts, error) {
	var errs []error
	if o.Rotate != 0 && o.Rotate != 180 {
		errs = append(errs, fmt.Errorf("st7567: rotate %d, want 0 or 180 (the controller cannot turn 90°)", o.Rotate))
	}
	if o.Contrast < 0 || o.Contrast > 63 {
		errs = append(errs, fmt.Errorf("st7567: contrast %d, want 1..63 (0 for %d)", o.Contrast, DefaultContrast))
	}
	if o.RegulationRatio < 0 || o.RegulationRatio > 7 {
		errs = append(errs, fmt.Errorf("st7567: regulation ratio %d, want 1..7 (0 for %d)", o.RegulationRatio, DefaultRegulationRatio))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	po := &periph.Opts{
		Bias:             periph.Bias17,
		SegmentDirection: periph.SegmentDirNormal,
		CommonDirection:  periph.CommonDirReverse,
		Display:          periph.DisplayNormal,
		Contrast:         byte(orDefault(o.Contrast, DefaultContrast)),
	}
	if o.Bias9 {
		po.Bias = periph.Bias19
	}
	turned := o.Rotate == 180
	if o.FlipH != turned {
		po.SegmentDirection = periph.SegmentDirReverse
	}
	if o.FlipV != turned {
		po.CommonDirection = periph.CommonDirNormal
	}
	// periph ORs RR0|RR1|RR2 (0x21, 0x22, 0x24) into the 0x20|ratio command.
	ratio := orDefault(o.RegulationRatio, DefaultRegulationRatio)
	for bit, rr := range []periph.RegulationResistor{periph.RegResistorRR0, periph.RegResistorRR1, periph.RegResistorRR2} {
		if ratio&(1<<bit) != 0 {
			po.RegulationRatio = append(po.RegulationRatio, rr)
		}
	}
	return po, nil
}

// orDefault returns v, or def when v is zero.
func orDefault(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

// String implements conn.Resource.
func (p *Panel) String() string { return "st7567(" + p.port.String() + ")" }

// ColorModel implements display.Drawer: one bit per pixel.
func (p *Panel) ColorModel() color.Model { return image1bit.BitModel }

// Bounds implements display.Drawer: 128×64.
func (p *Panel) Bounds() image.Rectangle { return p.frame.Rect }

// Draw implements display.Drawer. It converts src with the configured
// dithering, copies the pixels into periph's buffer and sends the whole frame
// (periph's Update has no partial mode), unless the frame is unchanged.
func (p *Panel) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	mono.ConvertRect(p.frame, r, src, sp, p.dither)
	if p.sent != nil && !p.asleep && bytes.Equal(p.sent, p.frame.Pix) {
		return nil
	}
	if p.asleep {
		if err := p.dev.WakeUp(); err != nil {
			return fmt.Errorf("st7567: wake up: %w", err)
		}
		p.asleep = false
	}
	for y := 0; y < periph.Height; y++ {
		for x := 0; x < periph.Width; x++ {
			p.dev.SetPixel(x, y, bool(p.frame.BitAt(x, y)))
		}
	}
	if err := p.dev.Update(); err != nil {
		p.sent = nil
		return fmt.Errorf("st7567: update: %w", err)
	}
	p.sent = append(p.sent[:0], p.frame.Pix...)
	return nil
}

// Halt implements conn.Resource: the controller's power save (display off,
// all pixels on: its sleep sequence). The next Draw wakes it. periph's own
// Halt pulses reset, after which only a new init would work.
func (p *Panel) Halt() error {
	if err := p.dev.PowerSave(); err != nil {
		return fmt.Errorf("st7567: power save: %w", err)
	}
	p.asleep = true
	return nil
}

// Close closes the SPI port if it can be closed. It does not halt: Screen
// clears and halts first.
func (p *Panel) Close() error {
	if c, ok := p.port.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("st7567: close port: %w", err)
		}
	}
	return nil
}

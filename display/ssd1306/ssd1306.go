// Package ssd1306 is the SSD1306 OLED panel (128×64, one bit per pixel) over
// 4-wire SPI, on periph's driver: it adds the reset pulse, orientation and
// contrast options, and a choice of threshold or dithering when converting
// images, and it is a periph display.Drawer for display.Screen.
package ssd1306

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"time"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/spi"
	periph "periph.io/x/devices/v3/ssd1306"
	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/yogamirror/yogamirror/device/board"
	"github.com/yogamirror/yogamirror/display/mono"
)

// Opts configures the panel. The zero value is a 128×64 panel the usual way
// up, at the driver's full contrast, thresholded.
type Opts struct {
	Width, Height int  // 0 means 128×64; multiples of 8, up to 128×64
	Rotate        int  // 0 or 180 degrees
	FlipH, FlipV  bool // mirror left-right / top-bottom (after Rotate)
	Contrast      int  // 1..255; 0 keeps the driver's 255
	Dither        mono.Method
	// Sequential selects the sequential COM pin layout that 128×32 modules
	// use; it is set automatically when Height is 32.
	Sequential bool
}

// resetPulse is how long RES# is held low. The datasheet asks for ≥ 3 µs.
const resetPulse = time.Millisecond

// Panel is an open SSD1306. It is not safe for concurrent use (display.Screen
// serialises its calls).
type Panel struct {
	dev    *periph.Dev
	port   spi.Port
	dither mono.Method
	frame  *image1bit.VerticalLSB
}

var _ pdisplay.Drawer = (*Panel)(nil)

// New pulses rst (if not nil), initialises the controller on port with dc as
// the D/C line (required: periph's 3-wire mode is unimplemented) and applies
// o. New takes ownership of port: Close closes it.
func New(port spi.Port, dc, rst gpio.PinOut, o Opts) (*Panel, error) {
	if port == nil {
		return nil, errors.New("ssd1306: nil SPI port")
	}
	if dc == nil || dc == gpio.INVALID {
		return nil, errors.New("ssd1306: a D/C pin is required (3-wire SPI is not implemented by periph)")
	}
	po, err := o.periphOpts()
	if err != nil {
		return nil, err
	}
	if rst != nil {
		if err := board.Reset(rst, resetPulse); err != nil {
			return nil, fmt.Errorf("ssd1306: reset: %w", err)
		}
	}
	dev, err := periph.NewSPI(port, dc, po)
	if err != nil {
		return nil, fmt.Errorf("ssd1306: init: %w", err)
	}
	if o.Contrast > 0 {
		if err := dev.SetContrast(byte(o.Contrast)); err != nil {
			return nil, fmt.Errorf("ssd1306: contrast: %w", err)
		}
	}
	return &Panel{dev: dev, port: port, dither: o.Dither, frame: image1bit.NewVerticalLSB(dev.Bounds())}, nil
}

func (o Opts) periphOpts() (*periph.Opts, error) {
	w, h := o.Width, o.Height
	if w == 0 && h == 0 {
		w, h = 128, 64
	}
	var errs []error
	if w < 8 || w > 128 || w%8 != 0 || h < 8 || h > 64 || h%8 != 0 {
		errs = append(errs, fmt.Errorf("ssd1306: size %d×%d, want multiples of 8 up to 128×64", w, h))
	}
	if o.Rotate != 0 && o.Rotate != 180 {
		errs = append(errs, fmt.Errorf("ssd1306: rotate %d, want 0 or 180 (the controller cannot turn 90°)", o.Rotate))
	}
	if o.Contrast < 0 || o.Contrast > 255 {
		errs = append(errs, fmt.Errorf("ssd1306: contrast %d, want 1..255 (0 for the default)", o.Contrast))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	turned := o.Rotate == 180
	return &periph.Opts{
		W: w, H: h,
		MirrorHorizontal: o.FlipH != turned, // segment remap A0 instead of A1
		MirrorVertical:   o.FlipV != turned, // COM scan C0 instead of C8
		Sequential:       o.Sequential || h == 32,
	}, nil
}

// String implements conn.Resource.
func (p *Panel) String() string { return "ssd1306(" + p.port.String() + ")" }

// ColorModel implements display.Drawer: one bit per pixel.
func (p *Panel) ColorModel() color.Model { return image1bit.BitModel }

// Bounds implements display.Drawer.
func (p *Panel) Bounds() image.Rectangle { return p.dev.Bounds() }

// Draw implements display.Drawer. It converts src with the configured
// dithering and hands periph the page-ordered frame, which sends only the
// band of pages and columns that changed since the last Draw.
func (p *Panel) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	mono.ConvertRect(p.frame, r, src, sp, p.dither)
	if err := p.dev.Draw(p.frame.Rect, p.frame, image.Point{}); err != nil {
		return fmt.Errorf("ssd1306: draw: %w", err)
	}
	return nil
}

// Halt implements conn.Resource: it turns the display off (0xAE); the next
// Draw turns it back on.
func (p *Panel) Halt() error {
	if err := p.dev.Halt(); err != nil {
		return fmt.Errorf("ssd1306: halt: %w", err)
	}
	return nil
}

// Close closes the SPI port if it can be closed. It does not halt: Screen
// clears and halts first.
func (p *Panel) Close() error {
	if c, ok := p.port.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("ssd1306: close port: %w", err)
		}
	}
	return nil
}

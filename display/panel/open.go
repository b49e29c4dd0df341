package panel

import (
	"errors"
	"fmt"
	"io"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/yogamirror/yogamirror/device/board"
	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/dcs"
	"github.com/yogamirror/yogamirror/display/framebuffer"
	"github.com/yogamirror/yogamirror/display/ili9341"
	"github.com/yogamirror/yogamirror/display/mono"
	"github.com/yogamirror/yogamirror/display/preview"
	"github.com/yogamirror/yogamirror/display/ssd1306"
	"github.com/yogamirror/yogamirror/display/st7567"
	"github.com/yogamirror/yogamirror/display/st7789"
	"github.com/yogamirror/yogamirror/display/terminal"
)

// Open validates o and opens the configured panel and preview, each on an
// display.Screen; term is where the "terminal" and "text" drivers
// write (os.Stdout in the daemon). On error nothing stays open. The caller
// closes the Display.
func Open(o Opts, term io.Writer) (*Display, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	d := &Display{}
	if err := d.openPanel(o, term); err != nil {
		return nil, err
	}
	if o.Preview.Enabled {
		p, err := preview.New(o.Preview)
		if err != nil {
			return nil, errors.Join(fmt.Errorf("display: %w", err), d.Close())
		}
		fps := o.Preview.MaxFPS
		if fps == 0 {
			fps = preview.DefaultMaxFPS
		}
		if err := d.addScreen(p, fps); err != nil {
			return nil, errors.Join(err, p.Close(), d.Close())
		}
		d.url = p.URL()
	}
	return d, nil
}

func (d *Display) openPanel(o Opts, term io.Writer) error {
	dither, _ := mono.ParseMethod(o.Dither) // validated
	switch o.driver() {
	case "none":
		return nil
	case "text":
		if term == nil {
			return errors.New("display: driver text needs a writer")
		}
		d.lines = terminal.NewLines(term)
		return nil
	case "terminal":
		p, err := terminal.New(term, terminal.Opts{Width: o.Width, Height: o.Height, ANSI: o.ANSI, Dither: dither})
		if err != nil {
			return fmt.Errorf("display: %w", err)
		}
		return d.addScreen(p, o.MaxFPS)
	case "framebuffer":
		p, err := framebuffer.New(framebuffer.Opts{Device: o.Device, SwapRB: o.ColorOrder == "rgb"})
		if err != nil {
			return fmt.Errorf("display: %w", err)
		}
		if err := d.addScreen(p, o.MaxFPS); err != nil {
			return errors.Join(err, p.Close())
		}
		return nil
	}
	p, err := openSPI(o, dither)
	if err != nil {
		return err
	}
	if err := d.addScreen(p, o.MaxFPS); err != nil {
		return errors.Join(err, p.(io.Closer).Close())
	}
	return nil
}

// openSPI opens an SPI panel by the configured names. Every name that
// fails to resolve is reported, not just the first.
func openSPI(o Opts, dither mono.Method) (pdisplay.Drawer, error) {
	h, err := board.Init()
	if err != nil {
		return nil, fmt.Errorf("display: %s: %w", o.Driver, err)
	}
	var errs []error
	note := func(what string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("display: %s %s: %w", o.Driver, what, err))
		}
	}
	port, err := h.OpenSPI(o.SPI)
	note("spi", err)
	dc, err := h.Pin(o.DC)
	note("dc", err)
	rst, err := h.OptionalPin(o.RST)
	note("rst", err)
	cs, err := h.OptionalPin(o.CS)
	note("cs", err)
	bl, err := h.OptionalPin(o.BL)
	note("bl", err)
	if len(errs) > 0 {
		if port != nil {
			errs = append(errs, port.Close())
		}
		return nil, errors.Join(errs...)
	}
	// Absent pins are nil interfaces, and stay nil as gpio.PinOut/PinIn.
	p, err := newSPI(o, port, dcs.Pins{DC: dc, RST: rst, BL: bl}, cs, dither)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("display: %w", err), port.Close())
	}
	return p, nil
}

// newSPI opens the configured driver on an open port and pins.
func newSPI(o Opts, port spi.PortCloser, pins dcs.Pins, cs gpio.PinIO, dither mono.Method) (pdisplay.Drawer, error) {
	hz := physic.Frequency(o.SPIHz) * physic.Hertz
	switch o.driver() {
	case "ssd1306":
		return ssd1306.New(port, pins.DC, pins.RST, ssd1306.Opts{
			Rotate: o.Rotate, FlipH: o.FlipH, FlipV: o.FlipV, Contrast: o.Contrast, Dither: dither,
		})
	case "st7567":
		return st7567.New(port, pins.DC, pins.RST, cs, st7567.Opts{
			Rotate: o.Rotate, FlipH: o.FlipH, FlipV: o.FlipV, Contrast: o.Contrast, Dither: dither,
		})
	case "st7789":
		return st7789.New(port, pins, st7789.Opts{
			Width: o.Width, Height: o.Height, XOffset: o.XOffset, YOffset: o.YOffset,
			Rotate: o.Rotate, FlipH: o.FlipH, FlipV: o.FlipV, BGR: o.ColorOrder == "bgr",
			NoInvert: o.Invert != nil && !*o.Invert, Hz: hz, Backlight: o.Backlight,
		})
	default:
		return ili9341.New(port, pins, ili9341.Opts{
			Width: o.Width, Height: o.Height, Rotate: o.Rotate, FlipH: o.FlipH, FlipV: o.FlipV,
			RGB: o.ColorOrder == "rgb", Invert: o.Invert != nil && *o.Invert, Hz: hz, Backlight: o.Backlight,
		})
	}
}

// addScreen wraps p in a Screen: rendering and the bus transfer run
// off the frame loop.
func (d *Display) addScreen(p pdisplay.Drawer, fps float64) error {
	sc, err := display.NewScreen(p, display.ScreenOpts{MaxFPS: fps})
	if err != nil {
		return err
	}
	d.Screens = append(d.Screens, sc)
	return nil
}

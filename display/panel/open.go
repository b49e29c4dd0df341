package panel

import (
	"errors"
	"fmt"
	"io"

	pdisplay "periph.io/x/conn/v3/display"

	"github.com/yogamirror/yogamirror/device/board"
	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/mono"
	"github.com/yogamirror/yogamirror/display/preview"
	"github.com/yogamirror/yogamirror/display/ssd1306"
	"github.com/yogamirror/yogamirror/display/st7567"
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

// openSPI opens an SSD1306 or ST7567 by the configured names. Every name
// that fails to resolve is reported, not just the first.
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
	if len(errs) > 0 {
		if port != nil {
			errs = append(errs, port.Close())
		}
		return nil, errors.Join(errs...)
	}
	var p pdisplay.Drawer
	if o.driver() == "ssd1306" {
		p, err = ssd1306.New(port, dc, rst, ssd1306.Opts{
			Rotate: o.Rotate, FlipH: o.FlipH, FlipV: o.FlipV, Contrast: o.Contrast, Dither: dither,
		})
	} else {
		// A nil pin interface converts to nil: absent pins stay nil.
		p, err = st7567.New(port, dc, rst, cs, st7567.Opts{
			Rotate: o.Rotate, FlipH: o.FlipH, FlipV: o.FlipV, Contrast: o.Contrast, Dither: dither,
		})
	}
	if err != nil {
		return nil, errors.Join(fmt.Errorf("display: %w", err), port.Close())
	}
	return p, nil
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

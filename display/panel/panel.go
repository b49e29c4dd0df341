// Package panel opens what the daemon's display configuration names: a
// panel driver looked up by name ("ssd1306" on "SPI0.0" with D/C on
// "GPIO25"), the optional MJPEG preview, or a terminal for development, each
// wrapped in a display.Screen. It is the only display package that touches
// the board, so the rest stays testable without hardware.
package panel

import (
	"errors"
	"fmt"
	"slices"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/mono"
	"github.com/yogamirror/yogamirror/display/preview"
	"github.com/yogamirror/yogamirror/display/terminal"
	"github.com/yogamirror/yogamirror/inference/session"
)

// drivers are the values of Opts.Driver.
var drivers = []string{"none", "ssd1306", "st7567", "terminal", "text"}

// Opts is the daemon's "display" configuration section. Zero values mean
// defaults; the zero Opts opens nothing.
type Opts struct {
	// Driver: "none" or "" (no panel), "ssd1306", "st7567", "terminal" (a
	// block picture on the terminal writer) or "text" (a line per change).
	Driver string `yaml:"driver"`
	SPI    string `yaml:"spi"` // SPI port name, e.g. "SPI0.0"
	DC     string `yaml:"dc"`  // D/C pin, e.g. "GPIO25"; required for SPI panels
	RST    string `yaml:"rst"` // reset pin; optional
	CS     string `yaml:"cs"`  // chip select pin for st7567; usually the port's own
	// Width and Height in pixels; 0 means 128×64 (the only size the mono
	// layout fits on SSD1306/ST7567).
	Width  int `yaml:"width"`
	Height int `yaml:"height"`
	// Rotate is 0 or 180; FlipH/FlipV mirror after rotating.
	Rotate int  `yaml:"rotate"`
	FlipH  bool `yaml:"flip_h"`
	FlipV  bool `yaml:"flip_v"`
	// Contrast: ssd1306 1..255, st7567 1..63; 0 is the driver's default.
	Contrast int `yaml:"contrast"`
	// Dither: "threshold" (default), "bayer" or "diffuse".
	Dither string `yaml:"dither"`
	// MaxFPS caps panel redraws per second; 0 means display.DefaultMaxFPS.
	MaxFPS float64 `yaml:"max_fps"`
	// ANSI makes the terminal driver redraw in place (for a TTY, not a log).
	ANSI bool `yaml:"ansi"`
	// Preview is the MJPEG preview, off unless Preview.Enabled.
	Preview preview.Opts `yaml:"preview"`
}

func (o Opts) driver() string {
	if o.Driver == "" {
		return "none"
	}
	return o.Driver
}

func (o Opts) spi() bool { return o.driver() == "ssd1306" || o.driver() == "st7567" }

// Validate reports every problem at once, each with its key under
// "display.".
func (o Opts) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("display.%s: "+format, append([]any{key}, args...)...))
	}
	if !slices.Contains(drivers, o.driver()) {
		bad("driver", "%q, want one of %v", o.Driver, drivers)
	}
	if o.spi() {
		if o.SPI == "" {
			bad("spi", "required for %s (e.g. \"SPI0.0\")", o.Driver)
		}
		if o.DC == "" {
			bad("dc", "required for %s (the D/C pin, e.g. \"GPIO25\")", o.Driver)
		}
		if (o.Width != 0 || o.Height != 0) && (o.Width != 128 || o.Height != 64) {
			bad("width", "%d×%d, want 128×64 for %s (or leave both 0)", o.Width, o.Height, o.Driver)
		}
	}
	if o.Rotate != 0 && o.Rotate != 180 {
		bad("rotate", "%d, want 0 or 180", o.Rotate)
	}
	maxContrast := map[string]int{"ssd1306": 255, "st7567": 63}[o.driver()]
	if o.Contrast < 0 || (maxContrast > 0 && o.Contrast > maxContrast) {
		bad("contrast", "%d, want 1..%d (0 for the default)", o.Contrast, maxContrast)
	}
	if _, err := mono.ParseMethod(o.Dither); err != nil {
		bad("dither", "%q, want threshold, bayer or diffuse", o.Dither)
	}
	if o.MaxFPS < 0 || o.MaxFPS > 1000 {
		bad("max_fps", "%g, want 0 (default %d) to 1000", o.MaxFPS, display.DefaultMaxFPS)
	}
	if o.Preview.Enabled {
		if err := o.Preview.Validate(); err != nil {
			bad("preview", "%w", err)
		}
	}
	return errors.Join(errs...)
}

// Display is what Open opened. It satisfies the pipeline's StateSink.
type Display struct {
	Screens display.Screens // the panel's and the preview's, as configured
	lines   *terminal.Lines // driver "text"
	url     string
}

// Show shows s on everything opened.
func (d *Display) Show(s session.State) error {
	err := d.Screens.Show(s)
	if d.lines != nil {
		err = errors.Join(err, d.lines.Show(s))
	}
	return err
}

// Close blanks, halts and releases everything (panel, SPI port, preview
// listener).
func (d *Display) Close() error { return d.Screens.Close() }

// Flush waits until the screens have drawn what Show handed them (tests,
// and before reading Stats).
func (d *Display) Flush() {
	for _, sc := range d.Screens {
		sc.Flush()
	}
}

// Stats sums the screens' counters.
func (d *Display) Stats() display.ScreenStats { return d.Screens.Stats() }

// PreviewURL is the preview stream's URL, "" when the preview is off.
func (d *Display) PreviewURL() string { return d.url }

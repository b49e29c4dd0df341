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
var drivers = []string{"none", "ssd1306", "st7567", "st7789", "ili9341", "framebuffer", "terminal", "text"}

// st7789Sizes are the ST7789 boards with known offsets (either way round).
var st7789Sizes = [][2]int{{240, 240}, {240, 320}, {240, 280}, {135, 240}, {170, 320}, {172, 320}}

// Opts is the daemon's "display" configuration section. Zero values mean
// defaults; the zero Opts opens nothing.
type Opts struct {
	// Driver: "none" or "" (no panel), "ssd1306" or "st7567" (128×64
	// one-bit SPI panels), "st7789" or "ili9341" (colour SPI TFTs),
	// "framebuffer" (a monitor, /dev/fbN), "terminal" (a block picture on
	// the terminal writer) or "text" (a line per change).
	Driver string `yaml:"driver"`
	SPI    string `yaml:"spi"` // SPI port name, e.g. "SPI0.0"
	DC     string `yaml:"dc"`  // D/C pin, e.g. "GPIO25"; required for SPI panels
	RST    string `yaml:"rst"` // reset pin; optional
	CS     string `yaml:"cs"`  // chip select pin for st7567; usually the port's own
	BL     string `yaml:"bl"`  // backlight pin of a TFT; optional
	// SPIHz is the SPI clock of a TFT; 0 means the driver's (32 MHz).
	SPIHz int `yaml:"spi_hz"`
	// Backlight of a TFT in percent (PWM below 100); 0 means 100.
	Backlight int `yaml:"backlight"`
	// Width and Height in pixels. 0×0 means 128×64 for the one-bit panels
	// (their only size), 240×240 for st7789 and 240×320 for ili9341; a
	// landscape size is the portrait panel turned. The framebuffer reads its
	// own.
	Width  int `yaml:"width"`
	Height int `yaml:"height"`
	// XOffset, YOffset place a small ST7789 glass in the controller's
	// memory; 0, 0 means the usual offsets for its size.
	XOffset int `yaml:"x_offset"`
	YOffset int `yaml:"y_offset"`
	// Rotate is 0 or 180 (0, 90, 180 or 270 for TFTs); FlipH/FlipV mirror
	// after rotating.
	Rotate int  `yaml:"rotate"`
	FlipH  bool `yaml:"flip_h"`
	FlipV  bool `yaml:"flip_v"`
	// ColorOrder of a TFT's filter or a framebuffer's memory: "" (the
	// driver's usual: st7789 rgb, ili9341 bgr, framebuffer bgr), "rgb" or
	// "bgr".
	ColorOrder string `yaml:"color_order"`
	// Invert turns a TFT's colour inversion on or off; unset means the
	// driver's usual (st7789: on, as IPS glass needs; ili9341: off).
	Invert *bool `yaml:"invert"`
	// Device is the framebuffer device; "" means /dev/fb0.
	Device string `yaml:"device"`
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

func (o Opts) spi() bool { return o.mono() || o.tft() }

func (o Opts) mono() bool { return o.driver() == "ssd1306" || o.driver() == "st7567" }

func (o Opts) tft() bool { return o.driver() == "st7789" || o.driver() == "ili9341" }

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
	}
	if err := o.validSize(); err != nil {
		bad("width", "%v", err)
	}
	switch {
	case o.tft() && o.Rotate != 0 && o.Rotate != 90 && o.Rotate != 180 && o.Rotate != 270:
		bad("rotate", "%d, want 0, 90, 180 or 270", o.Rotate)
	case !o.tft() && o.Rotate != 0 && o.Rotate != 180:
		bad("rotate", "%d, want 0 or 180", o.Rotate)
	}
	if o.SPIHz < 0 || o.SPIHz > 125_000_000 {
		bad("spi_hz", "%d, want 0 (the driver's) to 125000000", o.SPIHz)
	}
	if o.Backlight < 0 || o.Backlight > 100 {
		bad("backlight", "%d, want 1..100 (0 for 100)", o.Backlight)
	}
	if o.XOffset < 0 || o.XOffset > 240 || o.YOffset < 0 || o.YOffset > 320 {
		bad("x_offset", "%d, %d: want offsets within the ST7789's 240×320 memory", o.XOffset, o.YOffset)
	}
	if o.ColorOrder != "" && o.ColorOrder != "rgb" && o.ColorOrder != "bgr" {
		bad("color_order", "%q, want rgb or bgr (or \"\" for the driver's)", o.ColorOrder)
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

// validSize checks Width×Height against what the driver supports.
func (o Opts) validSize() error {
	w, h := o.Width, o.Height
	if w == 0 && h == 0 {
		return nil
	}
	switch o.driver() {
	case "ssd1306", "st7567":
		if w != 128 || h != 64 {
			return fmt.Errorf("%d×%d, want 128×64 for %s (or leave both 0)", w, h, o.Driver)
		}
	case "ili9341":
		if !(w == 240 && h == 320) && !(w == 320 && h == 240) {
			return fmt.Errorf("%d×%d, want 240×320 or 320×240 for ili9341", w, h)
		}
	case "st7789":
		if min(w, h) <= 0 || min(w, h) > 240 || max(w, h) > 320 {
			return fmt.Errorf("%d×%d, want a size within the ST7789's 240×320 (e.g. 240×240, 240×320, 320×240)", w, h)
		}
		if (o.XOffset == 0 && o.YOffset == 0) && !slices.Contains(st7789Sizes, [2]int{min(w, h), max(w, h)}) {
			return fmt.Errorf("%d×%d has no known offsets: set x_offset and y_offset (sizes known: %v)", w, h, st7789Sizes)
		}
	case "framebuffer":
		return fmt.Errorf("%d×%d: the framebuffer reads its size from the device (leave both 0)", w, h)
	}
	return nil
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

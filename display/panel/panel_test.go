package panel

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/device/board"
	"github.com/yogamirror/yogamirror/display/preview"
	"github.com/yogamirror/yogamirror/inference/session"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		o    Opts
		want []string // substrings, one per expected problem; none means valid
	}{
		{"zero is valid", Opts{}, nil},
		{"ssd1306 complete", Opts{Driver: "ssd1306", SPI: "SPI0.0", DC: "GPIO25", RST: "GPIO24", Contrast: 200, Dither: "bayer"}, nil},
		{"st7567 complete", Opts{Driver: "st7567", SPI: "SPI0.0", DC: "GPIO6", RST: "GPIO5", Contrast: 40, Rotate: 180}, nil},
		{"unknown driver", Opts{Driver: "ssd1331"}, []string{`display.driver: "ssd1331"`}},
		{"st7789 complete", Opts{Driver: "st7789", SPI: "SPI0.0", DC: "GPIO25", RST: "GPIO27", BL: "GPIO24", Width: 320, Height: 240,
			Rotate: 270, SPIHz: 62_500_000, Backlight: 60, ColorOrder: "bgr"}, nil},
		{"st7789 1.14 inch", Opts{Driver: "st7789", SPI: "SPI0.0", DC: "GPIO25", Width: 240, Height: 135}, nil},
		{"st7789 odd size needs offsets", Opts{Driver: "st7789", SPI: "SPI0.0", DC: "GPIO25", Width: 200, Height: 200},
			[]string{"display.width: 200×200 has no known offsets"}},
		{"st7789 odd size with offsets", Opts{Driver: "st7789", SPI: "SPI0.0", DC: "GPIO25", Width: 200, Height: 200, XOffset: 20, YOffset: 60}, nil},
		{"ili9341 landscape", Opts{Driver: "ili9341", SPI: "SPI0.0", DC: "GPIO25", Width: 320, Height: 240, Rotate: 180}, nil},
		{"tft mistakes", Opts{Driver: "ili9341", SPI: "SPI0.0", DC: "GPIO25", Width: 480, Height: 320, Rotate: 45, SPIHz: -1, Backlight: 150, ColorOrder: "grb"},
			[]string{"display.width: 480×320, want 240×320 or 320×240", "display.rotate: 45, want 0, 90, 180 or 270", "display.spi_hz: -1",
				"display.backlight: 150", `display.color_order: "grb"`}},
		{"framebuffer", Opts{Driver: "framebuffer", Device: "/dev/fb1"}, nil},
		{"framebuffer reads its size", Opts{Driver: "framebuffer", Width: 1920, Height: 1080},
			[]string{"display.width: 1920×1080: the framebuffer reads its size"}},
		{"mono panels do not turn 90", Opts{Driver: "ssd1306", SPI: "SPI0.0", DC: "GPIO25", Rotate: 90}, []string{"display.rotate: 90, want 0 or 180"}},
		{"spi panel without names", Opts{Driver: "ssd1306"}, []string{"display.spi: required", "display.dc: required"}},
		{"everything wrong at once", Opts{Driver: "st7567", SPI: "SPI0.0", DC: "GPIO6", Width: 132, Height: 64, Rotate: 90, Contrast: 100, Dither: "halftone", MaxFPS: -1},
			[]string{"display.width: 132×64", "display.rotate: 90", "display.contrast: 100, want 1..63", `display.dither: "halftone"`, "display.max_fps: -1"}},
		{"bad preview only when enabled", Opts{Preview: preview.Opts{Format: "gif"}}, nil},
		{"bad preview", Opts{Preview: preview.Opts{Enabled: true, Format: "gif"}}, []string{`display.preview: preview: format "gif"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.o.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate passed; want %v", tc.want)
			}
			if n := len(strings.Split(err.Error(), "\n")); n != len(tc.want) {
				t.Errorf("%d problems reported, want %d:\n%v", n, len(tc.want), err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
}

// On this build machine there is no SPI: opening a hardware panel must fail
// with board's explanation, not a panic or a vague error.
func TestOpenSPIPanelWithoutHardware(t *testing.T) {
	h, err := board.Init()
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Pins()) > 0 || len(h.SPIPorts()) > 0 {
		t.Skip("this host has GPIO or SPI; the test expects a machine without")
	}
	for _, driver := range []string{"ssd1306", "st7567", "st7789", "ili9341"} {
		_, err := Open(Opts{Driver: driver, SPI: "SPI0.0", DC: "GPIO25"}, nil)
		if !errors.Is(err, board.ErrNoSPI) || !errors.Is(err, board.ErrNoGPIO) || !strings.HasPrefix(err.Error(), "display: "+driver+" spi: board: ") {
			t.Errorf("Open(%s) = %v; want display-prefixed board.ErrNoSPI and ErrNoGPIO", driver, err)
		}
	}
}

func TestOpenTerminalAndText(t *testing.T) {
	s := session.State{Time: time.Unix(0, 0), Person: true, Pose: "tree", HeldS: 3, TargetS: 30}
	for _, driver := range []string{"terminal", "text"} {
		t.Run(driver, func(t *testing.T) {
			var out bytes.Buffer
			d, err := Open(Opts{Driver: driver}, &out)
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Show(s); err != nil {
				t.Fatal(err)
			}
			d.Flush()
			if out.Len() == 0 {
				t.Error("nothing written")
			}
			if err := d.Close(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestOpenNoneWithPreview(t *testing.T) {
	d, err := Open(Opts{Preview: preview.Opts{Enabled: true, Addr: "127.0.0.1:0"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Screens) != 1 || !strings.HasPrefix(d.PreviewURL(), "http://127.0.0.1:") {
		t.Fatalf("screens %d, preview %q", len(d.Screens), d.PreviewURL())
	}
	if err := d.Show(session.State{Time: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	d.Flush()
	resp, err := http.Get(d.PreviewURL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if d.Stats().Draws != 1 {
		t.Errorf("stats %+v, want one draw", d.Stats())
	}
}

func TestOpenNothing(t *testing.T) {
	d, err := Open(Opts{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Show(session.State{}); err != nil || len(d.Screens) != 0 {
		t.Errorf("Show on nothing: %v, %d screens", err, len(d.Screens))
	}
	if err := d.Close(); err != nil {
		t.Error(err)
	}
}

// Without a framebuffer the error names what is missing.
func TestOpenFramebufferWithoutDevice(t *testing.T) {
	_, err := Open(Opts{Driver: "framebuffer", Device: "/dev/fb7"}, nil)
	if err == nil || !strings.Contains(err.Error(), "display: framebuffer: /sys/class/graphics/fb7") {
		t.Errorf("Open = %v", err)
	}
}

package display_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/spi/spitest"
	"periph.io/x/devices/v3/ssd1306/image1bit"
	"periph.io/x/devices/v3/videosink"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/framebuffer"
	"github.com/yogamirror/yogamirror/display/ili9341"
	"github.com/yogamirror/yogamirror/display/ssd1306"
	"github.com/yogamirror/yogamirror/display/st7567"
	"github.com/yogamirror/yogamirror/display/st7789"
	"github.com/yogamirror/yogamirror/inference/session"
)

// discard is a panel that costs nothing, to time the Screen alone.
type discard struct {
	r image.Rectangle
	m color.Model
}

func (d discard) String() string                                       { return "discard" }
func (d discard) Halt() error                                          { return nil }
func (d discard) ColorModel() color.Model                              { return d.m }
func (d discard) Bounds() image.Rectangle                              { return d.r }
func (d discard) Draw(image.Rectangle, image.Image, image.Point) error { return nil }

// frame i of a session at 12.5 fps: a 30 s tree hold.
func frameState(i int) session.State {
	t := float64(i) * 0.08
	return session.State{Time: t0.Add(time.Duration(i) * 80 * time.Millisecond), Person: true, Pose: "tree",
		HeldS: t, TargetS: 30, SessionActive: true, SessionS: 60 + t}
}

// tick is a state one displayed second after tick i-1, so every call changes.
func tick(i int) session.State {
	s := frameState(i * 13)
	s.HeldS = float64(i % 3600)
	return s
}

func BenchmarkRender(b *testing.B) {
	for _, bc := range []struct {
		name string
		o    display.RenderOpts
	}{
		{"mono128x64", display.RenderOpts{Width: 128, Height: 64, Mono: true}},
		{"compact240x135", display.RenderOpts{Width: 240, Height: 135}},
		{"studio240x240", display.RenderOpts{Width: 240, Height: 240}},
		{"studio320x240", display.RenderOpts{Width: 320, Height: 240}},
		{"studio640x360", display.RenderOpts{Width: 640, Height: 360}},
		{"studio1920x1080", display.RenderOpts{Width: 1920, Height: 1080}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			r, err := display.NewRenderer(bc.o)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				r.Render(tick(i))
			}
		})
	}
}

func BenchmarkShow(b *testing.B) {
	mono := discard{image.Rect(0, 0, 128, 64), image1bit.BitModel}
	colour := discard{image.Rect(0, 0, 640, 360), color.RGBAModel}
	sink := videosink.New(&videosink.Options{Width: 640, Height: 360, Format: videosink.JPEG})
	oled := newOLED(b)
	cases := []struct {
		name  string
		panel pdisplay.Drawer
		state func(i int) session.State
		async bool
	}{
		{"unchanged/mono", mono, func(int) session.State { return frameState(100) }, false},
		{"unchanged/colour", colour, func(int) session.State { return frameState(100) }, false},
		{"every-frame/mono", mono, frameState, false},
		{"every-frame/colour", colour, frameState, false},
		{"every-frame/ssd1306", oled, frameState, false},
		{"every-frame/videosink", sink, frameState, false},
		{"changed/mono", mono, tick, false},
		{"changed/ssd1306", oled, tick, false},
		{"changed/colour", colour, tick, false},
		{"changed/videosink", sink, tick, false},
		{"changed/st7567", newLCD(b), tick, false},
		{"changed-async/ssd1306", newOLED(b), tick, true},
		{"changed-async/videosink", sink, tick, true},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			o := display.ScreenOpts{MaxFPS: 1000}
			if strings.HasPrefix(bc.name, "every-frame") {
				o.MaxFPS = 0 // the default 5 fps
			}
			sc, err := display.NewScreen(bc.panel, o)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := sc.Show(bc.state(i)); err != nil {
					b.Fatal(err)
				}
			}
			sc.Flush()
		})
	}
}

// BenchmarkPreviewJPEG is what the preview's HTTP goroutine pays per frame
// sent while a browser watches (not the frame loop).
func BenchmarkPreviewJPEG(b *testing.B) {
	r, err := display.NewRenderer(display.RenderOpts{Width: 640, Height: 360})
	if err != nil {
		b.Fatal(err)
	}
	img := r.Render(frameState(100))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
			b.Fatal(err)
		}
	}
}

func newOLED(b *testing.B) *ssd1306.Panel {
	p, err := ssd1306.New(spitest.NewRecordRaw(io.Discard), &gpiotest.Pin{N: "DC"}, nil, ssd1306.Opts{})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func newLCD(b *testing.B) *st7567.Panel {
	p, err := st7567.New(spitest.NewRecordRaw(io.Discard), &gpiotest.Pin{N: "DC"}, nil, nil, st7567.Opts{})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// countWriter counts what an SPI port would clock out.
type countWriter struct{ n int }

func (c *countWriter) Write(p []byte) (int, error) { c.n += len(p); return len(p), nil }

// BenchmarkTFTTick is a TFT's cost per timer tick: render, RGB565 and the
// changed rectangles sent. spi-ms is the wire time at the default 32 MHz.
func BenchmarkTFTTick(b *testing.B) {
	for _, bc := range []struct {
		name string
		open func(*countWriter) (pdisplay.Drawer, error)
	}{
		{"st7789_240x240", func(w *countWriter) (pdisplay.Drawer, error) {
			return st7789.New(spitest.NewRecordRaw(w), st7789.Pins{DC: &gpiotest.Pin{N: "DC"}}, st7789.Opts{Sleep: func(time.Duration) {}})
		}},
		{"ili9341_320x240", func(w *countWriter) (pdisplay.Drawer, error) {
			return ili9341.New(spitest.NewRecordRaw(w), ili9341.Pins{DC: &gpiotest.Pin{N: "DC"}}, ili9341.Opts{Width: 320, Height: 240, Sleep: func(time.Duration) {}})
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			w := &countWriter{}
			p, err := bc.open(w)
			if err != nil {
				b.Fatal(err)
			}
			r, err := display.NewRenderer(display.RenderOpts{Width: p.Bounds().Dx(), Height: p.Bounds().Dy()})
			if err != nil {
				b.Fatal(err)
			}
			if err := p.Draw(p.Bounds(), r.Render(tick(0)), image.Point{}); err != nil {
				b.Fatal(err)
			}
			w.n = 0
			b.ReportAllocs()
			for i := 1; b.Loop(); i++ {
				if err := p.Draw(p.Bounds(), r.Render(tick(i)), image.Point{}); err != nil {
					b.Fatal(err)
				}
			}
			bytes := float64(w.n) / float64(b.N)
			b.ReportMetric(bytes, "spi-bytes/op")
			b.ReportMetric(bytes*8/32e6*1e3, "spi-ms/op")
		})
	}
}

// BenchmarkFramebufferTick is a 1080p monitor's cost per timer tick:
// render, convert to XRGB8888, write the changed spans (to a file here).
func BenchmarkFramebufferTick(b *testing.B) {
	dir := b.TempDir()
	sys := filepath.Join(dir, "fb0")
	for name, v := range map[string]string{"virtual_size": "1920,1080", "bits_per_pixel": "32", "stride": "7680"} {
		testkit.WriteFile(b, filepath.Join(sys, name), []byte(v))
	}
	dev := filepath.Join(dir, "mem")
	testkit.WriteFile(b, dev, make([]byte, 7680*1080))
	p, err := framebuffer.New(framebuffer.Opts{Device: dev, Sysfs: sys})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	r, err := display.NewRenderer(display.RenderOpts{Width: 1920, Height: 1080})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := p.Draw(p.Bounds(), r.Render(tick(i)), image.Point{}); err != nil {
			b.Fatal(err)
		}
	}
}

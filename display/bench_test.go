package display_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"testing"
	"time"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/spi/spitest"
	"periph.io/x/devices/v3/ssd1306/image1bit"
	"periph.io/x/devices/v3/videosink"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/ssd1306"
	"github.com/yogamirror/yogamirror/inference/track"
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
func frameState(i int) track.State {
	t := float64(i) * 0.08
	return track.State{Time: t0.Add(time.Duration(i) * 80 * time.Millisecond), Person: true, Pose: "tree",
		HeldS: t, TargetS: 30, SessionActive: true, SessionS: 60 + t}
}

// tick is a state one displayed second after tick i-1, so every call changes.
func tick(i int) track.State {
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
		{"colour640x360", display.RenderOpts{Width: 640, Height: 360}},
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
		panel interface {
			Bounds() image.Rectangle
		}
		state func(i int) track.State
	}{
		{"unchanged/mono", mono, func(int) track.State { return frameState(100) }},
		{"unchanged/colour", colour, func(int) track.State { return frameState(100) }},
		{"every-frame/mono", mono, frameState},
		{"every-frame/colour", colour, frameState},
		{"every-frame/ssd1306", oled, frameState},
		{"every-frame/videosink", sink, frameState},
		{"changed/mono", mono, tick},
		{"changed/ssd1306", oled, tick},
		{"changed/colour", colour, tick},
		{"changed/videosink", sink, tick},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			sc, err := display.NewScreen(bc.panel.(pdisplay.Drawer), display.ScreenOpts{MaxFPS: 1000})
			if bc.name[:5] == "every" {
				sc, err = display.NewScreen(bc.panel.(pdisplay.Drawer), display.ScreenOpts{}) // default 5 fps
			}
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if err := sc.Show(bc.state(i)); err != nil {
					b.Fatal(err)
				}
			}
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

package ili9341

import (
	"image"
	"image/color"
	"image/draw"
	"slices"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/display/dcs/dcstest"
	"github.com/yogamirror/yogamirror/display/displaytest"
)

// initScript is the ILI9341 power-on flow: software reset and sleep out,
// each with the datasheet's 120 ms, then the register set-up every common
// driver uses (datasheet v1.11 names in the comments), the memory access
// control, 16-bit pixels, inversion off, normal mode and display on.
func initScript(madctl string) []string {
	return []string{
		"cmd 01", "wait 120ms", // software reset
		"cmd 11", "wait 120ms", // sleep out
		"cmd cf", "data 00 c1 30", // power control B
		"cmd ed", "data 64 03 12 81", // power on sequence control
		"cmd e8", "data 85 00 78", // driver timing control A
		"cmd cb", "data 39 2c 00 34 02", // power control A
		"cmd f7", "data 20", // pump ratio control
		"cmd ea", "data 00 00", // driver timing control B
		"cmd c0", "data 23", // power control 1
		"cmd c1", "data 10", // power control 2
		"cmd c5", "data 3e 28", // VCOM control 1
		"cmd c7", "data 86", // VCOM control 2
		"cmd 37", "data 00", // vertical scrolling start address
		"cmd b1", "data 00 18", // frame rate control (normal mode)
		"cmd b6", "data 08 82 27", // display function control
		"cmd f2", "data 00", // enable 3G: off
		"cmd 26", "data 01", // gamma set: curve 1
		"cmd e0", "data 0f 31 2b 0c 0e 08 4e f1 37 07 10 03 0e 09 00", // positive gamma correction
		"cmd e1", "data 00 0e 14 03 11 07 31 c1 48 08 0f 0c 31 36 0f", // negative gamma correction
		"cmd 36", "data " + madctl, // memory access control
		"cmd 3a", "data 55", // pixel format: 16 bits
		"cmd 20 13", "wait 10ms", // inversion off, normal display mode on
		"cmd 29", "wait 10ms", // display on
	}
}

func TestInitSequence(t *testing.T) {
	tests := []struct {
		name   string
		o      Opts
		madctl string
		bounds image.Rectangle
	}{
		// MX|BGR is upright on the common modules (TFT_eSPI's rotation 0).
		{"portrait", Opts{}, "48", image.Rect(0, 0, 240, 320)},
		{"landscape by size", Opts{Width: 320, Height: 240}, "28", image.Rect(0, 0, 320, 240)},
		{"landscape by rotation", Opts{Rotate: 270}, "e8", image.Rect(0, 0, 320, 240)},
		{"upside down", Opts{Rotate: 180}, "88", image.Rect(0, 0, 240, 320)},
		{"mirror mount", Opts{FlipH: true}, "08", image.Rect(0, 0, 240, 320)},
		{"rgb filter", Opts{RGB: true}, "40", image.Rect(0, 0, 240, 320)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bus := displaytest.NewBus()
			tc.o.Sleep = bus.Sleep
			p, err := New(bus.Port, Pins{DC: bus.DC}, tc.o)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := bus.Script(), initScript(tc.madctl); !slices.Equal(got, want) {
				t.Fatalf("sent:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if p.Bounds() != tc.bounds {
				t.Errorf("bounds %v, want %v", p.Bounds(), tc.bounds)
			}
		})
	}
}

func TestInvertedIPSVariant(t *testing.T) {
	bus := displaytest.NewBus()
	if _, err := New(bus.Port, Pins{DC: bus.DC}, Opts{Invert: true, Sleep: bus.Sleep}); err != nil {
		t.Fatal(err)
	}
	if s := bus.Script(); !slices.Contains(s, "cmd 21 13") {
		t.Errorf("no INVON in %v", s)
	}
}

func TestBadSize(t *testing.T) {
	bus := displaytest.NewBus()
	if _, err := New(bus.Port, Pins{DC: bus.DC}, Opts{Width: 240, Height: 240}); err == nil || !strings.Contains(err.Error(), "ili9341: size 240×240") {
		t.Errorf("New(240×240) = %v", err)
	}
}

// A frame drawn in landscape arrives upright on the module's mirrored,
// BGR glass, and a later change sends only its rectangle.
func TestGlassShowsThePicture(t *testing.T) {
	bus := displaytest.NewBus()
	o := Opts{Width: 320, Height: 240, Sleep: bus.Sleep}
	p, err := New(bus.Port, Pins{DC: bus.DC}, o)
	if err != nil {
		t.Fatal(err)
	}
	do, _ := o.DCS()
	emu := dcstest.New(dcstest.ModuleOf(do))
	img := image.NewRGBA(p.Bounds())
	draw.Draw(img, img.Rect, image.Black, image.Point{}, draw.Src)
	img.SetRGBA(0, 0, color.RGBA{0xFF, 0, 0, 0xFF})     // red top-left
	img.SetRGBA(319, 239, color.RGBA{0, 0, 0xFF, 0xFF}) // blue bottom-right
	for _, step := range []func(){
		func() {},
		func() { img.SetRGBA(100, 50, color.RGBA{0, 0xFF, 0, 0xFF}) },
	} {
		step()
		if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
			t.Fatal(err)
		}
		if err := emu.Feed(bus.Transcript()); err != nil { // the init too, the first time
			t.Fatal(err)
		}
		bus.Reset()
	}
	if emu.Pixels != 320*240+1 || emu.Windows != 2 {
		t.Errorf("%d pixels in %d windows, want a full frame then one pixel", emu.Pixels, emu.Windows)
	}
	seen := emu.Seen(do.Rotate)
	for _, pt := range []image.Point{{0, 0}, {319, 239}, {100, 50}, {5, 5}} {
		if got, want := seen.RGBAAt(pt.X, pt.Y), img.RGBAAt(pt.X, pt.Y); got != want {
			t.Errorf("pixel %v shows %v, want %v", pt, got, want)
		}
	}
}

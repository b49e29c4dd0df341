package st7789

import (
	"image"
	"image/color"
	"slices"
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio"

	"github.com/yogamirror/yogamirror/display/dcs"
	"github.com/yogamirror/yogamirror/display/dcs/dcstest"
	"github.com/yogamirror/yogamirror/display/displaytest"
)

// initScript is the ST7789 datasheet's power-on flow (v1.6 §9.1.1 and the
// command descriptions): SWRESET and SLPOUT each need 120 ms before the next
// sleep change (5 ms before any command), then 16-bit pixels (COLMOD 0x55),
// memory access control, inversion, normal mode and display on.
func initScript(madctl string, invert string) []string {
	return []string{
		"cmd 01", "wait 120ms", // SWRESET
		"cmd 11", "wait 120ms", // SLPOUT
		"cmd 36", "data " + madctl, // MADCTL
		"cmd 3a", "data 55", // COLMOD: 65K colours, 16 bits per pixel
		"cmd " + invert + " 13", "wait 10ms", // INVON/INVOFF, NORON
		"cmd 29", "wait 10ms", // DISPON
	}
}

func open(t *testing.T, bus *displaytest.Bus, pins Pins, o Opts) *Panel {
	t.Helper()
	o.Sleep = bus.Sleep
	p, err := New(bus.Port, pins, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func expectScript(t *testing.T, bus *displaytest.Bus, want []string) {
	t.Helper()
	if got := bus.Script(); !slices.Equal(got, want) {
		t.Fatalf("sent:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestInitSequence(t *testing.T) {
	tests := []struct {
		name   string
		o      Opts
		script []string
		bounds image.Rectangle
	}{
		{"defaults: 240x240 IPS", Opts{}, initScript("00", "21"), image.Rect(0, 0, 240, 240)},
		{"2 inch 240x320", Opts{Width: 240, Height: 320}, initScript("00", "21"), image.Rect(0, 0, 240, 320)},
		{"320x240 is 240x320 turned", Opts{Width: 320, Height: 240}, initScript("60", "21"), image.Rect(0, 0, 320, 240)},
		{"upside down", Opts{Rotate: 180}, initScript("c0", "21"), image.Rect(0, 0, 240, 240)},
		{"mirror mount", Opts{FlipH: true}, initScript("40", "21"), image.Rect(0, 0, 240, 240)},
		{"bgr, not IPS", Opts{BGR: true, NoInvert: true}, initScript("08", "20"), image.Rect(0, 0, 240, 240)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bus := displaytest.NewBus()
			p := open(t, bus, Pins{DC: bus.DC}, tc.o)
			expectScript(t, bus, tc.script)
			if p.Bounds() != tc.bounds {
				t.Errorf("bounds %v, want %v", p.Bounds(), tc.bounds)
			}
		})
	}
}

// With a reset line the controller is pulsed and given 120 ms before any
// command; with a backlight line the light comes on after DISPON.
func TestResetAndBacklight(t *testing.T) {
	bus := displaytest.NewBus()
	open(t, bus, Pins{DC: bus.DC, RST: bus.RST, BL: bus.BL}, Opts{})
	want := append([]string{"wait 120ms"}, initScript("00", "21")...)
	expectScript(t, bus, want)
	rst := bus.RST.Levels()
	if len(rst) != 3 || rst[0].L != gpio.High || rst[1].L != gpio.Low || rst[2].L != gpio.High || rst[2].AfterTx != 0 {
		t.Errorf("RST %v, want high, low, high before the first transfer", rst)
	}
	if bl := bus.BL.Levels(); len(bl) != 1 || bl[0].L != gpio.High {
		t.Errorf("BL %v, want on", bl)
	}

	dim := displaytest.NewBus()
	open(t, dim, Pins{DC: dim.DC, BL: dim.BL}, Opts{Backlight: 40})
	if d := dim.BL.Pin.D; d != gpio.DutyMax*40/100 || dim.BL.Pin.F == 0 {
		t.Errorf("BL PWM duty %v at %v, want 40%% of %v", d, dim.BL.Pin.F, gpio.DutyMax)
	}
}

// The 240x240 glass sits in rows 0..239 of the 240x320 memory, or 80..319
// when the picture is turned upside down (the addresses mirror).
func TestOffsetsOfSmallGlass(t *testing.T) {
	for _, tc := range []struct {
		o            Opts
		caset, raset string
	}{
		{Opts{}, "data 00 00 00 ef", "data 00 00 00 ef"},
		{Opts{Rotate: 180}, "data 00 00 00 ef", "data 00 50 01 3f"},
		{Opts{Rotate: 270}, "data 00 50 01 3f", "data 00 00 00 ef"},
		{Opts{Width: 135, Height: 240}, "data 00 34 00 ba", "data 00 28 01 17"},
		{Opts{Width: 240, Height: 280}, "data 00 00 00 ef", "data 00 14 01 2b"},
	} {
		bus := displaytest.NewBus()
		p := open(t, bus, Pins{DC: bus.DC}, tc.o)
		bus.Reset()
		if err := p.Draw(p.Bounds(), image.NewUniform(color.White), image.Point{}); err != nil {
			t.Fatal(err)
		}
		s := bus.Script()
		if len(s) != 6 || s[0] != "cmd 2a" || s[1] != tc.caset || s[2] != "cmd 2b" || s[3] != tc.raset || s[4] != "cmd 2c" {
			t.Errorf("%+v: window %q, want CASET %s RASET %s", tc.o, s[:min(5, len(s))], tc.caset, tc.raset)
		}
	}
}

func TestDrawSendsOnlyWhatChanged(t *testing.T) {
	bus := displaytest.NewBus()
	p := open(t, bus, Pins{DC: bus.DC, BL: bus.BL}, Opts{})
	img := image.NewRGBA(p.Bounds())
	draw := func() {
		t.Helper()
		bus.Reset()
		if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
			t.Fatal(err)
		}
	}
	draw()
	if n := len(bus.Transcript()[5].Bytes); n != 240*240*2 {
		t.Fatalf("first frame sent %d pixel bytes, want all %d", n, 240*240*2)
	}
	draw()
	bus.Expect(t, nil)

	img.SetRGBA(17, 3, color.RGBA{0xFF, 0x00, 0x00, 0xFF}) // RGB565 f800
	draw()
	bus.Expect(t, []displaytest.Tx{
		displaytest.Cmd(dcs.CASET), displaytest.Data(0, 17, 0, 17),
		displaytest.Cmd(dcs.RASET), displaytest.Data(0, 3, 0, 3),
		displaytest.Cmd(dcs.RAMWR), displaytest.Data(0xF8, 0x00),
	})

	// Halt puts the controller to sleep and the light out; the next Draw
	// wakes both, and the memory kept the picture, so only changes go.
	bus.Reset()
	if err := p.Halt(); err != nil {
		t.Fatal(err)
	}
	expectScript(t, bus, []string{"cmd 28 10", "wait 120ms"})
	if l := bus.BL.Levels(); l[len(l)-1].L != gpio.Low {
		t.Errorf("backlight %v after Halt, want off", l)
	}
	img.SetRGBA(0, 0, color.RGBA{0x00, 0x00, 0xFF, 0xFF}) // 001f
	draw()
	expectScript(t, bus, []string{"cmd 11", "wait 120ms", "cmd 29 2a", "data 00 00 00 00", "cmd 2b", "data 00 00 00 00", "cmd 2c", "data 00 1f"})
	if l := bus.BL.Levels(); l[len(l)-1].L != gpio.High {
		t.Errorf("backlight %v after waking, want on", l)
	}
}

// The picture a Screen draws arrives on the glass, colours included: an
// IPS glass needs the inversion the driver turns on.
func TestGlassShowsColours(t *testing.T) {
	bus := displaytest.NewBus()
	o := Opts{Width: 320, Height: 240, Sleep: bus.Sleep}
	p, err := New(bus.Port, Pins{DC: bus.DC}, o)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(p.Bounds())
	for x := 0; x < 320; x++ {
		for y := 0; y < 240; y++ {
			img.SetRGBA(x, y, color.RGBA{uint8(x), uint8(y), 0x80, 0xFF})
		}
	}
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	emu := dcstest.New(dcstest.ModuleOf(o.DCS()))
	if err := emu.Feed(bus.Transcript()); err != nil {
		t.Fatal(err)
	}
	seen := emu.Seen(o.DCS().Rotate)
	for _, pt := range []image.Point{{0, 0}, {319, 0}, {0, 239}, {200, 100}} {
		want := dcs.RGB565Model.Convert(img.At(pt.X, pt.Y))
		if got := seen.At(pt.X, pt.Y); got != want {
			t.Errorf("pixel %v on the glass %v, want %v", pt, got, want)
		}
	}
}

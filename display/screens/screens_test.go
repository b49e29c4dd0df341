package screens_test

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"testing"
	"time"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/devices/v3/ssd1306/image1bit"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/dcs"
	"github.com/yogamirror/yogamirror/display/dcs/dcstest"
	"github.com/yogamirror/yogamirror/display/displaytest"
	"github.com/yogamirror/yogamirror/display/framebuffer"
	"github.com/yogamirror/yogamirror/display/ili9341"
	"github.com/yogamirror/yogamirror/display/st7789"
	"github.com/yogamirror/yogamirror/inference/session"
)

var t0 = time.Date(2026, 3, 14, 7, 30, 0, 0, time.UTC)

func balance(step int, resting bool, rest, held float64) session.RoutineState {
	steps := []session.StepState{
		{Pose: "tree", Side: "left", HoldS: 30}, {Pose: "tree", Side: "right", HoldS: 30}, {Pose: "chair", HoldS: 30}}
	r := session.RoutineState{Name: "Standing balance", Selected: "Standing balance", Step: step, Steps: 3,
		Current: steps[step-1], Resting: resting, RestS: rest, HeldS: held}
	if step < 3 {
		r.Next = steps[step]
	}
	return r
}

// situations are the screens a buyer should see, in the order shown.
var situations = []struct {
	name string
	s    session.State
}{
	{"idle", session.State{Routine: session.RoutineState{Selected: "Standing balance",
		StartPose: session.StepState{Pose: "tree"}, StartHoldS: 3}}},
	{"ready", session.State{Person: true, SessionActive: true, SessionS: 65}},
	{"pose", session.State{Person: true, Pose: "Warrior2", HeldS: 8.4, TargetS: 30, SessionActive: true, SessionS: 95}},
	{"half_way", session.State{Person: true, Pose: "tree", HeldS: 15.2, TargetS: 30, SessionActive: true, SessionS: 125}},
	{"done", session.State{Person: true, Pose: "chair", HeldS: 31, TargetS: 30, Completed: true, SessionActive: true, SessionS: 200}},
	{"cue", session.State{Person: true, Pose: "dog", HeldS: 12, TargetS: 30, SessionActive: true, SessionS: 240,
		Cue: "straighten left leg"}},
	{"routine_rest", session.State{Person: true, Pose: "tree", HeldS: 33, TargetS: 30, SessionActive: true, SessionS: 300,
		Routine: balance(2, true, 7.3, 0)}},
	{"routine_step", session.State{Person: true, Pose: "tree", HeldS: 20, TargetS: 30, SessionActive: true, SessionS: 320,
		Routine: balance(2, false, 0, 19.6)}},
	{"away", session.State{SessionActive: true, SessionS: 1265}},
}

// panel is one supported display: how to open it and read back what it
// shows.
type panel struct {
	name, caption string
	open          func(t *testing.T) (pdisplay.Drawer, func() image.Image)
	cell          int // width of a picture on the contact sheet
	// big panels keep one picture at full size (the others are on the
	// sheet): 80–120 KB each is too much for the repository.
	big bool
}

var panels = []panel{
	{"ssd1306", "SSD1306 0.96\" OLED, 128x64 (x3)", mono(color.RGBA{0xDD, 0xEE, 0xFF, 0xFF}, color.RGBA{0x05, 0x07, 0x0A, 0xFF}), 384, false},
	{"st7567", "ST7567 LCD (GFX HAT), 128x64 (x3)", mono(color.RGBA{0x1A, 0x1D, 0x22, 0xFF}, color.RGBA{0xB8, 0xC4, 0xB8, 0xFF}), 384, false},
	{"st7789_240x135", "ST7789 1.14\" 240x135", tft(st7789Opts(240, 135)), 240, false},
	{"st7789_240x240", "ST7789 1.3\" 240x240", tft(st7789Opts(240, 240)), 240, false},
	{"st7789_240x320", "ST7789 2\" 240x320", tft(st7789Opts(240, 320)), 240, false},
	{"st7789_320x240", "ST7789 2\" 320x240", tft(st7789Opts(320, 240)), 320, false},
	{"ili9341_320x240", "ILI9341 2.8\" 320x240", tft(ili9341Opts(320, 240)), 320, false},
	{"framebuffer_1920x1080", "framebuffer: HDMI monitor 1920x1080 (shown at 1/4)", fb(1920, 1080, 32), 480, true},
	{"framebuffer_1080x1920", "framebuffer: portrait monitor 1080x1920 (shown at 1/6)", fb(1080, 1920, 16), 180, true},
}

// mono shows a one-bit panel's frames with lit pixels in on and the rest
// in off, three times the size.
func mono(on, off color.RGBA) func(t *testing.T) (pdisplay.Drawer, func() image.Image) {
	return func(t *testing.T) (pdisplay.Drawer, func() image.Image) {
		p := displaytest.NewPanel(128, 64, image1bit.BitModel)
		return p, func() image.Image {
			frames := p.Frames()
			f := frames[len(frames)-1]
			out := image.NewRGBA(image.Rect(0, 0, 3*128, 3*64))
			for y := 0; y < 64; y++ {
				for x := 0; x < 128; x++ {
					c := off
					if f.RGBAAt(x, y).R > 127 {
						c = on
					}
					draw.Draw(out, image.Rect(3*x, 3*y, 3*x+3, 3*y+3), image.NewUniform(c), image.Point{}, draw.Src)
				}
			}
			return out
		}
	}
}

type tftOpener func(bus *displaytest.Bus) (pdisplay.Drawer, dcs.Opts, error)

func st7789Opts(w, h int) tftOpener {
	return func(bus *displaytest.Bus) (pdisplay.Drawer, dcs.Opts, error) {
		o := st7789.Opts{Width: w, Height: h, Sleep: bus.Sleep}
		p, err := st7789.New(bus.Port, st7789.Pins{DC: bus.DC}, o)
		return p, o.DCS(), err
	}
}

func ili9341Opts(w, h int) tftOpener {
	return func(bus *displaytest.Bus) (pdisplay.Drawer, dcs.Opts, error) {
		o := ili9341.Opts{Width: w, Height: h, Sleep: bus.Sleep}
		p, err := ili9341.New(bus.Port, ili9341.Pins{DC: bus.DC}, o)
		do, _ := o.DCS()
		return p, do, err
	}
}

// tft drives the real driver over a recorded bus and shows what an
// emulated controller's glass shows, turned as mounted.
func tft(open tftOpener) func(t *testing.T) (pdisplay.Drawer, func() image.Image) {
	return func(t *testing.T) (pdisplay.Drawer, func() image.Image) {
		bus := displaytest.NewBus()
		p, o, err := open(bus)
		if err != nil {
			t.Fatal(err)
		}
		emu := dcstest.New(dcstest.ModuleOf(o))
		return p, func() image.Image {
			if err := emu.Feed(bus.Transcript()); err != nil {
				t.Fatal(err)
			}
			bus.Reset()
			return emu.Seen(o.Rotate)
		}
	}
}

// fb drives the framebuffer driver on a file and reads the file back.
func fb(w, h, depth int) func(t *testing.T) (pdisplay.Drawer, func() image.Image) {
	return func(t *testing.T) (pdisplay.Drawer, func() image.Image) {
		dir := t.TempDir()
		sys := filepath.Join(dir, "fb0")
		g := framebuffer.Geometry{Width: w, Height: h, Depth: depth, Stride: w * depth / 8}
		for name, v := range map[string]string{"virtual_size": fmt.Sprintf("%d,%d", w, h),
			"bits_per_pixel": fmt.Sprint(depth), "stride": fmt.Sprint(g.Stride)} {
			testkit.WriteFile(t, filepath.Join(sys, name), []byte(v+"\n"))
		}
		dev := filepath.Join(dir, "fb0.mem")
		testkit.WriteFile(t, dev, make([]byte, g.Stride*h))
		p, err := framebuffer.New(framebuffer.Opts{Device: dev, Sysfs: sys})
		if err != nil {
			t.Fatal(err)
		}
		return p, func() image.Image {
			mem, err := os.ReadFile(dev)
			if err != nil {
				t.Fatal(err)
			}
			return framebuffer.Decode(mem, g, false)
		}
	}
}

// TestScreenshots shows every situation on every panel through a Screen,
// as the daemon does, and compares with (or, with -update, writes) the
// PNGs beside this file: one per panel and situation, and a contact sheet
// per panel for the README.
func TestScreenshots(t *testing.T) {
	for _, pn := range panels {
		t.Run(pn.name, func(t *testing.T) {
			p, read := pn.open(t)
			sc, err := display.NewScreen(p, display.ScreenOpts{MaxFPS: 1000})
			if err != nil {
				t.Fatal(err)
			}
			defer sc.Close()
			var shots []image.Image
			for i, sit := range situations {
				s := sit.s
				s.Time = t0.Add(time.Duration(i) * time.Second)
				if err := sc.Show(s); err != nil {
					t.Fatal(err)
				}
				sc.Flush()
				img := read()
				if !pn.big || sit.name == "routine_step" {
					testkit.GoldenPNGAt(t, filepath.Join(pn.name, sit.name+".png"), img)
				}
				shots = append(shots, img)
			}
			testkit.GoldenPNGAt(t, pn.name+".png", sheet(pn, shots))
		})
	}
}

// sheet lays the shots out three to a row, scaled to the panel's cell
// width, each captioned.
func sheet(pn panel, shots []image.Image) *image.RGBA {
	const cols, gap, capH, titleH = 3, 12, 18, 26
	b := shots[0].Bounds()
	cellH := b.Dy() * pn.cell / b.Dx()
	rows := (len(shots) + cols - 1) / cols
	w := cols*pn.cell + (cols+1)*gap
	h := titleH + rows*(cellH+capH+gap) + gap
	out := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(out, out.Rect, image.NewUniform(color.RGBA{0x2A, 0x2E, 0x36, 0xFF}), image.Point{}, draw.Src)
	label(out, gap, 18, pn.caption, color.RGBA{0xFF, 0xFF, 0xFF, 0xFF})
	for i, img := range shots {
		x := gap + (i%cols)*(pn.cell+gap)
		y := titleH + (i/cols)*(cellH+capH+gap)
		r := image.Rect(x, y, x+pn.cell, y+cellH)
		xdraw.ApproxBiLinear.Scale(out, r, img, img.Bounds(), draw.Src, nil)
		if pn.cell == b.Dx() {
			draw.Draw(out, r, img, b.Min, draw.Src) // exact pixels at 1:1
		}
		label(out, x, y+cellH+13, situations[i].name, color.RGBA{0xC0, 0xC8, 0xD4, 0xFF})
	}
	return out
}

func label(dst draw.Image, x, y int, s string, c color.Color) {
	d := font.Drawer{Dst: dst, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

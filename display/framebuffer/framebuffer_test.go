package framebuffer_test

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/framebuffer"
	"github.com/yogamirror/yogamirror/inference/session"
)

// fakeDevice makes a sysfs folder and a device file (zeroed memory) for a
// w×h framebuffer at depth bits with stride bytes per row.
func fakeDevice(t *testing.T, w, h, depth, stride int) framebuffer.Opts {
	t.Helper()
	dir := t.TempDir()
	sys := filepath.Join(dir, "fb0")
	for name, v := range map[string]string{
		"virtual_size": fmt.Sprintf("%d,%d\n", w, h), "bits_per_pixel": fmt.Sprintf("%d\n", depth), "stride": fmt.Sprintf("%d\n", stride),
	} {
		testkit.WriteFile(t, filepath.Join(sys, name), []byte(v))
	}
	dev := filepath.Join(dir, "fb0.mem")
	testkit.WriteFile(t, dev, make([]byte, stride*h))
	return framebuffer.Opts{Device: dev, Sysfs: sys}
}

func screen(t *testing.T, o framebuffer.Opts) *image.RGBA {
	t.Helper()
	mem, err := os.ReadFile(o.Device)
	if err != nil {
		t.Fatal(err)
	}
	g, err := framebuffer.ReadGeometry(o.Sysfs)
	if err != nil {
		t.Fatal(err)
	}
	return framebuffer.Decode(mem, g, o.SwapRB)
}

var pose = session.State{Time: time.Date(2025, 3, 1, 7, 30, 0, 0, time.UTC), Person: true, Pose: "tree",
	HeldS: 12.4, TargetS: 30, SessionActive: true, SessionS: 95, Cue: "straighten left leg"}

// What the renderer draws is what the monitor shows, at every depth (rows
// padded beyond the picture, as drivers often do).
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		depth, stride int
		swap          bool
	}{{16, 2*320 + 64, false}, {24, 3 * 320, false}, {32, 4 * 320, false}, {32, 4 * 320, true}} {
		t.Run(fmt.Sprintf("%d-bit swap=%v", tc.depth, tc.swap), func(t *testing.T) {
			o := fakeDevice(t, 320, 240, tc.depth, tc.stride)
			o.SwapRB = tc.swap
			p, err := framebuffer.New(o)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			r, err := display.NewRenderer(display.RenderOpts{Width: 320, Height: 240})
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Draw(p.Bounds(), r.Render(pose), image.Point{}); err != nil {
				t.Fatal(err)
			}
			name := fmt.Sprintf("pose_%d.png", tc.depth)
			if tc.depth == 32 {
				name = "pose_32.png" // swapped or not, the monitor shows the same
			}
			testkit.GoldenPNG(t, name, screen(t, o))
		})
	}
}

// A second frame rewrites only the changed spans: bytes outside them are
// left alone (a sentinel written behind the driver's back survives).
func TestOnlyChangesAreWritten(t *testing.T) {
	o := fakeDevice(t, 64, 48, 32, 4*64)
	p, err := framebuffer.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	img := image.NewRGBA(p.Bounds())
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(o.Device, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{1, 2, 3, 4}, 4*64*40); err != nil { // row 40
		t.Fatal(err)
	}
	f.Close()
	img.SetRGBA(10, 5, color.RGBA{200, 100, 50, 255})
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	got := screen(t, o)
	if c := got.RGBAAt(10, 5); c != (color.RGBA{200, 100, 50, 255}) {
		t.Errorf("changed pixel shows %v", c)
	}
	if c := got.RGBAAt(0, 40); c != (color.RGBA{3, 2, 1, 255}) {
		t.Errorf("unchanged row 40 was rewritten: %v", c)
	}
}

func TestBadGeometry(t *testing.T) {
	o := fakeDevice(t, 320, 240, 8, 320)
	testkit.WriteFile(t, filepath.Join(o.Sysfs, "stride"), []byte("x\n"))
	_, err := framebuffer.New(o)
	if err == nil || !strings.Contains(err.Error(), `stride: "x" is not a number`) {
		t.Errorf("New: %v", err)
	}
	o = fakeDevice(t, 320, 240, 8, 320)
	if _, err = framebuffer.New(o); err == nil || !strings.Contains(err.Error(), "8 bits per pixel") {
		t.Errorf("New at 8 bits: %v", err)
	}
	o = fakeDevice(t, 320, 240, 32, 320)
	if _, err = framebuffer.New(o); err == nil || !strings.Contains(err.Error(), "stride 320 bytes") {
		t.Errorf("New with a short stride: %v", err)
	}
	_, err = framebuffer.New(framebuffer.Opts{Device: "/dev/fb9", Sysfs: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "virtual_size") {
		t.Errorf("New without sysfs: %v", err)
	}
}

// The bytes in memory for one red pixel: Linux's usual layouts (RGB565
// little-endian; blue, green, red, unused) and the swapped one.
func TestPixelLayout(t *testing.T) {
	for _, tc := range []struct {
		depth int
		swap  bool
		want  []byte
	}{
		{16, false, []byte{0x00, 0xF8}},
		{16, true, []byte{0x1F, 0x00}},
		{24, false, []byte{0x00, 0x00, 0xFF}},
		{32, false, []byte{0x00, 0x00, 0xFF, 0xFF}},
		{32, true, []byte{0xFF, 0x00, 0x00, 0xFF}},
	} {
		o := fakeDevice(t, 2, 1, tc.depth, 2*tc.depth/8)
		o.SwapRB = tc.swap
		p, err := framebuffer.New(o)
		if err != nil {
			t.Fatal(err)
		}
		img := image.NewRGBA(p.Bounds())
		img.SetRGBA(0, 0, color.RGBA{0xFF, 0, 0, 0xFF})
		if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
			t.Fatal(err)
		}
		p.Close()
		mem, _ := os.ReadFile(o.Device)
		if got := mem[:len(tc.want)]; string(got) != string(tc.want) {
			t.Errorf("%d-bit swap=%v: red is % x, want % x", tc.depth, tc.swap, got, tc.want)
		}
	}
}

// A partial Draw (a rectangle from elsewhere in a source) changes only
// that rectangle.
func TestPartialDraw(t *testing.T) {
	o := fakeDevice(t, 40, 30, 16, 80)
	p, err := framebuffer.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	white := image.NewUniform(color.White)
	if err := p.Draw(p.Bounds(), white, image.Point{}); err != nil {
		t.Fatal(err)
	}
	src := image.NewRGBA(image.Rect(100, 100, 120, 120))
	for i := range src.Pix {
		src.Pix[i] = 0xFF * uint8(i%4/3) // opaque black
	}
	if err := p.Draw(image.Rect(5, 5, 15, 10), src, image.Pt(105, 105)); err != nil {
		t.Fatal(err)
	}
	got := screen(t, o)
	for _, c := range []struct {
		x, y  int
		black bool
	}{{5, 5, true}, {14, 9, true}, {4, 5, false}, {15, 9, false}, {5, 10, false}, {39, 29, false}} {
		if isBlack := got.RGBAAt(c.x, c.y).R == 0; isBlack != c.black {
			t.Errorf("pixel (%d, %d) black = %v, want %v", c.x, c.y, isBlack, c.black)
		}
	}
}

// Pixels another writer (the console) put on the screen are painted over
// by the periodic full rewrite, even where the picture did not change.
func TestFullRewrite(t *testing.T) {
	o := fakeDevice(t, 16, 8, 32, 64)
	o.FullEvery = time.Nanosecond
	p, err := framebuffer.New(o)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	img := image.NewRGBA(p.Bounds())
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(o.Device, os.O_WRONLY, 0)
	f.WriteAt([]byte{9, 9, 9, 9}, 64*3)
	f.Close()
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	if c := screen(t, o).RGBAAt(0, 3); c != (color.RGBA{0, 0, 0, 255}) {
		t.Errorf("the console's pixel survived: %v", c)
	}
}

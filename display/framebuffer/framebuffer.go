// Package framebuffer draws on a Linux framebuffer (/dev/fbN): the classic
// smart mirror, a monitor behind two-way glass, on HDMI or DSI. The size,
// depth and row stride come from sysfs (/sys/class/graphics/fbN), so any
// resolution at 16 (RGB565), 24 or 32 bits per pixel works. It is a periph
// display.Drawer for display.Screen: each Draw converts the picture to the
// device's pixel format only the spans of rows that changed (from the
// first to the last changed pixel of each) and writes just those.
//
// Pixel layouts are Linux's usual ones for each depth: RGB565, and blue,
// green, red (then an unused byte at 32 bits) in memory order; SwapRB
// serves the rare device that has red first.
//
// A text console on the same framebuffer draws over the picture: on a
// mirror, free it from the console (see the README's display section).
// Whatever it still draws is painted over by a full rewrite every
// FullEvery (a minute by default).
package framebuffer

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	pdisplay "periph.io/x/conn/v3/display"
)

// DefaultDevice is the first framebuffer.
const DefaultDevice = "/dev/fb0"

// Opts configures the framebuffer.
type Opts struct {
	// Device is the framebuffer device; "" means DefaultDevice.
	Device string
	// Sysfs is the device's sysfs folder; "" means
	// /sys/class/graphics/<device name>. Tests point it at a fake.
	Sysfs string
	// SwapRB puts red where blue is in the usual layout.
	SwapRB bool
	// FullEvery is how often a Draw rewrites every pixel, changed or not;
	// 0 means DefaultFullEvery.
	FullEvery time.Duration
}

// DefaultFullEvery bounds how long another writer's pixels (the console)
// stay on the screen.
const DefaultFullEvery = time.Minute

// Geometry is what sysfs says about the device.
type Geometry struct {
	Width, Height int // visible pixels (virtual_size; panning is not used)
	Depth         int // bits per pixel: 16, 24 or 32
	Stride        int // bytes per row
}

// Panel is an open framebuffer. It is not safe for concurrent use
// (display.Screen serialises its calls).
type Panel struct {
	f      *os.File
	name   string
	g      Geometry
	swapRB bool
	// shown is the picture on the device as RGBA rows (nil before the first
	// Draw): comparing with it finds what changed before converting, so a
	// 1080p redraw converts the clock's rows, not two million pixels.
	shown     *image.RGBA
	row       []byte // one converted span
	tmp       *image.RGBA
	fullEvery time.Duration
	fullAt    time.Time // the last full rewrite
}

var _ pdisplay.Drawer = (*Panel)(nil)

// New opens the device for writing and reads its geometry.
func New(o Opts) (*Panel, error) {
	dev := o.Device
	if dev == "" {
		dev = DefaultDevice
	}
	sys := o.Sysfs
	if sys == "" {
		sys = filepath.Join("/sys/class/graphics", filepath.Base(dev))
	}
	g, err := ReadGeometry(sys)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(dev, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("framebuffer: %w", err)
	}
	if o.FullEvery <= 0 {
		o.FullEvery = DefaultFullEvery
	}
	return &Panel{f: f, name: dev, g: g, swapRB: o.SwapRB, row: make([]byte, g.Stride), fullEvery: o.FullEvery}, nil
}

// ReadGeometry reads virtual_size, bits_per_pixel and stride from a sysfs
// framebuffer folder, reporting every problem.
func ReadGeometry(dir string) (Geometry, error) {
	var g Geometry
	var errs []error
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			errs = append(errs, err)
			return ""
		}
		return strings.TrimSpace(string(b))
	}
	num := func(name, s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil && s != "" {
			errs = append(errs, fmt.Errorf("%s: %q is not a number", name, s))
		}
		return n
	}
	if w, h, ok := strings.Cut(read("virtual_size"), ","); ok {
		g.Width, g.Height = num("virtual_size", w), num("virtual_size", h)
	}
	g.Depth = num("bits_per_pixel", read("bits_per_pixel"))
	g.Stride = num("stride", read("stride"))
	if len(errs) == 0 {
		switch {
		case g.Width <= 0 || g.Height <= 0 || g.Width > 8192 || g.Height > 8192:
			errs = append(errs, fmt.Errorf("size %d×%d", g.Width, g.Height))
		case g.Depth != 16 && g.Depth != 24 && g.Depth != 32:
			errs = append(errs, fmt.Errorf("%d bits per pixel, want 16, 24 or 32", g.Depth))
		case g.Stride < g.Width*g.Depth/8:
			errs = append(errs, fmt.Errorf("stride %d bytes is less than a row of %d pixels at %d bits", g.Stride, g.Width, g.Depth))
		}
	}
	if len(errs) > 0 {
		return Geometry{}, fmt.Errorf("framebuffer: %s: %w", dir, errors.Join(errs...))
	}
	return g, nil
}

// Geometry is the device's geometry.
func (p *Panel) Geometry() Geometry { return p.g }

// String implements conn.Resource.
func (p *Panel) String() string {
	return fmt.Sprintf("framebuffer(%s %d×%d %d-bit)", p.name, p.g.Width, p.g.Height, p.g.Depth)
}

// ColorModel implements display.Drawer.
func (p *Panel) ColorModel() color.Model {
	if p.g.Depth == 16 {
		return rgb565Model
	}
	return color.RGBAModel
}

// Bounds implements display.Drawer.
func (p *Panel) Bounds() image.Rectangle { return image.Rect(0, 0, p.g.Width, p.g.Height) }

// Draw implements display.Drawer: r of src (from sp) goes to the device;
// only the changed span of each changed row is converted and written.
func (p *Panel) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	clip := r.Intersect(p.Bounds())
	if clip.Empty() {
		return nil
	}
	rgba := p.asRGBA(clip, src, sp.Add(clip.Min.Sub(r.Min)))
	full := p.shown == nil || time.Since(p.fullAt) >= p.fullEvery
	if p.shown == nil {
		p.shown = image.NewRGBA(p.Bounds())
	}
	if full && clip.Eq(p.Bounds()) {
		p.fullAt = time.Now()
	}
	for y := clip.Min.Y; y < clip.Max.Y; y++ {
		i, j := rgba.PixOffset(clip.Min.X, y), p.shown.PixOffset(clip.Min.X, y)
		cur, old := rgba.Pix[i:i+4*clip.Dx()], p.shown.Pix[j:j+4*clip.Dx()]
		lo, hi := 0, len(cur)
		if !full {
			var ok bool
			if lo, hi, ok = span(old, cur, 4); !ok {
				continue
			}
		}
		if err := p.write(y, clip.Min.X+lo/4, cur[lo:hi]); err != nil {
			p.shown = nil // unknown contents: write everything next time
			return err
		}
		copy(old[lo:hi], cur[lo:hi])
	}
	return nil
}

// asRGBA returns src's pixels for clip as RGBA rows laid out from
// clip.Min.X: the renderer's own image when it is one at the origin, else
// a converted copy.
func (p *Panel) asRGBA(clip image.Rectangle, src image.Image, sp image.Point) *image.RGBA {
	if rgba, ok := src.(*image.RGBA); ok && sp == clip.Min {
		return rgba.SubImage(clip).(*image.RGBA)
	}
	if p.tmp == nil {
		p.tmp = image.NewRGBA(p.Bounds())
	}
	draw.Draw(p.tmp, clip, src, sp, draw.Src)
	return p.tmp.SubImage(clip).(*image.RGBA)
}

// write converts RGBA pixels starting at (x, y) and writes them.
func (p *Panel) write(y, x int, rgba []byte) error {
	bpp := p.g.Depth / 8
	n := len(rgba) / 4 * bpp
	p.pack(p.row[:n], rgba)
	if _, err := p.f.WriteAt(p.row[:n], int64(y*p.g.Stride+x*bpp)); err != nil {
		return fmt.Errorf("framebuffer: write %s: %w", p.name, err)
	}
	return nil
}

// span finds the changed bytes of a row, widened to whole pixels. Blocks
// are compared with bytes.Equal (vectorised) before bytes: most of a 1080p
// row is unchanged.
func span(a, b []byte, bpp int) (lo, hi int, ok bool) {
	if bytes.Equal(a, b) {
		return 0, 0, false
	}
	const block = 64
	for lo+block <= len(b) && bytes.Equal(a[lo:lo+block], b[lo:lo+block]) {
		lo += block
	}
	for a[lo] == b[lo] {
		lo++
	}
	hi = len(b)
	for hi-block > lo && bytes.Equal(a[hi-block:hi], b[hi-block:hi]) {
		hi -= block
	}
	for a[hi-1] == b[hi-1] {
		hi--
	}
	return lo - lo%bpp, hi + (bpp-hi%bpp)%bpp, true
}

// Halt implements conn.Resource. There is nothing to switch off: the
// Screen blanks the picture before halting.
func (p *Panel) Halt() error { return nil }

// Close closes the device.
func (p *Panel) Close() error {
	if err := p.f.Close(); err != nil {
		return fmt.Errorf("framebuffer: close %s: %w", p.name, err)
	}
	return nil
}

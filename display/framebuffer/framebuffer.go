// Package framebuffer draws on a Linux framebuffer (/dev/fbN): the classic
// smart mirror, a monitor behind two-way glass, on HDMI or DSI. The size,
// depth and row stride come from sysfs (/sys/class/graphics/fbN), so any
// resolution at 16 (RGB565), 24 or 32 bits per pixel works. It is a periph
// display.Drawer for display.Screen: each Draw converts the picture to the
// device's pixel format and writes only the rows that changed, each only
// from its first to its last changed pixel.
//
// Pixel layouts are Linux's usual ones for each depth: RGB565, and blue,
// green, red (then an unused byte at 32 bits) in memory order; SwapRB
// serves the rare device that has red first.
//
// A text console on the same framebuffer draws over the picture: on a
// mirror, free it from the console (see the README's display section).
package framebuffer

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
}

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
	last   []byte // what the device holds; nil before the first Draw
	next   []byte
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
	return &Panel{f: f, name: dev, g: g, swapRB: o.SwapRB, next: make([]byte, g.Stride*g.Height)}, nil
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
// only changed spans of rows are written.
func (p *Panel) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	if p.last != nil {
		copy(p.next, p.last)
	}
	p.convert(r, src, sp)
	bpp := p.g.Depth / 8
	for y := 0; y < p.g.Height; y++ {
		row := y * p.g.Stride
		lo, hi := 0, p.g.Width*bpp
		if p.last != nil {
			var ok bool
			if lo, hi, ok = span(p.last[row:row+hi], p.next[row:row+hi], bpp); !ok {
				continue
			}
		}
		if _, err := p.f.WriteAt(p.next[row+lo:row+hi], int64(row+lo)); err != nil {
			p.last = nil // unknown contents: write everything next time
			return fmt.Errorf("framebuffer: write %s: %w", p.name, err)
		}
	}
	if p.last == nil {
		p.last = make([]byte, len(p.next))
	}
	p.last, p.next = p.next, p.last
	return nil
}

// span finds the changed bytes of a row, widened to whole pixels.
func span(a, b []byte, bpp int) (lo, hi int, ok bool) {
	lo = -1
	for i := range b {
		if a[i] != b[i] {
			lo = i
			break
		}
	}
	if lo < 0 {
		return 0, 0, false
	}
	hi = lo
	for i := len(b) - 1; i > lo; i-- {
		if a[i] != b[i] {
			hi = i
			break
		}
	}
	return lo - lo%bpp, hi - hi%bpp + bpp, true
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

// Package displaytest holds fakes for testing display code: a Panel that
// records what a Screen draws, and a Bus that records what an SPI panel
// driver sends, tagged command or data by its D/C pin.
package displaytest

import (
	"errors"
	"image"
	"image/color"
	"image/draw"
	"sync"

	pdisplay "periph.io/x/conn/v3/display"
)

// Panel is a fake periph display.Drawer that keeps a copy of every frame.
type Panel struct {
	Rect  image.Rectangle
	Model color.Model

	mu     sync.Mutex
	frames []*image.RGBA
	halts  int
	closes int
	err    error
}

var _ pdisplay.Drawer = (*Panel)(nil)

// NewPanel returns a w×h panel with colour model m (image1bit.BitModel for a
// one-bit panel, color.RGBAModel for a colour one).
func NewPanel(w, h int, m color.Model) *Panel {
	return &Panel{Rect: image.Rect(0, 0, w, h), Model: m}
}

// String implements conn.Resource.
func (p *Panel) String() string { return "displaytest.Panel" }

// Halt implements conn.Resource and counts calls.
func (p *Panel) Halt() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.halts++
	return nil
}

// Close counts calls (a Screen closes panels that are io.Closers).
func (p *Panel) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closes++
	return nil
}

// ColorModel implements display.Drawer.
func (p *Panel) ColorModel() color.Model { return p.Model }

// Bounds implements display.Drawer.
func (p *Panel) Bounds() image.Rectangle { return p.Rect }

// Draw implements display.Drawer: it copies the frame, or fails with the
// error set by FailWith.
func (p *Panel) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	if r != p.Rect {
		return errors.New("displaytest: partial draws are not recorded")
	}
	img := image.NewRGBA(p.Rect)
	draw.Draw(img, r, src, sp, draw.Src)
	p.frames = append(p.frames, img)
	return nil
}

// FailWith makes later Draws fail with err (nil to succeed again).
func (p *Panel) FailWith(err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.err = err
}

// Frames returns the frames drawn so far.
func (p *Panel) Frames() []*image.RGBA {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*image.RGBA(nil), p.frames...)
}

// Halts and Closes count calls to Halt and Close.
func (p *Panel) Halts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.halts
}

// Closes counts calls to Close.
func (p *Panel) Closes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closes
}

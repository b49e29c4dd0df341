// Package terminal shows the display on a text terminal, for development
// without a panel: Panel draws frames as a block-character picture (a periph
// display.Drawer for display.Screen), Lines prints one line per visible
// change of the State. Both write only when what they show changed.
package terminal

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/yogamirror/yogamirror/display/mono"
)

// Opts configures a Panel.
type Opts struct {
	Width, Height int // pixels; 0 means 128×64, the mono layout's size
	// ANSI redraws in place (cursor home) instead of scrolling: for a TTY,
	// not for a log.
	ANSI   bool
	Dither mono.Method
}

// ANSI control sequences.
const (
	ansiClear = "\x1b[H\x1b[2J"
	ansiHome  = "\x1b[H"
)

// Panel draws one-bit frames as text, two pixel rows per line with the
// half-block characters ▀ ▄ █, inside a box.
type Panel struct {
	w      io.Writer
	ansi   bool
	dither mono.Method
	frame  *image1bit.VerticalLSB
	last   []byte // frame.Pix as last written; nil before the first frame
	buf    bytes.Buffer
}

var _ pdisplay.Drawer = (*Panel)(nil)

// New returns a panel writing to w.
func New(w io.Writer, o Opts) (*Panel, error) {
	if w == nil {
		return nil, errors.New("terminal: nil writer")
	}
	if o.Width == 0 && o.Height == 0 {
		o.Width, o.Height = 128, 64
	}
	if o.Width < 1 || o.Height < 1 || o.Width > 512 || o.Height > 512 {
		return nil, fmt.Errorf("terminal: size %d×%d, want 1×1 to 512×512", o.Width, o.Height)
	}
	r := image.Rect(0, 0, o.Width, o.Height)
	return &Panel{w: w, ansi: o.ANSI, dither: o.Dither, frame: image1bit.NewVerticalLSB(r)}, nil
}

// String implements conn.Resource.
func (p *Panel) String() string { return "terminal" }

// Halt implements conn.Resource. There is nothing to switch off.
func (p *Panel) Halt() error { return nil }

// ColorModel implements display.Drawer: one bit per pixel.
func (p *Panel) ColorModel() color.Model { return image1bit.BitModel }

// Bounds implements display.Drawer.
func (p *Panel) Bounds() image.Rectangle { return p.frame.Rect }

// Draw implements display.Drawer: it writes the frame in one Write, unless
// it looks the same as the last one.
func (p *Panel) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	mono.ConvertRect(p.frame, r, src, sp, p.dither)
	if p.last != nil && bytes.Equal(p.last, p.frame.Pix) {
		return nil
	}
	p.buf.Reset()
	switch {
	case p.ansi && p.last == nil:
		p.buf.WriteString(ansiClear)
	case p.ansi:
		p.buf.WriteString(ansiHome)
	}
	p.picture(&p.buf)
	if _, err := p.w.Write(p.buf.Bytes()); err != nil {
		p.last = nil
		return fmt.Errorf("terminal: write: %w", err)
	}
	p.last = append(p.last[:0], p.frame.Pix...)
	return nil
}

// halfBlocks is indexed by top | bottom<<1.
var halfBlocks = [4]string{" ", "▀", "▄", "█"}

func (p *Panel) picture(b *bytes.Buffer) {
	w, h := p.frame.Rect.Dx(), p.frame.Rect.Dy()
	edge := func(left, right string) {
		b.WriteString(left)
		for range w {
			b.WriteString("─")
		}
		b.WriteString(right)
		b.WriteByte('\n')
	}
	edge("┌", "┐")
	for y := 0; y < h; y += 2 {
		b.WriteString("│")
		for x := 0; x < w; x++ {
			i := 0
			if p.frame.BitAt(x, y) {
				i |= 1
			}
			if p.frame.BitAt(x, y+1) {
				i |= 2
			}
			b.WriteString(halfBlocks[i])
		}
		b.WriteString("│\n")
	}
	edge("└", "┘")
}

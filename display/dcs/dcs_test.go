package dcs_test

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"periph.io/x/conn/v3"
	"periph.io/x/conn/v3/physic"
	"periph.io/x/conn/v3/spi"

	"github.com/yogamirror/yogamirror/display/dcs"
	"github.com/yogamirror/yogamirror/display/dcs/dcstest"
	"github.com/yogamirror/yogamirror/display/displaytest"
)

func st7789Like(bus *displaytest.Bus) dcs.Opts {
	return dcs.Opts{
		Name:     "test",
		Geometry: dcs.Geometry{RAMWidth: 240, RAMHeight: 320, Width: 135, Height: 240, ColStart: 52, RowStart: 40},
		Hz:       physic.MegaHertz, Invert: true, Sleep: bus.Sleep,
	}
}

// randomEdit paints a few random rectangles of random colours.
func randomEdit(rng *rand.Rand, img *image.RGBA) {
	b := img.Rect
	for range 1 + rng.IntN(4) {
		x0, y0 := rng.IntN(b.Dx()), rng.IntN(b.Dy())
		r := image.Rect(x0, y0, x0+1+rng.IntN(40), y0+1+rng.IntN(30)).Intersect(b)
		c := color.RGBA{uint8(rng.Uint32()), uint8(rng.Uint32()), uint8(rng.Uint32()), 255}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				img.SetRGBA(x, y, c)
			}
		}
	}
}

// flip mirrors img as FlipH / FlipV ask.
func flip(img *image.RGBA, h, v bool) *image.RGBA {
	out := image.NewRGBA(img.Rect)
	w, ht := img.Rect.Dx(), img.Rect.Dy()
	for y := 0; y < ht; y++ {
		for x := 0; x < w; x++ {
			sx, sy := x, y
			if h {
				sx = w - 1 - x
			}
			if v {
				sy = ht - 1 - y
			}
			out.SetRGBA(x, y, dcs.Unpack565(dcs.Pack565(img.RGBAAt(sx, sy).R, img.RGBAAt(sx, sy).G, img.RGBAAt(sx, sy).B)))
		}
	}
	return out
}

// What the driver sends must add up, in an emulated controller, to the
// picture drawn — in every orientation, over a run of partial updates.
// This checks rotation, mirroring, the offsets of a small glass and the
// changed-rectangle logic against the datasheets' addressing model.
func TestEmulatedGlassShowsThePicture(t *testing.T) {
	for _, rot := range []int{0, 90, 180, 270} {
		for _, fl := range [][2]bool{{false, false}, {true, false}, {false, true}} {
			t.Run(fmt.Sprintf("rotate %d flip %v", rot, fl), func(t *testing.T) {
				bus := displaytest.NewBus()
				o := st7789Like(bus)
				o.Rotate, o.FlipH, o.FlipV = rot, fl[0], fl[1]
				d, err := dcs.New(bus.Port, dcs.Pins{DC: bus.DC}, o)
				if err != nil {
					t.Fatal(err)
				}
				emu := dcstest.New(dcstest.ModuleOf(o))
				rng := rand.New(rand.NewPCG(uint64(rot), 7))
				img := image.NewRGBA(d.Bounds())
				for i := range 6 {
					randomEdit(rng, img)
					if err := d.Draw(d.Bounds(), img, image.Point{}); err != nil {
						t.Fatal(err)
					}
					if err := emu.Feed(bus.Transcript()); err != nil {
						t.Fatalf("draw %d: %v", i, err)
					}
					bus.Reset()
					want := flip(img, fl[0], fl[1])
					if got := emu.Seen(rot); !sameRGBA(got, want) {
						t.Fatalf("draw %d: the glass differs from the picture", i)
					}
				}
			})
		}
	}
}

func sameRGBA(a, b *image.RGBA) bool {
	return a.Rect.Size() == b.Rect.Size() && slices.Equal(a.Pix, b.Pix)
}

func TestChanged(t *testing.T) {
	frame := func(paint func(f *dcs.Frame)) *dcs.Frame {
		f := dcs.NewFrame(100, 60)
		paint(f)
		return f
	}
	set := func(f *dcs.Frame, x, y int) { f.Pix[2*(y*f.W+x)] = 0xFF }
	blank := frame(func(*dcs.Frame) {})
	tests := []struct {
		name  string
		next  *dcs.Frame
		rects []image.Rectangle
	}{
		{"nothing", blank, nil},
		{"one pixel", frame(func(f *dcs.Frame) { set(f, 7, 9) }), []image.Rectangle{image.Rect(7, 9, 8, 10)}},
		{"a glyph is one window", frame(func(f *dcs.Frame) {
			for y := 10; y < 30; y++ {
				set(f, 20+y%5, y) // ragged edges, rows of different extents
				set(f, 40-y%3, y)
			}
		}), []image.Rectangle{image.Rect(20, 10, 41, 30)}},
		{"far apart rows are two windows", frame(func(f *dcs.Frame) {
			for x := 0; x < 100; x++ {
				set(f, x, 2)
				set(f, x, 50)
			}
		}), []image.Rectangle{image.Rect(0, 2, 100, 3), image.Rect(0, 50, 100, 51)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := dcs.Changed(blank, tc.next); !slices.Equal(got, tc.rects) {
				t.Errorf("Changed = %v, want %v", got, tc.rects)
			}
		})
	}
}

// limitPort is an SPI port whose connection takes at most n bytes per
// transfer, as spidev does (its bufsiz), and says so through conn.Limits.
type limitPort struct {
	*displaytest.Bus
	n       int
	biggest int
}

func (p *limitPort) String() string { return "limited" }
func (p *limitPort) Close() error   { return nil }
func (p *limitPort) LimitSpeed(physic.Frequency) error {
	return nil
}
func (p *limitPort) Connect(f physic.Frequency, m spi.Mode, bits int) (spi.Conn, error) {
	c, err := p.Bus.Port.Connect(f, m, bits)
	return &limitConn{Conn: c, p: p}, err
}

type limitConn struct {
	spi.Conn
	p *limitPort
}

func (c *limitConn) MaxTxSize() int { return c.p.n }
func (c *limitConn) Tx(w, r []byte) error {
	if len(w) > c.p.n {
		return fmt.Errorf("transfer of %d bytes, limit %d", len(w), c.p.n)
	}
	c.p.biggest = max(c.p.biggest, len(w))
	return c.Conn.Tx(w, r)
}

var _ conn.Limits = (*limitConn)(nil)

func TestTransfersRespectThePortLimit(t *testing.T) {
	bus := displaytest.NewBus()
	port := &limitPort{Bus: bus, n: 1000}
	o := st7789Like(bus)
	d, err := dcs.New(port, dcs.Pins{DC: bus.DC}, o)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(d.Bounds())
	randomEdit(rand.New(rand.NewPCG(1, 2)), img)
	if err := d.Draw(d.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	if port.biggest != 1000 {
		t.Errorf("largest transfer %d bytes; want the frame split at the limit, 1000", port.biggest)
	}
	emu := dcstest.New(dcstest.ModuleOf(o))
	if err := emu.Feed(bus.Transcript()); err != nil {
		t.Fatal(err)
	}
	if !sameRGBA(emu.Seen(0), flip(img, false, false)) {
		t.Error("the split frame does not add up to the picture")
	}
}

func TestNewErrors(t *testing.T) {
	bus := displaytest.NewBus()
	o := st7789Like(bus)
	o.Rotate, o.Backlight, o.Hz = 45, 101, 0
	o.Geometry.ColStart = 200
	_, err := dcs.New(bus.Port, dcs.Pins{}, o)
	for _, want := range []string{"D/C pin is required", "rotate 45", "backlight 101", "SPI clock", "does not fit"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New: %v; want it to mention %q", err, want)
		}
	}
}

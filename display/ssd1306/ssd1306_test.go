package ssd1306

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio"

	"github.com/yogamirror/yogamirror/display/displaytest"
)

// initCmds is the power-on flow of the SSD1306 datasheet (rev 1.1, §8 and the
// application note's "software initialization" chart) for a 128×64 module,
// with the bytes that depend on Opts filled in by the caller.
func initCmds(segRemap, comScan, comPins, mux, lastPage byte) []byte {
	return []byte{
		0xAE,       // display off
		0xD3, 0x00, // display offset 0
		0x40,          // start line 0
		segRemap,      // A1: column 127 → SEG0 (modules are wired mirrored); A0 plain
		comScan,       // C8: scan COM[N-1]→COM0; C0: COM0→COM[N-1]
		0xDA, comPins, // COM pins: 0x12 alternative (64 rows), 0x02 sequential (32 rows)
		0x81, 0xFF, // contrast
		0xA4,       // show RAM
		0xA6,       // not inverted
		0xD5, 0xF0, // clock divide 1, highest oscillator frequency
		0x8D, 0x14, // charge pump on
		0xD9, 0xF1, // pre-charge
		0xDB, 0x40, // VCOMH deselect level
		0x2E,      // scrolling off
		0xA8, mux, // multiplex ratio = rows − 1
		0x20, 0x00, // horizontal addressing
		0x21, 0x00, 0x7F, // columns 0..127
		0x22, 0x00, lastPage, // pages 0..last
		0xAF, // display on
	}
}

var cmd, data = displaytest.Cmd, displaytest.Data

func checkTranscript(t *testing.T, bus *displaytest.Bus, want []displaytest.Tx) {
	t.Helper()
	bus.Expect(t, want)
}

func TestInitSequence(t *testing.T) {
	tests := []struct {
		name string
		opts Opts
		want []displaytest.Tx
	}{
		{"defaults", Opts{}, []displaytest.Tx{cmd(initCmds(0xA1, 0xC8, 0x12, 0x3F, 7)...)}},
		{"rotated 180", Opts{Rotate: 180}, []displaytest.Tx{cmd(initCmds(0xA0, 0xC0, 0x12, 0x3F, 7)...)}},
		{"rotated and flipped back horizontally", Opts{Rotate: 180, FlipH: true}, []displaytest.Tx{cmd(initCmds(0xA1, 0xC0, 0x12, 0x3F, 7)...)}},
		{"flip vertical", Opts{FlipV: true}, []displaytest.Tx{cmd(initCmds(0xA1, 0xC0, 0x12, 0x3F, 7)...)}},
		{"128x32 is sequential", Opts{Width: 128, Height: 32}, []displaytest.Tx{cmd(initCmds(0xA1, 0xC8, 0x02, 0x1F, 3)...)}},
		{"contrast follows init", Opts{Contrast: 0x7F}, []displaytest.Tx{cmd(append(initCmds(0xA1, 0xC8, 0x12, 0x3F, 7), 0x81, 0x7F)...)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bus := displaytest.NewBus()
			if _, err := New(bus.Port, bus.DC, nil, tc.opts); err != nil {
				t.Fatalf("New: %v", err)
			}
			checkTranscript(t, bus, tc.want)
		})
	}
}

func TestResetPulseBeforeInit(t *testing.T) {
	bus := displaytest.NewBus()
	if _, err := New(bus.Port, bus.DC, bus.RST, Opts{}); err != nil {
		t.Fatalf("New: %v", err)
	}
	want := []displaytest.Level{{L: gpio.High}, {L: gpio.Low}, {L: gpio.High}}
	got := bus.RST.Levels()
	if len(got) != len(want) {
		t.Fatalf("RST levels %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("RST levels %v, want %v (all before the first SPI transfer)", got, want)
		}
	}
}

// checkerboard lights (x+y) even. In SSD1306 RAM each byte is 8 rows of one
// column, LSB on top: even columns light rows 0,2,4,6 (0x55), odd ones 1,3,5,7
// (0xAA).
func checkerboard(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if (x+y)%2 == 0 {
				img.SetGray(x, y, color.Gray{255})
			}
		}
	}
	return img
}

func fullFrame(pages int, page []byte) []displaytest.Tx {
	var out []displaytest.Tx
	for p := 0; p < pages; p++ {
		// Page address B0+p, column low nibble 0, high nibble 0.
		out = append(out, cmd(0xB0|byte(p), 0x00, 0x10), data(page...))
	}
	return out
}

func TestDrawFrames(t *testing.T) {
	bus := displaytest.NewBus()
	p, err := New(bus.Port, bus.DC, nil, Opts{})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	board := checkerboard(128, 64)
	evenOdd := bytes.Repeat([]byte{0x55, 0xAA}, 64)

	bus.Reset()
	if err := p.Draw(p.Bounds(), board, image.Point{}); err != nil {
		t.Fatal(err)
	}
	checkTranscript(t, bus, fullFrame(8, evenOdd))

	t.Run("same frame sends nothing", func(t *testing.T) {
		bus.Reset()
		if err := p.Draw(p.Bounds(), board, image.Point{}); err != nil {
			t.Fatal(err)
		}
		checkTranscript(t, bus, nil)
	})
	t.Run("one pixel sends one byte", func(t *testing.T) {
		bus.Reset()
		board.SetGray(5, 10, color.Gray{255}) // page 1, column 5, bit 2: 0xAA|0x04
		if err := p.Draw(p.Bounds(), board, image.Point{}); err != nil {
			t.Fatal(err)
		}
		checkTranscript(t, bus, []displaytest.Tx{cmd(0xB1, 0x05, 0x10), data(0xAE)})
	})
	t.Run("halt then draw wakes the display", func(t *testing.T) {
		bus.Reset()
		if err := p.Halt(); err != nil {
			t.Fatal(err)
		}
		board.SetGray(127, 63, color.Gray{255}) // page 7, column 127, bit 7: 0xAA|0x80 = 0xAA
		board.SetGray(126, 63, color.Gray{255}) // column 126 bit 7: 0x55|0x80 = 0xD5
		if err := p.Draw(p.Bounds(), board, image.Point{}); err != nil {
			t.Fatal(err)
		}
		// Display on (AF) rides in front of the page address; columns 126..127
		// start at 126 = 0x7E: low nibble E, high nibble 7.
		checkTranscript(t, bus, []displaytest.Tx{cmd(0xAE, 0xAF, 0xB7, 0x0E, 0x17), data(0xD5)})
	})
}

func TestOnePixelFrame(t *testing.T) {
	bus := displaytest.NewBus()
	p, err := New(bus.Port, bus.DC, nil, Opts{})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 128, 64))
	img.Set(5, 10, color.White) // page 10/8 = 1, bit 10%8 = 2
	bus.Reset()
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	var want []displaytest.Tx
	for page := byte(0); page < 8; page++ {
		row := make([]byte, 128)
		if page == 1 {
			row[5] = 0x04
		}
		want = append(want, cmd(0xB0|page, 0x00, 0x10), data(row...))
	}
	checkTranscript(t, bus, want)
}

func TestNewErrors(t *testing.T) {
	bus := displaytest.NewBus()
	if _, err := New(bus.Port, nil, nil, Opts{}); err == nil || !strings.Contains(err.Error(), "D/C pin is required") {
		t.Errorf("New without D/C: %v", err)
	}
	_, err := New(displaytest.NewBus().Port, bus.DC, nil, Opts{Width: 100, Height: 64, Rotate: 90, Contrast: 300})
	for _, want := range []string{"size 100×64", "rotate 90", "contrast 300"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New with bad opts: %v; want it to mention %q", err, want)
		}
	}
}

package st7567

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio"

	"github.com/yogamirror/yogamirror/display/displaytest"
)

// initCmds is the ST7567 datasheet's initialisation (command table §9) in
// the order periph sends it.
func initCmds(bias, seg, com, ratio, contrast byte) []byte {
	return []byte{
		bias,     // A3: bias 1/7, A2: 1/9
		seg,      // A0: column 0 → SEG0; A1: reversed
		com,      // C8: COM reversed (GFX HAT); C0: normal
		0xA6,     // not inverted
		0x40,     // start line 0
		0x2F,     // power control: booster, regulator, follower on
		ratio,    // 0x20 | regulation ratio
		0xAF,     // display on
		0x81,     // electronic volume (contrast) follows
		contrast, // 0..63
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
		want []byte
	}{
		{"defaults", Opts{}, initCmds(0xA3, 0xA0, 0xC8, 0x23, 40)},
		{"rotated 180", Opts{Rotate: 180}, initCmds(0xA3, 0xA1, 0xC0, 0x23, 40)},
		{"flip horizontal", Opts{FlipH: true}, initCmds(0xA3, 0xA1, 0xC8, 0x23, 40)},
		{"flip vertical", Opts{FlipV: true}, initCmds(0xA3, 0xA0, 0xC0, 0x23, 40)},
		{"contrast, ratio and bias", Opts{Contrast: 58, RegulationRatio: 5, Bias9: true}, initCmds(0xA2, 0xA0, 0xC8, 0x25, 58)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bus := displaytest.NewBus()
			if _, err := New(bus.Port, bus.DC, nil, nil, tc.opts); err != nil {
				t.Fatalf("New: %v", err)
			}
			checkTranscript(t, bus, []displaytest.Tx{cmd(tc.want...)})
		})
	}
}

func TestResetPulseBeforeInit(t *testing.T) {
	bus := displaytest.NewBus()
	if _, err := New(bus.Port, bus.DC, bus.RST, nil, Opts{}); err != nil {
		t.Fatalf("New: %v", err)
	}
	got := bus.RST.Levels()
	want := []displaytest.Level{{L: gpio.High}, {L: gpio.Low}, {L: gpio.High}}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("RST levels %v, want %v before any SPI transfer", got, want)
	}
}

// frame is the bytes of one Update: read-modify-write mode around eight
// pages, each addressed (B0+page, column 0 as 00 10) then 128 data bytes.
func frame(pages [8][]byte) []displaytest.Tx {
	out := []displaytest.Tx{cmd(0xE0)}
	for p := range pages {
		out = append(out, cmd(0xB0|byte(p), 0x00, 0x10), data(pages[p]...))
	}
	out = append(out, cmd(0xEE))
	// Consecutive commands travel as one run in the transcript.
	merged := []displaytest.Tx{}
	for _, tx := range out {
		if n := len(merged); n > 0 && merged[n-1].Data == tx.Data {
			merged[n-1].Bytes = append(merged[n-1].Bytes, tx.Bytes...)
			continue
		}
		merged = append(merged, tx)
	}
	return merged
}

func TestDrawOnePixel(t *testing.T) {
	bus := displaytest.NewBus()
	p, err := New(bus.Port, bus.DC, nil, nil, Opts{})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(image.Rect(0, 0, 128, 64))
	img.Set(5, 10, color.White)   // page 1, column 5, bit 2
	img.Set(127, 63, color.White) // page 7, column 127, bit 7
	var pages [8][]byte
	for i := range pages {
		pages[i] = make([]byte, 128)
	}
	pages[1][5] = 0x04
	pages[7][127] = 0x80

	bus.Reset()
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	checkTranscript(t, bus, frame(pages))

	t.Run("unchanged frame sends nothing", func(t *testing.T) {
		bus.Reset()
		if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
			t.Fatal(err)
		}
		checkTranscript(t, bus, nil)
	})
	t.Run("halt sleeps, draw wakes", func(t *testing.T) {
		bus.Reset()
		if err := p.Halt(); err != nil {
			t.Fatal(err)
		}
		checkTranscript(t, bus, []displaytest.Tx{cmd(0xAE, 0xA5)}) // display off + all on = sleep
		bus.Reset()
		if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
			t.Fatal(err)
		}
		want := frame(pages)
		want[0].Bytes = append([]byte{0xA4, 0xAF}, want[0].Bytes...) // RAM display, display on
		checkTranscript(t, bus, want)
	})
}

func TestDrawCheckerboard(t *testing.T) {
	bus := displaytest.NewBus()
	p, err := New(bus.Port, bus.DC, nil, nil, Opts{})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 128, 64))
	for y := 0; y < 64; y++ {
		for x := 0; x < 128; x++ {
			if (x+y)%2 == 0 {
				img.SetGray(x, y, color.Gray{255})
			}
		}
	}
	var pages [8][]byte
	for i := range pages {
		pages[i] = bytes.Repeat([]byte{0x55, 0xAA}, 64) // even columns rows 0,2,4,6
	}
	bus.Reset()
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	checkTranscript(t, bus, frame(pages))
}

func TestNewErrors(t *testing.T) {
	bus := displaytest.NewBus()
	if _, err := New(bus.Port, nil, nil, nil, Opts{}); err == nil || !strings.Contains(err.Error(), "D/C pin is required") {
		t.Errorf("New without D/C: %v", err)
	}
	_, err := New(bus.Port, bus.DC, nil, nil, Opts{Rotate: 270, Contrast: 64, RegulationRatio: 8})
	for _, want := range []string{"rotate 270", "contrast 64", "regulation ratio 8"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New with bad opts: %v; want it to mention %q", err, want)
		}
	}
}

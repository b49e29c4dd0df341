package displaytest

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/spi/spitest"
)

// Bus is a fake 4-wire SPI link to a panel controller. periph's spitest.Record
// keeps the bytes written but not the D/C line, so the D/C pin is a wrapped
// gpiotest.Pin that notes, at each level change, how many transfers the port
// had recorded: together they tell command bytes (D/C low) from data (high).
type Bus struct {
	Port *spitest.Record
	DC   *Pin
	RST  *Pin
	BL   *Pin // backlight: Levels logs on/off, the embedded Pin's D the PWM duty

	mu    sync.Mutex
	waits []Wait
}

// Wait is a pause a driver asked for (see Bus.Sleep).
type Wait struct {
	D time.Duration
	// AfterTx is how many SPI transfers the port had recorded.
	AfterTx int
}

// NewBus returns a bus with a recording port, a D/C pin and a reset pin.
func NewBus() *Bus {
	b := &Bus{Port: &spitest.Record{}}
	b.DC = &Pin{Pin: &gpiotest.Pin{N: "DC", Num: 25}, port: b.Port}
	b.RST = &Pin{Pin: &gpiotest.Pin{N: "RST", Num: 24}, port: b.Port}
	b.BL = &Pin{Pin: &gpiotest.Pin{N: "BL", Num: 18}, port: b.Port}
	return b
}

// Sleep records a wait instead of waiting: drivers that take a sleep
// function get this one, and Script shows where the waits fell.
func (b *Bus) Sleep(d time.Duration) {
	b.Port.Lock()
	n := len(b.Port.Ops)
	b.Port.Unlock()
	b.mu.Lock()
	b.waits = append(b.waits, Wait{D: d, AfterTx: n})
	b.mu.Unlock()
}

// Pin is a gpiotest.Pin that logs its output levels, each with the number of
// SPI transfers recorded before it.
type Pin struct {
	*gpiotest.Pin
	port *spitest.Record

	mu     sync.Mutex
	levels []Level
}

// Level is one output change of a Pin.
type Level struct {
	L gpio.Level
	// AfterTx is how many SPI transfers the port had recorded.
	AfterTx int
}

// Out implements gpio.PinOut.
func (p *Pin) Out(l gpio.Level) error {
	p.port.Lock()
	n := len(p.port.Ops)
	p.port.Unlock()
	p.mu.Lock()
	p.levels = append(p.levels, Level{L: l, AfterTx: n})
	p.mu.Unlock()
	return p.Pin.Out(l)
}

// Levels returns the output changes so far.
func (p *Pin) Levels() []Level {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Level(nil), p.levels...)
}

// Tx is a run of bytes sent with the D/C line at one level.
type Tx struct {
	Data  bool // D/C high: display data; low: commands
	Bytes []byte
}

func (t Tx) String() string {
	kind := "cmd"
	if t.Data {
		kind = "data"
	}
	return fmt.Sprintf("%s % x", kind, t.Bytes)
}

// Transcript returns what was sent, consecutive transfers at the same D/C
// level merged (so how a driver splits its writes does not matter).
func (b *Bus) Transcript() []Tx {
	b.Port.Lock()
	ops := append(b.Port.Ops[:0:0], b.Port.Ops...)
	b.Port.Unlock()
	levels := b.DC.Levels()
	var out []Tx
	for i, op := range ops {
		data := false
		for _, l := range levels {
			if l.AfterTx <= i {
				data = l.L == gpio.High
			}
		}
		if n := len(out); n > 0 && out[n-1].Data == data {
			out[n-1].Bytes = append(out[n-1].Bytes, op.W...)
			continue
		}
		out = append(out, Tx{Data: data, Bytes: append([]byte(nil), op.W...)})
	}
	return out
}

// Reset forgets the transfers and D/C changes recorded so far, keeping the
// port connected, so a test can look at one operation's bytes.
func (b *Bus) Reset() {
	b.Port.Lock()
	b.Port.Ops = nil
	b.Port.Unlock()
	b.mu.Lock()
	b.waits = nil
	b.mu.Unlock()
	for _, p := range []*Pin{b.DC, b.RST, b.BL} {
		p.mu.Lock()
		last := p.levels
		p.levels = nil
		if len(last) > 0 { // the line keeps its level
			p.levels = append(p.levels, Level{L: last[len(last)-1].L})
		}
		p.mu.Unlock()
	}
}

// String renders a transcript one transfer per line, for test failures.
func String(txs []Tx) string {
	var b strings.Builder
	for _, t := range txs {
		b.WriteString(t.String())
		b.WriteByte('\n')
	}
	return b.String()
}

// Cmd and Data build expected transcript runs.
func Cmd(b ...byte) Tx { return Tx{Bytes: b} }

// Data is a run of display data (D/C high).
func Data(b ...byte) Tx { return Tx{Data: true, Bytes: b} }

// Expect fails tb unless the bus sent exactly want since its last Reset.
func (b *Bus) Expect(tb testing.TB, want []Tx) {
	tb.Helper()
	got := b.Transcript()
	if len(got) != len(want) {
		tb.Fatalf("sent %d runs, want %d:\ngot:\n%swant:\n%s", len(got), len(want), String(got), String(want))
	}
	for i := range got {
		if got[i].Data != want[i].Data || !bytes.Equal(got[i].Bytes, want[i].Bytes) {
			tb.Fatalf("run %d:\ngot  %v\nwant %v", i, got[i], want[i])
		}
	}
}

// Script is the transcript with the waits: one line per run ("cmd 2a",
// "data 00 00 00 ef", "wait 120ms"); runs at one D/C level merge unless a
// wait falls between them.
func (b *Bus) Script() []string {
	b.Port.Lock()
	ops := append(b.Port.Ops[:0:0], b.Port.Ops...)
	b.Port.Unlock()
	b.mu.Lock()
	waits := append([]Wait(nil), b.waits...)
	b.mu.Unlock()
	levels := b.DC.Levels()
	var out []string
	var cur *Tx
	flush := func() {
		if cur != nil {
			out = append(out, cur.String())
			cur = nil
		}
	}
	wait := func(i int) {
		for len(waits) > 0 && waits[0].AfterTx <= i {
			flush()
			out = append(out, "wait "+waits[0].D.String())
			waits = waits[1:]
		}
	}
	for i, op := range ops {
		wait(i)
		data := false
		for _, l := range levels {
			if l.AfterTx <= i {
				data = l.L == gpio.High
			}
		}
		if cur != nil && cur.Data != data {
			flush()
		}
		if cur == nil {
			cur = &Tx{Data: data}
		}
		cur.Bytes = append(cur.Bytes, op.W...)
	}
	wait(len(ops))
	flush()
	return out
}

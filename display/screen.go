package display

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"io"
	"sync"
	"time"

	pdisplay "periph.io/x/conn/v3/display"

	"github.com/yogamirror/yogamirror/inference/session"
)

// DefaultMaxFPS bounds redraws when ScreenOpts.MaxFPS is 0. A hold timer
// changes once a second and the 1 % progress steps a few times a second; 5
// redraws/s keeps both live without spending the frame budget on the panel.
const DefaultMaxFPS = 5

// ErrClosed is returned by a closed Screen.
var ErrClosed = errors.New("display: screen closed")

// ScreenOpts configures a Screen.
type ScreenOpts struct {
	// MaxFPS caps redraws per second of State time; 0 means DefaultMaxFPS.
	MaxFPS float64
	// Mono forces the one-bit layout (true) or the colour layout (false);
	// nil picks by the panel's colour model (one-bit models get mono).
	Mono *bool
}

// ScreenStats counts what Show did, for the daemon's periodic stats line.
type ScreenStats struct {
	Shows     uint64 // calls to Show
	Draws     uint64 // frames sent to the panel
	Unchanged uint64 // skipped: nothing visible changed
	Throttled uint64 // skipped: changed, but within 1/MaxFPS of the last draw
	Errors    uint64 // panel Draw failures
}

// Screen shows States on a panel. Show only decides whether the visible
// content changed and the last draw is at least 1/MaxFPS old (measured on
// State.Time, so replays and tests are deterministic), then hands the
// Content to the Screen's own goroutine, which renders and draws it: a slow
// bus (a full ST7567 frame is ~8 ms at periph's fixed 1 MHz) never stalls
// the frame loop. At most one Content waits; a newer one replaces it. A
// throttled change is drawn by the first Show after the interval (the
// pipeline calls Show every frame); a failed draw is reported by a later
// Show and retried.
//
// Only the goroutine touches the panel. Show satisfies the pipeline's
// StateSink; methods are safe for concurrent use.
type Screen struct {
	panel  pdisplay.Drawer
	r      *Renderer
	minGap time.Duration
	wake   chan struct{}  // buffered 1: a Content is waiting
	ops    chan screenOp  // Clear, Flush and Close, in order with the draws
	done   chan struct{}  // closed when the goroutine ends
	blank  *image.Uniform // all pixels off, on every panel

	mu      sync.Mutex
	last    Content   // the content drawn, or handed over
	lastAt  time.Time // State time of last
	drawn   bool      // last is (or will be) on the panel
	pending Content
	has     bool  // pending waits for the goroutine
	err     error // the last failed draw, for the next Show
	closed  bool
	stats   ScreenStats
}

// screenOp is work the goroutine does after drawing what waits (flush) or
// instead of it (clear, close); reply gets its error.
type screenOp struct {
	kind  int
	reply chan error
}

const (
	opFlush = iota
	opClear
	opClose
)

// NewScreen renders for p's bounds; the panel is not drawn until the first
// Show.
func NewScreen(p pdisplay.Drawer, o ScreenOpts) (*Screen, error) {
	if p == nil {
		return nil, errors.New("display: nil panel")
	}
	if o.MaxFPS < 0 || o.MaxFPS > 1000 {
		return nil, fmt.Errorf("display: max fps %g, want 0 (default %d) to 1000", o.MaxFPS, DefaultMaxFPS)
	}
	fps := o.MaxFPS
	if fps == 0 {
		fps = DefaultMaxFPS
	}
	mono := IsMono(p.ColorModel())
	if o.Mono != nil {
		mono = *o.Mono
	}
	b := p.Bounds()
	r, err := NewRenderer(RenderOpts{Width: b.Dx(), Height: b.Dy(), Mono: mono})
	if err != nil {
		return nil, fmt.Errorf("display: panel %s: %w", p, err)
	}
	sc := &Screen{
		panel: p, r: r, minGap: time.Duration(float64(time.Second) / fps),
		wake: make(chan struct{}, 1), ops: make(chan screenOp), done: make(chan struct{}),
		blank: image.NewUniform(color.Black),
	}
	go sc.run()
	return sc, nil
}

// IsMono reports whether a colour model keeps only two levels, as one-bit
// panels' models (periph's image1bit.BitModel) do.
func IsMono(m color.Model) bool {
	if m == nil {
		return false
	}
	r, g, b, _ := m.Convert(color.RGBA{0x60, 0x60, 0x60, 0xff}).RGBA()
	return (r == 0 || r == 0xffff) && r == g && g == b
}

// Renderer is the Screen's renderer (for its Bounds and Content); its Draw
// belongs to the Screen's goroutine.
func (sc *Screen) Renderer() *Renderer { return sc.r }

// Show hands s over for drawing if it looks different from what the panel
// shows and the last draw is at least 1/MaxFPS old. An unchanged State
// costs a Content comparison and no allocation.
func (sc *Screen) Show(s session.State) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return ErrClosed
	}
	sc.stats.Shows++
	err := sc.err
	sc.err = nil
	c := sc.r.Content(s)
	if sc.drawn && c == sc.last {
		sc.stats.Unchanged++
		return err
	}
	// A clock stepping backwards (a replay restarting) never blocks drawing.
	if sc.drawn && !s.Time.Before(sc.lastAt) && s.Time.Sub(sc.lastAt) < sc.minGap {
		sc.stats.Throttled++
		return err
	}
	sc.last, sc.lastAt, sc.drawn = c, s.Time, true
	sc.pending, sc.has = c, true
	select {
	case sc.wake <- struct{}{}:
	default: // already signalled
	}
	return err
}

// Stats returns the counters so far.
func (sc *Screen) Stats() ScreenStats {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.stats
}

// Flush waits until every Content handed over is on the panel.
func (sc *Screen) Flush() { sc.do(opFlush) }

// Clear drops what waits and blanks the panel (all pixels off); the next
// Show redraws in full.
func (sc *Screen) Clear() error { return sc.do(opClear) }

// Close drops what waits, blanks and halts the panel, then closes it if it
// is an io.Closer (panels opened by name release their SPI port or HTTP
// listener). Later calls return nil; later Shows return ErrClosed.
func (sc *Screen) Close() error {
	sc.mu.Lock()
	if sc.closed {
		sc.mu.Unlock()
		return nil
	}
	sc.closed = true
	sc.mu.Unlock()
	err := sc.do(opClose)
	<-sc.done
	return err
}

func (sc *Screen) do(kind int) error {
	op := screenOp{kind: kind, reply: make(chan error, 1)}
	select {
	case sc.ops <- op:
		return <-op.reply
	case <-sc.done:
		return ErrClosed
	}
}

// run is the Screen's goroutine: the only code that touches the panel.
func (sc *Screen) run() {
	defer close(sc.done)
	for {
		select {
		case <-sc.wake:
			sc.drawPending()
		case op := <-sc.ops:
			var err error
			switch op.kind {
			case opFlush:
				sc.drawPending()
			case opClear:
				sc.mu.Lock()
				sc.has, sc.drawn = false, false
				sc.mu.Unlock()
				err = sc.blankPanel()
			case opClose:
				sc.mu.Lock()
				sc.has = false
				sc.mu.Unlock()
				err = sc.shutdown()
			}
			op.reply <- err
			if op.kind == opClose {
				return
			}
		}
	}
}

func (sc *Screen) drawPending() {
	sc.mu.Lock()
	c, ok := sc.pending, sc.has
	sc.has = false
	sc.mu.Unlock()
	if !ok {
		return
	}
	err := sc.panel.Draw(sc.panel.Bounds(), sc.r.Draw(c), image.Point{})
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if err != nil {
		sc.err = fmt.Errorf("display: draw on %s: %w", sc.panel, err)
		sc.stats.Errors++
		if sc.last == c {
			sc.drawn = false // redraw on the next Show
		}
		return
	}
	sc.stats.Draws++
}

func (sc *Screen) blankPanel() error {
	if err := sc.panel.Draw(sc.panel.Bounds(), sc.blank, image.Point{}); err != nil {
		return fmt.Errorf("display: clear %s: %w", sc.panel, err)
	}
	return nil
}

func (sc *Screen) shutdown() error {
	err := sc.blankPanel()
	if herr := sc.panel.Halt(); herr != nil {
		err = errors.Join(err, fmt.Errorf("display: halt %s: %w", sc.panel, herr))
	}
	if cl, ok := sc.panel.(io.Closer); ok {
		if cerr := cl.Close(); cerr != nil {
			err = errors.Join(err, fmt.Errorf("display: close %s: %w", sc.panel, cerr))
		}
	}
	return err
}

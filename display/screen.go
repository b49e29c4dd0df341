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
	// Async renders and draws on a goroutine of the Screen's own: Show only
	// decides whether to draw and hands the Content over (a newer one
	// replaces one not yet drawn), so a slow bus never stalls the frame loop
	// (a full ST7567 frame is ~8 ms at periph's fixed 1 MHz). A failed draw is
	// reported by a later Show.
	Async bool
}

// ScreenStats counts what Show did, for the daemon's periodic stats line.
type ScreenStats struct {
	Shows     uint64 // calls to Show
	Draws     uint64 // frames sent to the panel
	Unchanged uint64 // skipped: nothing visible changed
	Throttled uint64 // skipped: changed, but within 1/MaxFPS of the last draw
	Errors    uint64 // panel Draw failures
}

// Screen shows States on a panel: it renders only when the visible content
// changed and draws at most MaxFPS times per second, measured on State.Time
// (so replays and tests are deterministic). A throttled change is drawn by the
// first Show after the interval: the pipeline calls Show every frame.
//
// Show satisfies the pipeline's StateSink. Methods are safe for concurrent use.
type Screen struct {
	mu     sync.Mutex
	panel  pdisplay.Drawer
	r      *Renderer
	minGap time.Duration
	last   Content   // the content drawn, or handed to the worker
	lastAt time.Time // State time of last
	drawn  bool      // last is (or will be) on the panel
	closed bool
	stats  ScreenStats
	blank  *image.Uniform // all pixels off, on every panel

	drawMu sync.Mutex // serialises panel access; never held while taking mu
	async  *worker    // nil unless ScreenOpts.Async
}

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
		panel:  p,
		r:      r,
		minGap: time.Duration(float64(time.Second) / fps),
		blank:  image.NewUniform(color.Black),
	}
	if o.Async {
		sc.async = startWorker(sc)
	}
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

// Renderer is the Screen's renderer (for its Bounds and Content). With
// Async its Draw belongs to the Screen's goroutine.
func (sc *Screen) Renderer() *Renderer { return sc.r }

// Show draws s if it looks different from what the panel shows and the last
// draw is at least 1/MaxFPS old. An unchanged State costs a Content
// comparison and no allocation. A failed draw is retried by the next Show.
func (sc *Screen) Show(s session.State) error {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.closed {
		return ErrClosed
	}
	sc.stats.Shows++
	var err error
	if sc.async != nil {
		err, sc.async.err = sc.async.err, nil
	}
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
	if sc.async != nil {
		sc.async.hand(c)
		return err
	}
	if err := sc.draw(c); err != nil {
		sc.stats.Errors++
		sc.drawn = false
		return err
	}
	sc.stats.Draws++
	return nil
}

// draw renders c and puts it on the panel.
func (sc *Screen) draw(c Content) error {
	sc.drawMu.Lock()
	defer sc.drawMu.Unlock()
	if err := sc.panel.Draw(sc.panel.Bounds(), sc.r.Draw(c), image.Point{}); err != nil {
		return fmt.Errorf("display: draw on %s: %w", sc.panel, err)
	}
	return nil
}

// Stats returns the counters so far.
func (sc *Screen) Stats() ScreenStats {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.stats
}

// Clear blanks the panel (all pixels off); the next Show redraws in full.
// With Async it first waits for a draw in progress.
func (sc *Screen) Clear() error {
	sc.mu.Lock()
	if sc.closed {
		sc.mu.Unlock()
		return ErrClosed
	}
	sc.drawn = false
	sc.mu.Unlock()
	if sc.async != nil {
		sc.async.drop()
		sc.Flush()
	}
	return sc.blankPanel()
}

func (sc *Screen) blankPanel() error {
	sc.drawMu.Lock()
	defer sc.drawMu.Unlock()
	if err := sc.panel.Draw(sc.panel.Bounds(), sc.blank, image.Point{}); err != nil {
		return fmt.Errorf("display: clear %s: %w", sc.panel, err)
	}
	return nil
}

// Flush waits until every Content handed to the Async goroutine is on the
// panel (at once without Async).
func (sc *Screen) Flush() {
	if sc.async != nil {
		sc.async.flush()
	}
}

// Close blanks and halts the panel, then closes it if it is an io.Closer
// (panels opened by name release their SPI port or HTTP listener). With
// Async, a draw in progress finishes first and one not started is dropped.
// Later calls return nil; later Shows return ErrClosed.
func (sc *Screen) Close() error {
	sc.mu.Lock()
	if sc.closed {
		sc.mu.Unlock()
		return nil
	}
	sc.closed = true
	sc.mu.Unlock()
	if sc.async != nil {
		sc.async.stop()
	}
	err := sc.blankPanel()
	sc.drawMu.Lock()
	defer sc.drawMu.Unlock()
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

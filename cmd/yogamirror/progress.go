package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// progress prints a one-line progress indicator on a terminal (redrawn in
// place, at most 10 times a second) or a plain line every 10 % otherwise.
type progress struct {
	mu        sync.Mutex
	w         io.Writer
	what      string
	tty       bool
	start     time.Time
	last      time.Time
	lastTenth int
	drawn     bool
}

func newProgress(w io.Writer, what string) *progress {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progress{w: w, what: what, tty: tty, start: time.Now(), lastTenth: -1}
}

// count reports done of total items.
func (p *progress) count(done, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
	eta := ""
	if rate > 0 && done < total {
		eta = fmt.Sprintf(", %s left", (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second))
	}
	line := fmt.Sprintf("%s %d/%d (%.0f%%) %.1f/s%s", p.what, done, total, 100*float64(done)/float64(max(total, 1)), rate, eta)
	p.emit(now, done == total, 10*done/max(total, 1), line)
}

// bytes reports a download's progress.
func (p *progress) bytes(name string, done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	line := fmt.Sprintf("%s %s %.1f MB", p.what, name, float64(done)/1e6)
	tenth := -1
	if total > 0 {
		line += fmt.Sprintf(" of %.1f MB", float64(total)/1e6)
		tenth = int(10 * done / total)
	}
	p.emit(time.Now(), done == total, tenth, line)
}

func (p *progress) emit(now time.Time, final bool, tenth int, line string) {
	if p.tty {
		if final || now.Sub(p.last) >= 100*time.Millisecond {
			fmt.Fprintf(p.w, "\r\033[K%s", line)
			p.last, p.drawn = now, true
		}
		return
	}
	if tenth != p.lastTenth && (tenth >= 0 || final) {
		fmt.Fprintln(p.w, line)
		p.lastTenth = tenth
	}
}

// finish ends the in-place line.
func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty && p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}

package download

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// reasonKey shortens a failure reason to its kind for the summary:
// "corrupt image: jpeg: unexpected EOF" counts as "corrupt image".
func reasonKey(reason string) string {
	i := len(reason)
	for _, sep := range []string{":", " (", " at "} {
		if j := strings.Index(reason, sep); j >= 0 && j < i {
			i = j
		}
	}
	return reason[:i]
}

// Printer renders Progress on a terminal as one line rewritten in place, or
// as plain lines otherwise, at most once per Every. It is not safe for
// concurrent use; Run calls Progress from one goroutine at a time.
type Printer struct {
	W     io.Writer
	TTY   bool          // rewrite one line with \r instead of printing lines
	Every time.Duration // minimum time between lines; 0 means 200 ms on a TTY, 10 s otherwise
	start time.Time
	last  time.Time
	shown bool
}

// Update shows p if enough time has passed since the last line, or if it is
// the last one (Done == ToDo).
func (pr *Printer) Update(now time.Time, p Progress) {
	if pr.start.IsZero() {
		pr.start = now
	}
	every := pr.Every
	if every == 0 {
		every = 10 * time.Second
		if pr.TTY {
			every = 200 * time.Millisecond
		}
	}
	if pr.shown && now.Sub(pr.last) < every && p.Done < p.ToDo {
		return
	}
	pr.last, pr.shown = now, true
	line := Line(p, now.Sub(pr.start))
	if pr.TTY {
		fmt.Fprintf(pr.W, "\r\x1b[K%s", line)
		return
	}
	fmt.Fprintln(pr.W, line)
}

// Finish ends the in-place line on a terminal.
func (pr *Printer) Finish() {
	if pr.TTY && pr.shown {
		fmt.Fprintln(pr.W)
	}
}

// Line formats one progress line:
// "1200/28450 (4.2%)  ok 1100  failed 100  35.2 MB  12.0/s  eta 37m48s".
func Line(p Progress, elapsed time.Duration) string {
	pct := 100.0
	if p.ToDo > 0 {
		pct = 100 * float64(p.Done) / float64(p.ToDo)
	}
	s := fmt.Sprintf("%d/%d (%.1f%%)  ok %d  failed %d  %s", p.Done, p.ToDo, pct, p.Downloaded, p.Failed, megabytes(p.Bytes))
	if secs := elapsed.Seconds(); secs > 0 && p.Done > 0 {
		rate := float64(p.Done) / secs
		eta := time.Duration(float64(p.ToDo-p.Done) / rate * float64(time.Second)).Round(time.Second)
		s += fmt.Sprintf("  %.1f/s  eta %v", rate, eta)
	}
	return s
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

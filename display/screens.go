package display

import (
	"errors"

	"github.com/yogamirror/yogamirror/inference/session"
)

// Screens shows every State on several screens (a panel and a preview). It
// satisfies the pipeline's StateSink; a nil or empty Screens shows nothing.
type Screens []*Screen

// Show shows s on every screen; one failing screen does not stop the others.
func (ss Screens) Show(s session.State) error {
	var errs []error
	for _, sc := range ss {
		if err := sc.Show(s); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Close closes every screen.
func (ss Screens) Close() error {
	var errs []error
	for _, sc := range ss {
		errs = append(errs, sc.Close())
	}
	return errors.Join(errs...)
}

// Stats sums the screens' counters.
func (ss Screens) Stats() ScreenStats {
	var t ScreenStats
	for _, sc := range ss {
		s := sc.Stats()
		t.Shows += s.Shows
		t.Draws += s.Draws
		t.Unchanged += s.Unchanged
		t.Throttled += s.Throttled
		t.Errors += s.Errors
	}
	return t
}

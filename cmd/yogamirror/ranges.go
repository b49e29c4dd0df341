package main

import (
	"errors"
	"fmt"
	"math"
)

// ranges collects numeric flags outside their sane range, so every one is
// reported at once (--threads 100000 used to start 1,400 threads, and
// --refine 1000000 to run until killed).
type ranges []error

func (r *ranges) int(name string, v, lo, hi int) {
	if v < lo || v > hi {
		*r = append(*r, fmt.Errorf("--%s %d: want %d to %d", name, v, lo, hi))
	}
}

func (r *ranges) float(name string, v, lo, hi float64) {
	if math.IsNaN(v) || v < lo || v > hi {
		*r = append(*r, fmt.Errorf("--%s %g: want %g to %g", name, v, lo, hi))
	}
}

// err is nil when every flag was in range.
func (r ranges) err() error {
	if len(r) == 0 {
		return nil
	}
	return fmt.Errorf("%w:\n%w", errBadFlags, errors.Join(r...))
}

// errBadFlags marks flag values out of range (exit status 2, like other
// usage errors).
var errBadFlags = errors.New("flag values out of range")

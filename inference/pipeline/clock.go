package pipeline

import "time"

// Clock is the pipeline's time: the wall clock in the daemon, a fake one in
// tests, which then never wait on real time. It measures stage durations,
// paces replays, times out idle waits and camera reopen backoffs.
type Clock interface {
	Now() time.Time
	// After sends the time on the returned channel once d has passed.
	After(d time.Duration) <-chan time.Time
}

// wallClock is the real time.
type wallClock struct{}

func (wallClock) Now() time.Time                         { return time.Now() }
func (wallClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

package mqtt

import (
	"testing"
	"time"
)

func TestDebounce(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 6, 30, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	d := debounce{every: 10 * time.Second}
	type step struct {
		ms        int
		due       bool // a scheduled time coming, rather than a request
		republish bool
		wait      time.Duration
	}
	for i, s := range []step{
		{ms: 0, republish: true},                 // the first "online": at once
		{ms: 100, wait: 9900 * time.Millisecond}, // a burst: one republish scheduled…
		{ms: 200},                                // …and the rest coalesce into it
		{ms: 9999},
		{ms: 10000, due: true, republish: true}, // the scheduled one
		{ms: 10500, wait: 9500 * time.Millisecond},
		{ms: 20000, due: true, republish: true},
		{ms: 30000, due: true},              // nothing pending: no republish
		{ms: 45000, republish: true},        // quiet for long enough: at once
		{ms: 40000, wait: 10 * time.Second}, // clock stepped back: at most every
	} {
		var republish bool
		var wait time.Duration
		if s.due {
			republish = d.due(at(s.ms))
		} else {
			republish, wait = d.request(at(s.ms))
		}
		if republish != s.republish || wait != s.wait {
			t.Errorf("step %d (%d ms): republish %v wait %v, want %v %v", i, s.ms, republish, wait, s.republish, s.wait)
		}
	}
	// 5,000 requests in a second: one republish now and one scheduled.
	d = debounce{every: 10 * time.Second}
	now, later := 0, 0
	for i := range 5000 {
		r, w := d.request(at(60000 + i/5))
		if r {
			now++
		}
		if w > 0 {
			later++
		}
	}
	if now != 1 || later != 1 {
		t.Errorf("a flood of 5000: %d republishes at once and %d scheduled, want 1 and 1", now, later)
	}
}

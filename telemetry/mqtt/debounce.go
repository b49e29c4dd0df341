package mqtt

import "time"

// debounce spaces the discovery republishes Home Assistant's "online"
// asks for. Home Assistant says it once when it starts, but a flood of
// them (5,000 messages made 633 full republishes of every retained config)
// must not turn a mirror into a firehose. The first request after a quiet
// spell is served at once; later ones within every of the last republish
// coalesce into one, every after it. Time is a parameter.
type debounce struct {
	every   time.Duration
	last    time.Time // the last republish
	pending bool      // one is scheduled
}

// request records an "online" at now. It says whether to republish now;
// if not, wait is how long until the scheduled one (0 when one is already
// scheduled).
func (d *debounce) request(now time.Time) (republish bool, wait time.Duration) {
	if d.last.IsZero() || now.Sub(d.last) >= d.every {
		d.last, d.pending = now, false
		return true, 0
	}
	if d.pending {
		return false, 0
	}
	d.pending = true
	// A clock stepped back never schedules further out than every.
	return false, min(d.last.Add(d.every).Sub(now), d.every)
}

// due is called when the scheduled time has come: it says whether to
// republish.
func (d *debounce) due(now time.Time) bool {
	if !d.pending {
		return false
	}
	d.last, d.pending = now, false
	return true
}

// reset forgets a schedule (a new connection has no timer for it).
func (d *debounce) reset() { d.pending = false }

package pipeline

import (
	"time"
)

// Stats counts what the loop did and how long each stage took.
type Stats struct {
	Frames     int // processed
	Dropped    int // newer frames replaced them before the loop got to them
	Skipped    int // undecodable inputs
	Reopens    int // camera reopen attempts
	Errors     int // inference failures
	Events     int
	SinkErrors int
	Estimate   Timing // the whole estimator, invoke included
	Invoke     Timing // the model invoke alone, when the estimator reports it
	Classify   Timing
	Track      Timing
	Sinks      Timing
}

// Timing accumulates one stage's durations.
type Timing struct {
	N     int
	Total time.Duration
	Max   time.Duration
}

func (t *Timing) add(d time.Duration) {
	t.N++
	t.Total += d
	t.Max = max(t.Max, d)
}

// Mean is the average duration.
func (t Timing) Mean() time.Duration {
	if t.N == 0 {
		return 0
	}
	return t.Total / time.Duration(t.N)
}

func (s *Stats) add(est, cls, trk, sinks time.Duration) {
	s.Frames++
	s.Estimate.add(est)
	s.Classify.add(cls)
	s.Track.add(trk)
	s.Sinks.add(sinks)
}

func (p *Pipeline) logStats(now time.Time) {
	s := p.Stats()
	secs := now.Sub(p.lastLog).Seconds()
	p.lastLog = now
	p.o.Logger.Info("stats",
		"frames", s.Frames, "fps", fps(s.Frames-p.statFrames(s), secs), "dropped", s.Dropped, "skipped", s.Skipped,
		"reopens", s.Reopens, "errors", s.Errors, "events", s.Events, "sink_errors", s.SinkErrors,
		"estimate_ms", ms(s.Estimate.Mean()), "estimate_max_ms", ms(s.Estimate.Max), "invoke_ms", ms(s.Invoke.Mean()),
		"classify_ms", ms(s.Classify.Mean()), "track_ms", ms(s.Track.Mean()), "sinks_ms", ms(s.Sinks.Mean()))
}

// statFrames remembers the frame count at the previous stats line.
func (p *Pipeline) statFrames(s Stats) int {
	prev := p.prevFrames
	p.prevFrames = s.Frames
	return prev
}

func fps(frames int, secs float64) float64 {
	if secs <= 0 {
		return 0
	}
	return float64(int(float64(frames)/secs*10)) / 10
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// rateLimit lets one message through per interval and counts the rest.
type rateLimit struct {
	every      time.Duration
	last       time.Time
	suppressed int
}

func (r *rateLimit) allow(now time.Time) (int, bool) {
	if !r.last.IsZero() && now.Sub(r.last) < r.every {
		r.suppressed++
		return 0, false
	}
	n := r.suppressed
	r.last, r.suppressed = now, 0
	return n, true
}

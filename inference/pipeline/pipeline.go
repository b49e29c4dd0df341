// Package pipeline owns the frame loop: Source → Estimator → Classifier →
// Tracker → state and event sinks. It drops frames rather than queueing them
// (a live camera always yields its newest frame), times every stage, logs a
// stats line every 30 s, beats the watchdog once per processed frame, reopens
// a lost camera with backoff, and ends the session cleanly on shutdown.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/session"
)

// StateSink shows the current state (display, MQTT state topic).
type StateSink interface {
	Show(s session.State) error
}

// EventSink receives every event once, stamped (local log, MQTT outbox).
type EventSink interface {
	Publish(ctx context.Context, e session.Event) error
}

// Stamper gives an event its identity before it fans out.
type Stamper interface {
	Stamp(e session.Event) (session.Event, error)
}

// Control changes the loop between frames (commands from MQTT, reloads).
type Control struct {
	StartSession bool
	StopSession  bool
	HoldTarget   time.Duration // > 0: set the target (for HoldPose, or the default)
	HoldPose     string
	Classifier   pose.Classifier         // non-nil: replace the classifier (the pipeline closes it when done)
	Reference    pose.Reference          // with Classifier: the new form-cue reference
	Routine      *session.RoutineCommand // non-nil: start, select, skip or stop a routine (at the next frame)
	Done         chan<- error            // optional: told when the control has been applied
}

// Opts wire a pipeline.
type Opts struct {
	// Open opens (and reopens, after a camera is lost) the source.
	Open       func(ctx context.Context) (camera.Source, error)
	Live       bool // a camera: reopen on loss, read in the background, drop stale frames
	Realtime   bool // pace replays to their timestamps (live sources always are)
	Estimator  pose.Estimator
	Classifier pose.Classifier
	Tracker    *session.Tracker
	States     []StateSink
	Events     []EventSink
	Stamper    Stamper
	Control    <-chan Control
	Logger     *slog.Logger
	Heartbeat  func() // called once per processed frame and while waiting for a camera
	// StatsEvery is the stats log interval (default 30 s).
	StatsEvery time.Duration
	// Backoff bounds camera reopen delays (defaults 1 s and 30 s).
	MinBackoff, MaxBackoff time.Duration
	// Clock is the time (default: the wall clock).
	Clock Clock
}

// Pipeline runs the frame loop. Create with New, run once with Run.
type Pipeline struct {
	o          Opts
	stats      Stats
	last       time.Time // timeline of the last frame (tracker time)
	errLog     rateLimit
	lastLog    time.Time
	prevFrames int
	// Set by the camera reader goroutine.
	dropped, reopens atomic.Int64
	resetPending     atomic.Bool // the camera was reopened: reset tracking
	readLog          rateLimit   // the reader's own, so it needs no lock
	// ownsClassifier: the classifier came in a Control and Run closes it.
	ownsClassifier bool
}

// New checks the wiring.
func New(o Opts) (*Pipeline, error) {
	if o.Open == nil || o.Estimator == nil || o.Classifier == nil || o.Tracker == nil {
		return nil, errors.New("pipeline: Open, Estimator, Classifier and Tracker are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.StatsEvery <= 0 {
		o.StatsEvery = 30 * time.Second
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = time.Second
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 30 * time.Second
	}
	if o.Heartbeat == nil {
		o.Heartbeat = func() {}
	}
	if o.Clock == nil {
		o.Clock = wallClock{}
	}
	return &Pipeline{o: o, errLog: rateLimit{every: 10 * time.Second}, readLog: rateLimit{every: 10 * time.Second}}, nil
}

// Stats are the counters so far. Call it from the goroutine running Run, or
// after Run returns.
func (p *Pipeline) Stats() Stats {
	s := p.stats
	s.Dropped, s.Reopens = int(p.dropped.Load()), int(p.reopens.Load())
	return s
}

// Run processes frames until the source ends (replays) or ctx is cancelled,
// then ends the session and publishes its events. Sink errors are logged
// (rate-limited) and never stop the loop; event sinks that must not lose
// anything (the outbox, the log file) are durable themselves.
func (p *Pipeline) Run(ctx context.Context) error {
	p.lastLog = p.o.Clock.Now()
	frames := p.frames(ctx)
	var runErr error
	for runErr == nil {
		select {
		case c := <-p.o.Control:
			p.apply(ctx, c)
			continue
		default:
		}
		f, err := frames.next(ctx)
		if errors.Is(err, errIdle) {
			p.idle(ctx)
			continue
		}
		if err != nil {
			if !errors.Is(err, io.EOF) && ctx.Err() == nil {
				runErr = err
			}
			break
		}
		if p.resetPending.Swap(false) {
			if r, ok := p.o.Estimator.(interface{ Reset() }); ok {
				r.Reset() // don't look where the body was before the gap
			}
		}
		p.process(ctx, f)
		frames.release()
	}
	// End the session before waiting for the camera reader: a read stuck in
	// a driver must not cost the session summary.
	end := p.last
	if end.IsZero() {
		end = p.o.Clock.Now()
	}
	p.emit(context.WithoutCancel(ctx), p.o.Tracker.End(end))
	p.show(session.State{Time: end})
	frames.close()
	if p.ownsClassifier {
		if c, ok := p.o.Classifier.(io.Closer); ok {
			c.Close()
		}
	}
	p.logStats(p.o.Clock.Now())
	return runErr
}

// idle runs when a live camera has delivered nothing for a while: the
// tracker sees "no person" at wall-clock time, so a hold ends after its
// grace and a session after its idle time, and the display says so. It does
// not beat the watchdog: a camera that stays silent gets the service
// restarted.
func (p *Pipeline) idle(ctx context.Context) {
	now := p.o.Clock.Now()
	if now.Sub(p.last) < time.Second || now.Before(p.last) {
		return
	}
	p.last = now
	state, events := p.o.Tracker.Step(now, pose.Prediction{})
	p.emit(ctx, events)
	p.show(state)
}

func (p *Pipeline) apply(ctx context.Context, c Control) {
	now := p.last
	if now.IsZero() {
		now = p.o.Clock.Now()
	}
	t := p.o.Tracker
	switch {
	case c.StartSession:
		p.emit(ctx, t.StartSession(now))
	case c.StopSession:
		p.emit(ctx, t.End(now))
	case c.HoldTarget > 0:
		t.SetHoldTarget(c.HoldPose, c.HoldTarget)
	case c.Routine != nil:
		t.Command(*c.Routine)
	case c.Classifier != nil:
		if old, ok := p.o.Classifier.(io.Closer); ok {
			old.Close()
		}
		p.o.Classifier, p.ownsClassifier = c.Classifier, true
		t.SetReference(c.Reference)
	}
	if c.Done != nil {
		c.Done <- nil
	}
}

// process runs one frame through every stage.
func (p *Pipeline) process(ctx context.Context, f camera.Frame) {
	t0 := p.o.Clock.Now()
	ps, err := p.o.Estimator.Estimate(f.Img)
	t1 := p.o.Clock.Now()
	if inv, ok := p.o.Estimator.(interface{ LastInvoke() time.Duration }); ok {
		p.stats.Invoke.add(inv.LastInvoke())
	}
	var pred pose.Prediction
	if err == nil {
		pred, err = p.o.Classifier.Classify(ps)
	}
	if err != nil {
		p.stats.Errors++
		p.logError("inference failed", err)
		pred = pose.Prediction{}
	}
	t2 := p.o.Clock.Now()
	p.last = f.Time
	state, events := p.o.Tracker.Step(f.Time, pred)
	t3 := p.o.Clock.Now()
	p.emit(ctx, events)
	p.show(state)
	t4 := p.o.Clock.Now()
	p.stats.add(t1.Sub(t0), t2.Sub(t1), t3.Sub(t2), t4.Sub(t3))
	p.o.Heartbeat()
	if t4.Sub(p.lastLog) >= p.o.StatsEvery {
		p.logStats(t4)
	}
}

func (p *Pipeline) emit(ctx context.Context, events []session.Event) {
	for _, e := range events {
		if p.o.Stamper != nil {
			var err error
			if e, err = p.o.Stamper.Stamp(e); err != nil {
				p.logError("stamping event", err)
			}
		}
		p.stats.Events++
		for _, s := range p.o.Events {
			if err := s.Publish(ctx, e); err != nil {
				p.stats.SinkErrors++
				p.logError(fmt.Sprintf("publishing %s", e.Type), err)
			}
		}
	}
}

func (p *Pipeline) show(s session.State) {
	for _, sink := range p.o.States {
		if err := sink.Show(s); err != nil {
			p.stats.SinkErrors++
			p.logError("showing state", err)
		}
	}
}

func (p *Pipeline) logError(msg string, err error) {
	if n, ok := p.errLog.allow(p.o.Clock.Now()); ok {
		p.o.Logger.Warn(msg, "err", err, "suppressed", n)
	}
}

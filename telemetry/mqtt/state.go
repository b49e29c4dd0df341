package mqtt

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

// stateBox holds the latest state and the daily counters between the
// pipeline (Show, Publish) and the loop that publishes them.
type stateBox struct {
	mu       sync.Mutex
	path     string // daily counter file
	loc      *time.Location
	daily    telemetry.Daily
	cur      session.State
	have     bool
	problems []telemetry.Problem
	dirty    chan struct{}
}

// load reads the daily counters. A corrupt file is moved aside (like a
// corrupt outbox) and counting starts again: a day's count is not worth
// staying down for. It returns where the file went, if it was moved.
func (s *stateBox) load(path string, loc *time.Location) (movedTo string, err error) {
	s.path, s.loc, s.dirty = path, loc, make(chan struct{}, 1)
	s.daily, err = telemetry.LoadDaily(path)
	if errors.Is(err, telemetry.ErrCorruptDaily) {
		movedTo = fmt.Sprintf("%s.corrupt-%d", path, time.Now().Unix())
		if rerr := os.Rename(path, movedTo); rerr != nil {
			return "", fmt.Errorf("%w (and moving it aside failed: %v)", err, rerr)
		}
		return movedTo, nil
	}
	return "", err
}

func (s *stateBox) setProblems(ps []telemetry.Problem) {
	s.mu.Lock()
	s.problems = ps
	s.mu.Unlock()
	s.mark()
}

func (s *stateBox) show(ts session.State) {
	s.mu.Lock()
	s.cur, s.have = ts, true
	s.mu.Unlock()
	s.mark()
}

func (s *stateBox) mark() {
	select {
	case s.dirty <- struct{}{}:
	default:
	}
}

// recordSession counts a finished session and persists the counters.
func (s *stateBox) recordSession(e telemetry.Event, loc *time.Location) error {
	s.mu.Lock()
	s.daily = s.daily.RecordEvent(e, loc)
	d := s.daily
	s.mu.Unlock()
	s.mark()
	return telemetry.SaveDaily(s.path, d)
}

// snapshot is the wire state to publish, false before the first Show.
func (s *stateBox) snapshot(deviceID string) (telemetry.State, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.have {
		return telemetry.State{}, false
	}
	ts := s.cur
	ts.Time = ts.Time.In(s.loc)
	st := telemetry.NewState(deviceID, ts, s.daily)
	st.Problems = s.problems
	return st, true
}

// significant changes go out at once; others wait for StateInterval.
func significant(a, b telemetry.State) bool {
	return a.Pose != b.Pose || a.SessionActive != b.SessionActive || a.Person != b.Person ||
		a.Completed != b.Completed || a.SessionsToday != b.SessionsToday ||
		a.LastSessionMin != b.LastSessionMin || a.TargetS != b.TargetS || a.Cue != b.Cue ||
		a.Routine != b.Routine || a.RoutineStep != b.RoutineStep || a.RoutineSelected != b.RoutineSelected ||
		!slices.Equal(a.Problems, b.Problems)
}

// pushState publishes the latest state (retained, QoS 1, not awaited) unless
// it is unchanged; it returns how long to wait before trying again when the
// change is minor and the last update is too recent.
func (p *Publisher) pushState(force bool) time.Duration {
	cur, ok := p.st.snapshot(p.topics.DeviceID)
	if !ok {
		return 0
	}
	now := p.o.Now()
	if !force && p.lastState != nil {
		if cur.SameContent(*p.lastState) {
			return 0
		}
		if wait := p.o.StateInterval - now.Sub(p.lastStateAt); !significant(cur, *p.lastState) && wait > 0 {
			return wait
		}
	}
	b, err := json.Marshal(cur)
	if err != nil {
		p.log.Error("mqtt: encode state", "err", err)
		return 0
	}
	p.client.Publish(p.topics.State, 1, true, b)
	p.lastState, p.lastStateAt = &cur, now
	return 0
}

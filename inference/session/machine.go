package session

import (
	"time"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// session is the session under way.
type session struct {
	id         string
	start      time.Time
	lastActive time.Time
	poses      []PoseHold
	routines   []RoutineRun
}

// updateStable applies the hysteresis: the shown pose leaves below Exit and
// the leading pose enters at Enter.
func (t *Tracker) updateStable(top string) {
	if t.stable != "" && t.ema[t.stable] < t.o.Exit {
		t.stable = ""
	}
	if top != "" && top != t.stable && t.ema[top] >= t.o.Enter {
		t.stable = top
	}
}

func (t *Tracker) updateHold(now time.Time, raw string, ev []Event) []Event {
	if t.stable == "" {
		if t.hold != nil {
			t.hold.lost = true
			if now.Sub(t.hold.last) > t.o.Grace {
				ev = t.endHold(now, ev)
			}
		}
		return ev
	}
	if t.hold != nil && t.hold.pose != t.stable {
		ev = t.endHold(now, ev)
	}
	if t.hold == nil {
		start := now
		if t.top == t.stable {
			// The pose began before the EMA caught up — but by no more than
			// the smoothing lag, and never before the last session ended.
			start = t.topSince
			if lag := now.Add(-maxBackdate * t.o.Tau); start.Before(lag) {
				start = lag
			}
			if start.Before(t.lastEnd) {
				start = t.lastEnd
			}
		}
		t.hold = &hold{pose: t.stable, start: start, last: start, target: t.target(t.stable), name: t.name(t.stable)}
	}
	h := t.hold
	h.lost = false
	if raw == h.pose {
		h.last = now
	}
	if !h.confirmed && h.held() >= t.o.MinPose {
		// Held long enough to be a pose, not a transition: it (and the
		// session, if none) started when the hold did.
		h.confirmed = true
		ev = t.ensureSession(h.start, ev)
		ev = append(ev, t.event(PoseStarted, h.start, h))
	}
	if t.session != nil {
		t.session.lastActive = now
	}
	if h.confirmed && !h.completed && h.held() >= h.target {
		h.completed = true
		ev = append(ev, t.event(HoldCompleted, now, h))
	}
	return ev
}

func (t *Tracker) endHold(now time.Time, ev []Event) []Event {
	h := t.hold
	t.hold = nil
	t.cues.reset()
	if !h.confirmed {
		return ev // a transition: it never counted
	}
	ev = append(ev, t.event(PoseEnded, now, h))
	if t.session != nil {
		t.session.poses = append(t.session.poses, PoseHold{
			Pose: h.pose, HeldS: h.held().Seconds(), TargetS: h.target.Seconds(), Completed: h.completed,
		})
	}
	return ev
}

func (t *Tracker) ensureSession(now time.Time, ev []Event) []Event {
	if t.session != nil {
		return ev
	}
	t.session = &session{id: "s" + now.UTC().Format("20060102T150405.000Z"), start: now, lastActive: now}
	return append(ev, Event{Type: SessionStarted, Time: now, Session: t.session.id})
}

func (t *Tracker) updateSession(now time.Time, ev []Event) []Event {
	if t.session != nil && t.hold == nil && now.Sub(t.session.lastActive) > t.o.SessionIdle {
		ev = t.endSession(now, ev)
	}
	return ev
}

func (t *Tracker) endSession(now time.Time, ev []Event) []Event {
	ev = t.stopRoutine(now, ev)
	s := t.session
	t.session = nil
	sum := &Summary{Start: s.start, End: now, DurationS: now.Sub(s.start).Seconds(), Poses: s.poses, Routines: s.routines}
	if sum.Poses == nil {
		sum.Poses = []PoseHold{}
	}
	for _, p := range s.poses {
		sum.HeldS += p.HeldS
		if p.Completed {
			sum.Holds++
		}
	}
	return append(ev, Event{Type: SessionEnded, Time: now, Session: s.id, Summary: sum})
}

// event builds a pose event from a hold.
func (t *Tracker) event(typ EventType, now time.Time, h *hold) Event {
	e := Event{Type: typ, Time: now, Pose: h.pose, TargetS: h.target.Seconds()}
	if t.session != nil {
		e.Session = t.session.id
	}
	if typ != PoseStarted {
		e.HeldS = h.held().Seconds()
	}
	return e
}

// StartSession starts a session now if none is under way (a command).
func (t *Tracker) StartSession(now time.Time) []Event {
	return t.ensureSession(now, nil)
}

// End closes the hold and the session, e.g. on shutdown or a stop command.
func (t *Tracker) End(now time.Time) []Event {
	var ev []Event
	if t.hold != nil {
		ev = t.endHold(now, ev)
	}
	ev = t.stopRoutine(now, ev)
	if t.session != nil {
		ev = t.endSession(now, ev)
	}
	t.pending = t.pending[:0]
	t.stable, t.top, t.topSince, t.lastEnd = "", "", time.Time{}, now
	clear(t.ema)
	t.cues.reset()
	return ev
}

func (t *Tracker) state(now time.Time, p pose.Prediction) State {
	s := State{Time: now, Person: p.Person}
	if h := t.hold; h != nil {
		s.Pose, s.HeldS, s.TargetS, s.Completed = h.pose, h.held().Seconds(), h.target.Seconds(), h.completed
		s.Confidence, s.PoseName = float32(t.ema[h.pose]), h.name
	}
	if t.session != nil {
		s.SessionActive, s.SessionS = true, now.Sub(t.session.start).Seconds()
	}
	t.routineState(now, &s)
	return s
}

package session

import "time"

// routineRun is the routine under way.
//
// A step counts the hold of its pose from when the step began (the end of
// the rest before it), so a pose already held — the same pose on the other
// side, or the start pose — starts its step at zero. Dropouts within the
// grace period don't reset it; a hold that ends does.
type routineRun struct {
	r         *Routine
	names     []PoseName // per step
	start     time.Time
	i         int       // current step, or the next while resting
	restUntil time.Time // the current step begins here
	done      []StepResult
}

// Command queues c for the next Step, where it takes effect at that frame's
// time (so replays and live cameras agree on when it happened).
func (t *Tracker) Command(c RoutineCommand) { t.pending = append(t.pending, c) }

// Selected is the routine the gesture and a plain start would start.
func (t *Tracker) Selected() *Routine { return t.selected }

func (t *Tracker) applyCommands(now time.Time, ev []Event) []Event {
	for _, c := range t.pending {
		switch c.Action {
		case SelectRoutine:
			t.selected = c.Routine
		case StartRoutine:
			r := c.Routine
			if r == nil {
				r = t.selected
			}
			if r != nil && len(r.Steps) > 0 {
				ev = t.startRoutine(now, r, ev)
			}
		case SkipStep, NextStep:
			if t.run != nil {
				ev = t.skipStep(now, c.Action == SkipStep, ev)
			}
		case StopRoutine:
			ev = t.stopRoutine(now, ev)
		}
	}
	t.pending = t.pending[:0]
	return ev
}

func (t *Tracker) startRoutine(now time.Time, r *Routine, ev []Event) []Event {
	ev = t.stopRoutine(now, ev)
	ev = t.ensureSession(now, ev)
	run := &routineRun{r: r, start: now, restUntil: now.Add(r.Rest), names: make([]PoseName, len(r.Steps))}
	for i, s := range r.Steps {
		run.names[i] = t.name(s.Pose)
	}
	t.run = run
	first := r.Steps[0]
	return append(ev, Event{Type: RoutineStarted, Time: now, Session: t.session.id, Routine: r.Name,
		Step: 1, Steps: len(r.Steps), Pose: first.Pose, Side: first.Side, TargetS: first.Hold.Seconds()})
}

// updateRoutine starts the selected routine on the start gesture, and
// completes the current step when its hold is done.
func (t *Tracker) updateRoutine(now time.Time, ev []Event) []Event {
	run := t.run
	if run == nil {
		if t.gesture() {
			ev = t.startRoutine(now, t.selected, ev)
		}
		return ev
	}
	if now.Before(run.restUntil) {
		return ev
	}
	step := run.r.Steps[run.i]
	if held := t.stepHeld(now); held >= step.Hold {
		ev = t.finishStep(now, held, false, ev)
		ev = t.advance(now, true, ev)
	}
	return ev
}

// gesture: the start pose, held long enough, in a hold that began after
// the last routine ended (staying in the pose does not start it again).
func (t *Tracker) gesture() bool {
	h := t.hold
	return t.selected != nil && t.o.StartPose != "" && h != nil && !h.lost &&
		h.pose == t.o.StartPose && !h.start.Before(t.lastRoutineEnd) && h.held() >= t.o.StartHold
}

// stepHeld is how long the current step's pose has been held since the
// step began.
func (t *Tracker) stepHeld(now time.Time) time.Duration {
	run, h := t.run, t.hold
	if run == nil || now.Before(run.restUntil) || h == nil || h.pose != run.r.Steps[run.i].Pose {
		return 0
	}
	from := h.start
	if from.Before(run.restUntil) {
		from = run.restUntil
	}
	return max(0, h.last.Sub(from))
}

// finishStep records the current step and reports it.
func (t *Tracker) finishStep(now time.Time, held time.Duration, skipped bool, ev []Event) []Event {
	run := t.run
	s := run.r.Steps[run.i]
	res := StepResult{Step: run.i + 1, Pose: s.Pose, Side: s.Side, HeldS: held.Seconds(), TargetS: s.Hold.Seconds(), Skipped: skipped}
	run.done = append(run.done, res)
	return append(ev, t.routineEvent(RoutineStepCompleted, now, res))
}

// advance moves to the next step, after a rest when rest is set, or
// completes the routine after the last.
func (t *Tracker) advance(now time.Time, rest bool, ev []Event) []Event {
	run := t.run
	run.i++
	if run.i < len(run.r.Steps) {
		run.restUntil = now
		if rest {
			run.restUntil = now.Add(run.r.Rest)
		}
		return ev
	}
	e := t.routineEvent(RoutineCompleted, now, StepResult{Step: len(run.r.Steps), Pose: run.r.Steps[len(run.r.Steps)-1].Pose, HeldS: run.heldS()})
	return t.endRoutine(now, true, append(ev, e))
}

// skipStep abandons the current or upcoming step. A skip keeps the rest
// before the next step; next does not, and during a rest only ends it.
func (t *Tracker) skipStep(now time.Time, keepRest bool, ev []Event) []Event {
	run := t.run
	if now.Before(run.restUntil) && !keepRest {
		run.restUntil = now
		return ev
	}
	ev = t.finishStep(now, t.stepHeld(now), true, ev)
	return t.advance(now, keepRest, ev)
}

func (t *Tracker) stopRoutine(now time.Time, ev []Event) []Event {
	run := t.run
	if run == nil {
		return ev
	}
	s := run.r.Steps[run.i]
	e := t.routineEvent(RoutineStopped, now, StepResult{Step: run.i + 1, Pose: s.Pose, Side: s.Side, HeldS: run.heldS()})
	return t.endRoutine(now, false, append(ev, e))
}

func (t *Tracker) endRoutine(now time.Time, completed bool, ev []Event) []Event {
	run := t.run
	t.run, t.lastRoutineEnd = nil, now
	if t.session != nil {
		t.session.routines = append(t.session.routines, RoutineRun{Routine: run.r.Name, Start: run.start, End: now,
			Steps: len(run.r.Steps), Completed: completed, Done: append([]StepResult{}, run.done...)})
	}
	return ev
}

func (run *routineRun) heldS() float64 {
	var s float64
	for _, d := range run.done {
		s += d.HeldS
	}
	return s
}

func (t *Tracker) routineEvent(typ EventType, now time.Time, r StepResult) Event {
	e := Event{Type: typ, Time: now, Routine: t.run.r.Name, Step: r.Step, Steps: len(t.run.r.Steps),
		Pose: r.Pose, Side: r.Side, HeldS: r.HeldS, TargetS: r.TargetS, Skipped: r.Skipped}
	if t.session != nil {
		e.Session = t.session.id
	}
	return e
}

// routineState fills s.Routine.
func (t *Tracker) routineState(now time.Time, s *State) {
	rs := &s.Routine
	if t.selected != nil {
		rs.Selected = t.selected.Name
	}
	run := t.run
	if run == nil {
		if t.selected != nil && t.o.StartPose != "" {
			rs.StartPose = StepState{Pose: t.o.StartPose, Name: t.name(t.o.StartPose)}
			rs.StartHoldS = t.o.StartHold.Seconds()
		}
		return
	}
	rs.Name, rs.Step, rs.Steps = run.r.Name, run.i+1, len(run.r.Steps)
	rs.Current = run.stepState(run.i)
	if run.i+1 < len(run.r.Steps) {
		rs.Next = run.stepState(run.i + 1)
	}
	if now.Before(run.restUntil) {
		rs.Resting, rs.RestS = true, run.restUntil.Sub(now).Seconds()
		return
	}
	rs.HeldS = t.stepHeld(now).Seconds()
}

func (run *routineRun) stepState(i int) StepState {
	s := run.r.Steps[i]
	return StepState{Pose: s.Pose, Name: run.names[i], Side: s.Side, HoldS: s.Hold.Seconds()}
}

// routineTarget is the hold target a routine sets for pose p: the current
// (or upcoming) step's, when p is its pose.
func (t *Tracker) routineTarget(p string) (time.Duration, bool) {
	if t.run == nil {
		return 0, false
	}
	s := t.run.r.Steps[t.run.i]
	return s.Hold, s.Pose == p
}

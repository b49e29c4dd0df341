package session

import (
	"errors"
	"fmt"
	"time"
)

// Sides a step may be held on. A routine file's "both" becomes two steps,
// left then right, before it reaches the Tracker.
const (
	SideLeft  = "left"
	SideRight = "right"
)

// Step is one pose of a routine.
type Step struct {
	Pose string
	Hold time.Duration
	Side string // "", SideLeft or SideRight
	// Where the step was defined ("routines/flow.yaml:7"), for messages.
	Where string
}

// Routine is a named sequence of steps with a rest before each: time to
// hear the next pose and get into it.
type Routine struct {
	Name  string
	Rest  time.Duration
	Steps []Step
	Where string // where the routine was defined
}

// Validate reports every problem at once, each with where it was defined.
// known, when not nil, says whether the classifier has a pose.
func (r Routine) Validate(known func(pose string) bool) error {
	var errs []error
	at := func(where string) string {
		if where == "" {
			return "routine " + r.Name
		}
		return where
	}
	if r.Name == "" {
		errs = append(errs, fmt.Errorf("%s: a routine needs a name", at(r.Where)))
	}
	if r.Rest < 0 {
		errs = append(errs, fmt.Errorf("%s: rest %v is negative", at(r.Where), r.Rest))
	}
	if len(r.Steps) == 0 {
		errs = append(errs, fmt.Errorf("%s: routine %q has no steps", at(r.Where), r.Name))
	}
	for i, s := range r.Steps {
		where := at(s.Where)
		switch {
		case s.Pose == "":
			errs = append(errs, fmt.Errorf("%s: step %d has no pose", where, i+1))
		case known != nil && !known(s.Pose):
			errs = append(errs, fmt.Errorf("%s: step %d: unknown pose %q (the classifier does not know it)", where, i+1, s.Pose))
		}
		if s.Hold <= 0 {
			errs = append(errs, fmt.Errorf("%s: step %d: hold %v, want more than 0", where, i+1, s.Hold))
		}
		if s.Side != "" && s.Side != SideLeft && s.Side != SideRight {
			errs = append(errs, fmt.Errorf("%s: step %d: side %q, want left or right", where, i+1, s.Side))
		}
	}
	return errors.Join(errs...)
}

// RoutineAction is what a RoutineCommand asks for.
type RoutineAction uint8

// The actions.
const (
	// StartRoutine starts Routine, or the selected one when nil, stopping
	// any routine under way.
	StartRoutine RoutineAction = iota + 1
	// SkipStep abandons the current step (or, while resting, the one about
	// to start); the rest before the next one still applies.
	SkipStep
	// NextStep moves on at once: it ends a rest, or abandons the current
	// step and starts the next without a rest.
	NextStep
	// StopRoutine stops the routine under way.
	StopRoutine
	// SelectRoutine makes Routine the one the start gesture and a plain
	// StartRoutine start.
	SelectRoutine
)

// RoutineCommand is a change to the routine (from MQTT, Home Assistant or
// the command line), applied at the next Step.
type RoutineCommand struct {
	Action  RoutineAction
	Routine *Routine
}

// Package session turns a stream of per-frame predictions into what a person
// experiences: a stable current pose (EMA smoothing with enter/exit
// hysteresis), a hold timer with a grace period and a per-pose target,
// sessions, sparse form cues and guided routines (a list of poses to hold in
// turn, started by command or by holding a start pose). It is pure: time
// comes in as a parameter, State and Events come out.
package session

import "time"

// EventType names a session event.
type EventType string

const (
	SessionStarted EventType = "session_started"
	PoseStarted    EventType = "pose_started"
	HoldCompleted  EventType = "hold_completed"
	PoseEnded      EventType = "pose_ended"
	SessionEnded   EventType = "session_ended"

	RoutineStarted       EventType = "routine_started"
	RoutineStepCompleted EventType = "routine_step_completed" // also when skipped (Skipped set)
	RoutineCompleted     EventType = "routine_completed"
	RoutineStopped       EventType = "routine_stopped" // by command, a new routine or the session's end
)

// EventTypes lists every event type, in the order a session meets them.
var EventTypes = []EventType{SessionStarted, PoseStarted, HoldCompleted, PoseEnded,
	RoutineStarted, RoutineStepCompleted, RoutineCompleted, RoutineStopped, SessionEnded}

// Event is something that happened in a session. ID and Seq are left empty by
// the Tracker and stamped once by the pipeline, so every sink (local log,
// MQTT) sees the same identity.
type Event struct {
	ID      string    `json:"event_id"`
	Seq     uint64    `json:"seq"`
	Type    EventType `json:"type"`
	Time    time.Time `json:"ts"`
	Session string    `json:"session_id"`
	Pose    string    `json:"pose,omitempty"`
	// HeldS is the hold so far (hold_completed) or in total (pose_ended); on
	// routine events the step's hold, or the routine's total.
	HeldS   float64 `json:"held_s,omitempty"`
	TargetS float64 `json:"target_s,omitempty"`
	// Routine events: the routine, the step (1-based) and the step count,
	// the step's side, and whether the step was skipped.
	Routine string   `json:"routine,omitempty"`
	Step    int      `json:"step,omitempty"`
	Steps   int      `json:"steps,omitempty"`
	Side    string   `json:"side,omitempty"`
	Skipped bool     `json:"skipped,omitempty"`
	Summary *Summary `json:"summary,omitempty"` // session_ended only
}

// PoseHold is one pose held during a session.
type PoseHold struct {
	Pose      string  `json:"pose"`
	HeldS     float64 `json:"held_s"`
	TargetS   float64 `json:"target_s"`
	Completed bool    `json:"completed"`
}

// Summary closes a session.
type Summary struct {
	Start     time.Time    `json:"start"`
	End       time.Time    `json:"end"`
	DurationS float64      `json:"duration_s"`
	Poses     []PoseHold   `json:"poses"`
	Holds     int          `json:"holds_completed"`
	HeldS     float64      `json:"held_s_total"`
	Routines  []RoutineRun `json:"routines,omitempty"`
}

// RoutineRun is one routine followed (in full or in part) during a session.
type RoutineRun struct {
	Routine   string       `json:"routine"`
	Start     time.Time    `json:"start"`
	End       time.Time    `json:"end"`
	Steps     int          `json:"steps"` // in the routine
	Completed bool         `json:"completed"`
	Done      []StepResult `json:"done"` // steps completed or skipped, in order
}

// StepResult is how one routine step went.
type StepResult struct {
	Step    int     `json:"step"`
	Pose    string  `json:"pose"`
	Side    string  `json:"side,omitempty"`
	HeldS   float64 `json:"held_s"`
	TargetS float64 `json:"target_s"`
	Skipped bool    `json:"skipped,omitempty"`
}

// PoseName is how a pose label reads to people.
type PoseName struct {
	Name     string `json:"name,omitempty"`     // "Warrior II"
	Sanskrit string `json:"sanskrit,omitempty"` // "Virabhadrasana II"; "" when unknown
}

// State is what the display shows now.
type State struct {
	Time          time.Time `json:"ts"`
	Person        bool      `json:"person"`
	Pose          string    `json:"pose,omitempty"` // the stable pose, "" when none
	Confidence    float32   `json:"confidence,omitempty"`
	HeldS         float64   `json:"held_s"`
	TargetS       float64   `json:"target_s,omitempty"`
	Completed     bool      `json:"completed"`
	SessionActive bool      `json:"session_active"`
	SessionS      float64   `json:"session_s"`
	Cue           string    `json:"cue,omitempty"`
	// PoseName names Pose, from Opts.Names (empty without it).
	PoseName PoseName     `json:"pose_name"`
	Routine  RoutineState `json:"routine"`
}

// RoutineState is where a guided routine stands. Outside a routine only
// Selected and the start gesture are set.
type RoutineState struct {
	Name     string    `json:"name,omitempty"`     // the routine running, "" for none
	Selected string    `json:"selected,omitempty"` // what the gesture or a plain start would start
	Step     int       `json:"step,omitempty"`     // 1-based: the current step, or the next while resting
	Steps    int       `json:"steps,omitempty"`
	Current  StepState `json:"current"`
	Next     StepState `json:"next"` // the step after Current; empty Pose on the last
	Resting  bool      `json:"resting,omitempty"`
	RestS    float64   `json:"rest_s,omitempty"` // rest left
	HeldS    float64   `json:"held_s,omitempty"` // Current held so far
	// StartPose, held for StartHoldS, starts Selected (when no routine runs).
	StartPose  StepState `json:"start_pose"`
	StartHoldS float64   `json:"start_hold_s,omitempty"`
}

// Active reports whether a routine is running.
func (r RoutineState) Active() bool { return r.Name != "" }

// StepState is one step as shown and announced.
type StepState struct {
	Pose  string   `json:"pose,omitempty"`
	Name  PoseName `json:"name"`
	Side  string   `json:"side,omitempty"`
	HoldS float64  `json:"hold_s,omitempty"`
}

package telemetry

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/yogamirror/yogamirror/inference/session"
)

// SchemaVersion is the "schema" field of every payload this package writes.
// It changes only on incompatible changes; adding fields is compatible.
const SchemaVersion = 1

// ErrNotStamped reports an event without event_id or seq: the pipeline must
// pass events through a Stamper before any sink.
var ErrNotStamped = errors.New("telemetry: event not stamped (no event_id or seq)")

// Event is the wire form of a session.Event, published on the event topic.
type Event struct {
	Schema   int       `json:"schema"`
	EventID  string    `json:"event_id"` // 32 hex digits, unique; consumers de-duplicate by it
	DeviceID string    `json:"device_id"`
	Seq      uint64    `json:"seq"` // monotonic per device, gaps allowed
	TS       time.Time `json:"ts"`  // UTC, millisecond precision
	Type     string    `json:"type"`
	// EventType repeats Type so the payload is directly usable by Home
	// Assistant's MQTT event entity, which requires an "event_type" key.
	EventType string   `json:"event_type"`
	SessionID string   `json:"session_id"`
	Pose      string   `json:"pose,omitempty"`
	HeldS     *float64 `json:"held_s,omitempty"`   // pose and routine events
	TargetS   *float64 `json:"target_s,omitempty"` // pose events, routine_started/step_completed
	// Routine events: the routine, the step (1-based) of steps, its side,
	// whether it was skipped.
	Routine string   `json:"routine,omitempty"`
	Step    int      `json:"step,omitempty"`
	Steps   int      `json:"steps,omitempty"`
	Side    string   `json:"side,omitempty"`
	Skipped bool     `json:"skipped,omitempty"`
	Summary *Summary `json:"summary,omitempty"` // session_ended only
}

// Summary closes a session.
type Summary struct {
	Start          time.Time  `json:"start"`
	End            time.Time  `json:"end"`
	DurationS      float64    `json:"duration_s"`
	Poses          []PoseHold `json:"poses"`
	HoldsCompleted int        `json:"holds_completed"`
	HeldSTotal     float64    `json:"held_s_total"`
	// Routines followed in the session, when any.
	Routines []RoutineRun `json:"routines,omitempty"`
}

// RoutineRun is a routine followed during a session, to its end or not.
type RoutineRun struct {
	Routine   string       `json:"routine"`
	Start     time.Time    `json:"start"`
	End       time.Time    `json:"end"`
	Steps     int          `json:"steps"`
	Completed bool         `json:"completed"`
	Done      []StepResult `json:"done"` // steps completed or skipped, in order
}

// StepResult is one routine step's outcome.
type StepResult struct {
	Step    int     `json:"step"`
	Pose    string  `json:"pose"`
	Side    string  `json:"side,omitempty"`
	HeldS   float64 `json:"held_s"`
	TargetS float64 `json:"target_s"`
	Skipped bool    `json:"skipped,omitempty"`
}

// PoseHold is one pose held during a session.
type PoseHold struct {
	Pose      string  `json:"pose"`
	HeldS     float64 `json:"held_s"`
	TargetS   float64 `json:"target_s"`
	Completed bool    `json:"completed"`
}

// NewEvent converts a stamped session.Event for deviceID.
func NewEvent(deviceID string, e session.Event) (Event, error) {
	if e.ID == "" || e.Seq == 0 {
		return Event{}, ErrNotStamped
	}
	if e.Type == "" {
		return Event{}, fmt.Errorf("telemetry: event %s has no type", e.ID)
	}
	w := Event{
		Schema: SchemaVersion, EventID: e.ID, DeviceID: deviceID, Seq: e.Seq,
		TS: wireTime(e.Time), Type: string(e.Type), EventType: string(e.Type),
		SessionID: e.Session, Pose: e.Pose,
	}
	switch e.Type {
	case session.PoseStarted, session.HoldCompleted, session.PoseEnded:
		w.HeldS, w.TargetS = ptr(round3(e.HeldS)), ptr(round3(e.TargetS))
	case session.RoutineStarted:
		w.TargetS = ptr(round3(e.TargetS))
	case session.RoutineStepCompleted:
		w.HeldS, w.TargetS = ptr(round3(e.HeldS)), ptr(round3(e.TargetS))
	case session.RoutineCompleted, session.RoutineStopped:
		w.HeldS = ptr(round3(e.HeldS))
	}
	w.Routine, w.Step, w.Steps, w.Side, w.Skipped = e.Routine, e.Step, e.Steps, e.Side, e.Skipped
	if e.Summary != nil {
		w.Summary = newSummary(*e.Summary)
	}
	return w, nil
}

func newSummary(s session.Summary) *Summary {
	w := &Summary{
		Start: wireTime(s.Start), End: wireTime(s.End), DurationS: round3(s.DurationS),
		Poses: make([]PoseHold, 0, len(s.Poses)), HoldsCompleted: s.Holds, HeldSTotal: round3(s.HeldS),
	}
	for _, p := range s.Poses {
		w.Poses = append(w.Poses, PoseHold{Pose: p.Pose, HeldS: round3(p.HeldS), TargetS: round3(p.TargetS), Completed: p.Completed})
	}
	for _, r := range s.Routines {
		run := RoutineRun{Routine: r.Routine, Start: wireTime(r.Start), End: wireTime(r.End), Steps: r.Steps,
			Completed: r.Completed, Done: make([]StepResult, 0, len(r.Done))}
		for _, d := range r.Done {
			run.Done = append(run.Done, StepResult{Step: d.Step, Pose: d.Pose, Side: d.Side,
				HeldS: round3(d.HeldS), TargetS: round3(d.TargetS), Skipped: d.Skipped})
		}
		w.Routines = append(w.Routines, run)
	}
	return w
}

// MarshalEvent is NewEvent followed by json.Marshal.
func MarshalEvent(deviceID string, e session.Event) ([]byte, error) {
	w, err := NewEvent(deviceID, e)
	if err != nil {
		return nil, err
	}
	return json.Marshal(w)
}

// DecodeEvent parses an event payload and checks its schema version.
func DecodeEvent(b []byte) (Event, error) {
	var e Event
	if err := json.Unmarshal(b, &e); err != nil {
		return Event{}, fmt.Errorf("telemetry: event: %w", err)
	}
	if e.Schema != SchemaVersion {
		return Event{}, fmt.Errorf("telemetry: event schema %d, want %d", e.Schema, SchemaVersion)
	}
	return e, nil
}

// State is the retained state payload: what the mirror shows now plus the
// daily counters.
type State struct {
	Schema         int       `json:"schema"`
	DeviceID       string    `json:"device_id"`
	TS             time.Time `json:"ts"`
	Person         bool      `json:"person"`
	Pose           string    `json:"pose"` // "" when no stable pose
	Confidence     float64   `json:"confidence"`
	HeldS          float64   `json:"held_s"`
	TargetS        float64   `json:"target_s"`
	Completed      bool      `json:"completed"`
	SessionActive  bool      `json:"session_active"`
	SessionS       float64   `json:"session_s"`
	Cue            string    `json:"cue,omitempty"`
	SessionsToday  int       `json:"sessions_today"`
	LastSessionMin float64   `json:"last_session_min"` // 0 before the first session
	// PoseName is the pose's display name, when the classifier has one.
	PoseName string `json:"pose_name,omitempty"`
	// The routine running ("" for none), its step (1-based, the upcoming
	// one while resting) of steps, and the routine start_routine or the
	// start gesture would start.
	Routine         string `json:"routine"`
	RoutineStep     int    `json:"routine_step"`
	RoutineSteps    int    `json:"routine_steps"`
	RoutineSelected string `json:"routine_selected"`
	// Problems the device needs a person for (a full disk…); absent when
	// there are none.
	Problems []Problem `json:"problems,omitempty"`
}

// NewState converts a session.State; the daily counters are read at s.Time.
func NewState(deviceID string, s session.State, d Daily) State {
	today, lastMin := d.At(s.Time)
	return State{
		Schema: SchemaVersion, DeviceID: deviceID, TS: wireTime(s.Time),
		Person: s.Person, Pose: s.Pose, Confidence: round3(float64(s.Confidence)),
		HeldS: round1(s.HeldS), TargetS: round1(s.TargetS), Completed: s.Completed,
		SessionActive: s.SessionActive, SessionS: round1(s.SessionS), Cue: s.Cue,
		SessionsToday: today, LastSessionMin: round1(lastMin), PoseName: s.PoseName.Name,
		Routine: s.Routine.Name, RoutineStep: s.Routine.Step, RoutineSteps: s.Routine.Steps,
		RoutineSelected: s.Routine.Selected,
	}
}

// SameContent reports whether two states differ only in their timestamp,
// so a publisher can skip a redundant retained update.
func (s State) SameContent(o State) bool {
	if !slices.Equal(s.Problems, o.Problems) {
		return false
	}
	s.TS, o.TS = time.Time{}, time.Time{}
	s.Problems, o.Problems = nil, nil
	return reflect.DeepEqual(s, o)
}

// CommandError is published on the error topic when a command is rejected.
type CommandError struct {
	Schema    int       `json:"schema"`
	DeviceID  string    `json:"device_id"`
	TS        time.Time `json:"ts"`
	Type      string    `json:"type"` // always "command_error"
	CommandID string    `json:"command_id,omitempty"`
	Error     string    `json:"error"`
}

// NewCommandError describes a rejected command. The message is cut to 200
// bytes; the offending payload itself is never echoed.
func NewCommandError(deviceID string, now time.Time, commandID string, err error) CommandError {
	msg := err.Error()
	if len(msg) > 200 {
		msg = strings.ToValidUTF8(msg[:200], "") + "…"
	}
	return CommandError{Schema: SchemaVersion, DeviceID: deviceID, TS: wireTime(now),
		Type: "command_error", CommandID: commandID, Error: msg}
}

func wireTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

func round3(v float64) float64 { return roundTo(v, 1000) }
func round1(v float64) float64 { return roundTo(v, 10) }

func roundTo(v, scale float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0 // JSON cannot carry them
	}
	return math.Round(v*scale) / scale
}

func ptr(v float64) *float64 { return &v }

// SessionEvent turns a logged or received event back into the event that
// was logged: the inverse of NewEvent.
func (w Event) SessionEvent() session.Event {
	e := session.Event{ID: w.EventID, Seq: w.Seq, Type: session.EventType(w.Type), Time: w.TS,
		Session: w.SessionID, Pose: w.Pose, Routine: w.Routine, Step: w.Step, Steps: w.Steps, Side: w.Side, Skipped: w.Skipped}
	if w.HeldS != nil {
		e.HeldS = *w.HeldS
	}
	if w.TargetS != nil {
		e.TargetS = *w.TargetS
	}
	if s := w.Summary; s != nil {
		e.Summary = &session.Summary{Start: s.Start, End: s.End, DurationS: s.DurationS,
			Holds: s.HoldsCompleted, HeldS: s.HeldSTotal, Poses: []session.PoseHold{}}
		for _, p := range s.Poses {
			e.Summary.Poses = append(e.Summary.Poses, session.PoseHold(p))
		}
		for _, r := range s.Routines {
			run := session.RoutineRun{Routine: r.Routine, Start: r.Start, End: r.End, Steps: r.Steps,
				Completed: r.Completed, Done: []session.StepResult{}}
			for _, d := range r.Done {
				run.Done = append(run.Done, session.StepResult(d))
			}
			e.Summary.Routines = append(e.Summary.Routines, run)
		}
	}
	return e
}

package telemetry

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"

	"github.com/yogamirror/yogamirror/inference/session"
)

func indent(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

var t0 = time.Date(2026, 3, 14, 7, 30, 0, 123456789, time.FixedZone("CET", 3600))

func sampleEvents() map[string]session.Event {
	base := session.Event{ID: "6f1c0d3e9a8b47f2b1c4d5e6f7a8b9c0", Time: t0, Session: "s-20260314-0730"}
	with := func(seq uint64, typ session.EventType, f func(*session.Event)) session.Event {
		e := base
		e.Seq, e.Type = seq, typ
		if f != nil {
			f(&e)
		}
		return e
	}
	return map[string]session.Event{
		"session_started": with(41, session.SessionStarted, nil),
		"hold_completed": with(43, session.HoldCompleted, func(e *session.Event) {
			e.Pose, e.HeldS, e.TargetS = "tree", 30.00049, 30
		}),
		"session_ended": with(45, session.SessionEnded, func(e *session.Event) {
			e.Summary = &session.Summary{
				Start: t0.Add(-10 * time.Minute), End: t0, DurationS: 600,
				Poses: []session.PoseHold{{Pose: "tree", HeldS: 31.2, TargetS: 30, Completed: true},
					{Pose: "warrior", HeldS: 12.5, TargetS: 30}},
				Holds: 1, HeldS: 43.7,
				Routines: []session.RoutineRun{{Routine: "Morning balance", Start: t0.Add(-9 * time.Minute), End: t0.Add(-5 * time.Minute),
					Steps: 3, Done: []session.StepResult{
						{Step: 1, Pose: "tree", Side: "left", HeldS: 30.0004, TargetS: 30},
						{Step: 2, Pose: "tree", Side: "right", HeldS: 4.2, TargetS: 30, Skipped: true}}}},
			}
		}),
		"routine_started": with(46, session.RoutineStarted, func(e *session.Event) {
			e.Routine, e.Step, e.Steps, e.Pose, e.Side, e.TargetS = "Morning balance", 1, 3, "tree", "left", 30
		}),
		"routine_step_completed": with(47, session.RoutineStepCompleted, func(e *session.Event) {
			e.Routine, e.Step, e.Steps, e.Pose, e.Side, e.HeldS, e.TargetS = "Morning balance", 1, 3, "tree", "left", 30.0004, 30
		}),
		"routine_completed": with(48, session.RoutineCompleted, func(e *session.Event) {
			e.Routine, e.Step, e.Steps, e.Pose, e.HeldS = "Morning balance", 3, 3, "chair", 90.1
		}),
	}
}

func TestEventGolden(t *testing.T) {
	for name, e := range sampleEvents() {
		t.Run(name, func(t *testing.T) {
			w, err := NewEvent("mirror-1", e)
			if err != nil {
				t.Fatal(err)
			}
			testkit.Golden(t, "event_"+name+".json", indent(t, w))
			b, _ := json.Marshal(w)
			back, err := DecodeEvent(b)
			if err != nil {
				t.Fatal(err)
			}
			if back.EventID != e.ID || back.Seq != e.Seq || back.EventType != string(e.Type) {
				t.Errorf("round trip = %+v", back)
			}
			// The log keeps what the session said (rounded to the ms).
			if se := back.SessionEvent(); se.Routine != e.Routine || se.Step != e.Step || se.Side != e.Side ||
				(e.Summary != nil && len(se.Summary.Routines) != len(e.Summary.Routines)) {
				t.Errorf("SessionEvent = %+v", se)
			}
		})
	}
}

func TestNewEventErrors(t *testing.T) {
	tests := []struct {
		name string
		e    session.Event
		want error
	}{
		{name: "no id", e: session.Event{Seq: 1, Type: session.PoseStarted}, want: ErrNotStamped},
		{name: "no seq", e: session.Event{ID: "x", Type: session.PoseStarted}, want: ErrNotStamped},
		{name: "no type", e: session.Event{ID: "x", Seq: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewEvent("m", tt.e)
			if err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestDecodeEventRejectsOtherSchema(t *testing.T) {
	if _, err := DecodeEvent([]byte(`{"schema":2,"event_id":"x"}`)); err == nil {
		t.Fatal("schema 2 accepted")
	}
}

func TestStateGolden(t *testing.T) {
	d := Daily{}.Record(t0.Add(-time.Hour), 25*time.Minute+30*time.Second)
	s := session.State{Time: t0, Person: true, Pose: "tree", Confidence: 0.91234, HeldS: 12.345,
		TargetS: 30, SessionActive: true, SessionS: 95.55, Cue: "straighten your back",
		PoseName: session.PoseName{Name: "Tree", Sanskrit: "Vrksasana"},
		Routine:  session.RoutineState{Name: "Morning balance", Selected: "Morning balance", Step: 2, Steps: 3}}
	testkit.Golden(t, "state.json", indent(t, NewState("mirror-1", s, d)))
}

func TestStateSameContent(t *testing.T) {
	s := NewState("m", session.State{Time: t0, Pose: "tree", HeldS: 1}, Daily{})
	later := NewState("m", session.State{Time: t0.Add(time.Second), Pose: "tree", HeldS: 1}, Daily{})
	held := NewState("m", session.State{Time: t0, Pose: "tree", HeldS: 2}, Daily{})
	if !s.SameContent(later) {
		t.Error("states differing only in time are not SameContent")
	}
	if s.SameContent(held) {
		t.Error("states with different held_s are SameContent")
	}
}

func TestCommandErrorGolden(t *testing.T) {
	_, err := ParseCommand([]byte(`{"cmd":"set_hold_target","target_s":99999}`))
	testkit.Golden(t, "command_error.json", indent(t, NewCommandError("mirror-1", t0, "c-17", err)))
}

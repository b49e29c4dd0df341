package session

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/pose"
)

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

// seg is a stretch of frames with one prediction.
type seg struct {
	dur   time.Duration
	label string  // "" for no person
	score float32 // probability of label (the rest goes to "other")
	flip  string  // when set, every third frame predicts flip instead
}

func pred(label string, score float32) pose.Prediction {
	if label == "" {
		return pose.Prediction{Person: false}
	}
	return pose.Prediction{Person: true, Classes: []pose.Class{{Label: label, Score: score}, {Label: "other", Score: 1 - score}}}
}

// replay runs segments at 10 fps and ends the session at the end.
func replay(t *testing.T, o Opts, segs []seg) ([]Event, []State) {
	t.Helper()
	tr, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	var ev []Event
	var st []State
	now := t0
	for _, s := range segs {
		for end, i := now.Add(s.dur), 0; now.Before(end); now, i = now.Add(100*time.Millisecond), i+1 {
			p := pred(s.label, s.score)
			if s.flip != "" && i%3 == 2 {
				p = pred(s.flip, s.score)
			}
			state, e := tr.Step(now, p)
			ev, st = append(ev, e...), append(st, state)
		}
	}
	return append(ev, tr.End(now)...), st
}

func types(ev []Event) string {
	var s []string
	for _, e := range ev {
		s = append(s, string(e.Type)+":"+e.Pose)
	}
	return strings.Join(s, " ")
}

func TestSequences(t *testing.T) {
	hold15 := Opts{HoldTarget: 15 * time.Second}
	cases := []struct {
		name  string
		o     Opts
		segs  []seg
		want  string
		heldS []float64 // held_s of each pose_ended, ±0.5 s
	}{
		{"one hold", hold15, []seg{{20 * time.Second, "tree", 0.9, ""}},
			"session_started: pose_started:tree hold_completed:tree pose_ended:tree session_ended:", []float64{20}},
		{"short of target", hold15, []seg{{10 * time.Second, "tree", 0.9, ""}, {5 * time.Second, "", 0, ""}},
			"session_started: pose_started:tree pose_ended:tree session_ended:", []float64{10}},
		{"dropout within grace", hold15, []seg{{8 * time.Second, "tree", 0.9, ""}, {time.Second, "", 0, ""}, {8 * time.Second, "tree", 0.9, ""}},
			"session_started: pose_started:tree hold_completed:tree pose_ended:tree session_ended:", []float64{17}},
		{"dropout beyond grace", hold15, []seg{{8 * time.Second, "tree", 0.9, ""}, {5 * time.Second, "", 0, ""}, {8 * time.Second, "tree", 0.9, ""}},
			"session_started: pose_started:tree pose_ended:tree pose_started:tree pose_ended:tree session_ended:", []float64{8, 8}},
		{"two poses with a gap", hold15, []seg{{20 * time.Second, "tree", 0.9, ""}, {5 * time.Second, "", 0, ""}, {20 * time.Second, "chair", 0.9, ""}},
			"session_started: pose_started:tree hold_completed:tree pose_ended:tree pose_started:chair hold_completed:chair pose_ended:chair session_ended:", []float64{20, 20}},
		{"direct switch", hold15, []seg{{10 * time.Second, "tree", 0.9, ""}, {10 * time.Second, "chair", 0.9, ""}},
			"session_started: pose_started:tree pose_ended:tree pose_started:chair pose_ended:chair session_ended:", []float64{10, 10}},
		{"uncertain never enters", hold15, []seg{{20 * time.Second, "tree", 0.5, ""}}, "", nil},
		{"a wrong frame in three doesn't flicker", hold15, []seg{{10 * time.Second, "tree", 0.9, ""}, {10 * time.Second, "tree", 0.9, "chair"}},
			"session_started: pose_started:tree hold_completed:tree pose_ended:tree session_ended:", []float64{20}},
		{"per-pose target", Opts{HoldTarget: 30 * time.Second, Targets: map[string]time.Duration{"tree": 5 * time.Second}},
			[]seg{{10 * time.Second, "tree", 0.9, ""}},
			"session_started: pose_started:tree hold_completed:tree pose_ended:tree session_ended:", []float64{10}},
		{"session idles out", Opts{HoldTarget: 15 * time.Second, SessionIdle: 30 * time.Second},
			[]seg{{5 * time.Second, "tree", 0.9, ""}, {40 * time.Second, "", 0, ""}, {5 * time.Second, "tree", 0.9, ""}},
			"session_started: pose_started:tree pose_ended:tree session_ended: session_started: pose_started:tree pose_ended:tree session_ended:", []float64{5, 5}},
		{"a transition pose makes no events", hold15,
			[]seg{{20 * time.Second, "tree", 0.9, ""}, {2 * time.Second, "chair", 0.9, ""}, {20 * time.Second, "warrior", 0.9, ""}},
			"session_started: pose_started:tree hold_completed:tree pose_ended:tree pose_started:warrior hold_completed:warrior pose_ended:warrior session_ended:", []float64{20, 20}},
		{"a glimpse starts no session", hold15, []seg{{2 * time.Second, "tree", 0.9, ""}, {10 * time.Second, "", 0, ""}}, "", nil},
		{"min_pose_s is configurable", Opts{HoldTarget: 15 * time.Second, MinPose: time.Second},
			[]seg{{2 * time.Second, "tree", 0.9, ""}, {10 * time.Second, "", 0, ""}},
			"session_started: pose_started:tree pose_ended:tree session_ended:", []float64{2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev, _ := replay(t, c.o, c.segs)
			if got := types(ev); got != c.want {
				t.Fatalf("events\n got %s\nwant %s", got, c.want)
			}
			k := 0
			for _, e := range ev {
				if e.Type != PoseEnded {
					continue
				}
				if math.Abs(e.HeldS-c.heldS[k]) > 0.5 {
					t.Errorf("pose_ended %d held %.2f s, want %.1f", k, e.HeldS, c.heldS[k])
				}
				k++
			}
		})
	}
}

func TestSummaryAndState(t *testing.T) {
	ev, st := replay(t, Opts{HoldTarget: 15 * time.Second}, []seg{
		{20 * time.Second, "tree", 0.9, ""}, {5 * time.Second, "", 0, ""}, {10 * time.Second, "chair", 0.9, ""},
	})
	end := ev[len(ev)-1]
	if end.Type != SessionEnded || end.Summary == nil {
		t.Fatalf("last event %+v", end)
	}
	s := end.Summary
	if len(s.Poses) != 2 || s.Holds != 1 || math.Abs(s.HeldS-30) > 1 || math.Abs(s.DurationS-35) > 1 {
		t.Fatalf("summary %+v", s)
	}
	for _, e := range ev {
		if e.Session != end.Session {
			t.Errorf("%s has session %q, want %q", e.Type, e.Session, end.Session)
		}
	}
	mid := st[150] // 15 s into the tree hold
	if mid.Pose != "tree" || !mid.SessionActive || math.Abs(mid.HeldS-15) > 0.5 || mid.TargetS != 15 {
		t.Fatalf("state at 15 s: %+v", mid)
	}
	// The display never shows a pose that flickers in and out.
	changes := 0
	for i := 1; i < len(st); i++ {
		if st[i].Pose != st[i-1].Pose {
			changes++
		}
	}
	if changes != 3 { // "" → tree → "" → chair
		t.Fatalf("shown pose changed %d times", changes)
	}
}

func TestBadOpts(t *testing.T) {
	if _, err := New(Opts{Enter: 0.3, Exit: 0.5}); err == nil {
		t.Fatal("accepted exit > enter")
	}
}

// A long uncertain stretch before a clear pose must not count as holding.
func TestNoLongBackdate(t *testing.T) {
	ev, _ := replay(t, Opts{HoldTarget: 15 * time.Second}, []seg{
		{60 * time.Second, "tree", 0.55, ""}, {10 * time.Second, "tree", 0.9, ""},
	})
	if got := types(ev); got != "session_started: pose_started:tree pose_ended:tree session_ended:" {
		t.Fatalf("events %s", got)
	}
	if held := ev[2].HeldS; held > 11.5 || held < 9.5 {
		t.Fatalf("held %.1f s, want ≈10", held)
	}
}

// After End (a stop command), a pose that carries on starts a new session
// with a new id, from the end, not before it.
func TestEndThenCarryOn(t *testing.T) {
	tr, _ := New(Opts{HoldTarget: 15 * time.Second})
	now := t0
	var ev []Event
	step := func(d time.Duration) {
		for end := now.Add(d); now.Before(end); now = now.Add(100 * time.Millisecond) {
			_, e := tr.Step(now, pred("tree", 0.9))
			ev = append(ev, e...)
		}
	}
	step(20 * time.Second)
	stop := now
	ev = append(ev, tr.End(now)...)
	step(5 * time.Second)
	ev = append(ev, tr.End(now)...)
	var sessions []string
	for _, e := range ev {
		if e.Type == SessionStarted {
			sessions = append(sessions, e.Session)
			if len(sessions) == 2 && e.Time.Before(stop) {
				t.Errorf("second session starts at %v, before the stop at %v", e.Time, stop)
			}
		}
	}
	if len(sessions) != 2 || sessions[0] == sessions[1] {
		t.Fatalf("sessions %v", sessions)
	}
}

package session

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"time"
)

// act is a stretch of frames at 10 fps holding label ("" for nobody),
// with an optional command issued as it begins.
type act struct {
	dur   time.Duration
	label string
	cmd   *RoutineCommand
}

func playActs(t *testing.T, o Opts, acts []act) ([]Event, []State) {
	t.Helper()
	tr, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	var ev []Event
	var st []State
	now := t0
	for _, a := range acts {
		if a.cmd != nil {
			tr.Command(*a.cmd)
		}
		for end := now.Add(a.dur); now.Before(end); now = now.Add(100 * time.Millisecond) {
			s, e := tr.Step(now, pred(a.label, 0.95))
			ev, st = append(ev, e...), append(st, s)
		}
	}
	return append(ev, tr.End(now)...), st
}

// routineEvents lists the routine events as type:step:pose, with
// "(skipped)" marks.
func routineEvents(ev []Event) string {
	var s []string
	for _, e := range ev {
		if e.Routine == "" {
			continue
		}
		x := strings.TrimPrefix(string(e.Type), "routine_") + ":" + strconv.Itoa(e.Step) + ":" + e.Pose
		if e.Skipped {
			x += "(skipped)"
		}
		s = append(s, x)
	}
	return strings.Join(s, " ")
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func twoSteps(rest float64) *Routine {
	return &Routine{Name: "flow", Rest: secs(rest), Steps: []Step{{Pose: "tree", Hold: 10 * time.Second}, {Pose: "chair", Hold: 10 * time.Second}}}
}

func find(ev []Event, typ EventType, step int) *Event {
	for i := range ev {
		if ev[i].Type == typ && (step == 0 || ev[i].Step == step) {
			return &ev[i]
		}
	}
	return nil
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// A two-step routine started by command runs to routine_completed; each
// step counts its pose from the end of the rest before it, so being in the
// pose early doesn't shorten it.
func TestRoutineByCommand(t *testing.T) {
	start := &RoutineCommand{Action: StartRoutine, Routine: twoSteps(5)}
	ev, st := playActs(t, Opts{}, []act{
		{17 * time.Second, "tree", start}, // in tree from the start: rest 0–5 s, step 1 5–15 s
		{16 * time.Second, "chair", nil},  // step 2 starts at 20 s (15 + rest), done at 30 s
	})
	if got, want := routineEvents(ev), "started:1:tree step_completed:1:tree step_completed:2:chair completed:2:chair"; got != want {
		t.Fatalf("routine events\n got %s\nwant %s", got, want)
	}
	for step, at := range map[int]float64{1: 15, 2: 30} {
		e := find(ev, RoutineStepCompleted, step)
		if !near(e.HeldS, 10, 0.15) || !near(e.Time.Sub(t0).Seconds(), at, 0.15) || e.TargetS != 10 || e.Steps != 2 || e.Session == "" {
			t.Errorf("step %d: %+v; want held 10 s at %g s", step, e, at)
		}
	}
	if e := find(ev, RoutineCompleted, 0); !near(e.HeldS, 20, 0.3) {
		t.Errorf("routine_completed held %g s, want 20", e.HeldS)
	}
	sum := find(ev, SessionEnded, 0).Summary
	if len(sum.Routines) != 1 || !sum.Routines[0].Completed || len(sum.Routines[0].Done) != 2 || sum.Routines[0].Steps != 2 {
		t.Fatalf("summary routines %+v", sum.Routines)
	}
	// The state follows: resting before each step, then counting it.
	at := func(sec float64) RoutineState { return st[int(sec*10)].Routine }
	if r := at(2); !r.Resting || !near(r.RestS, 3, 0.05) || r.Step != 1 || r.Current.Pose != "tree" || r.Next.Pose != "chair" {
		t.Errorf("at 2 s: %+v", r)
	}
	if r := at(12); r.Resting || !near(r.HeldS, 7, 0.15) || r.Current.HoldS != 10 {
		t.Errorf("at 12 s: %+v", r)
	}
	if r := at(17); !r.Resting || r.Step != 2 || r.Current.Pose != "chair" || r.Next.Pose != "" {
		t.Errorf("at 17 s: %+v", r)
	}
	if r := at(31); r.Active() || r.Selected != "" {
		t.Errorf("after the routine: %+v", r)
	}
}

// The same pose twice in a row (both sides): the second step starts from
// zero after its rest although the hold never ended.
func TestRoutineSameposeBothSides(t *testing.T) {
	r := &Routine{Name: "tree both", Rest: 3 * time.Second, Steps: []Step{
		{Pose: "tree", Hold: 5 * time.Second, Side: SideLeft}, {Pose: "tree", Hold: 5 * time.Second, Side: SideRight}}}
	ev, _ := playActs(t, Opts{}, []act{{20 * time.Second, "tree", &RoutineCommand{Action: StartRoutine, Routine: r}}})
	if got := routineEvents(ev); got != "started:1:tree step_completed:1:tree step_completed:2:tree completed:2:tree" {
		t.Fatalf("routine events %s", got)
	}
	if e := find(ev, RoutineStepCompleted, 2); e.Side != SideRight || !near(e.Time.Sub(t0).Seconds(), 16, 0.15) {
		t.Errorf("step 2: %+v, want the right side done at 16 s (3 + 5 + 3 + 5)", e)
	}
}

// Holding the start pose starts the selected routine; staying in it after
// the routine ends does not start it again, a new hold does.
func TestStartGesture(t *testing.T) {
	r := &Routine{Name: "quick", Rest: 2 * time.Second, Steps: []Step{{Pose: "tree", Hold: 5 * time.Second}}}
	o := Opts{Routine: r, StartPose: "tree", StartHold: 3 * time.Second}
	ev, st := playActs(t, o, []act{
		{20 * time.Second, "tree", nil},
		{5 * time.Second, "", nil},
		{12 * time.Second, "tree", nil},
	})
	want := "started:1:tree step_completed:1:tree completed:1:tree started:1:tree step_completed:1:tree completed:1:tree"
	if got := routineEvents(ev); got != want {
		t.Fatalf("routine events\n got %s\nwant %s", got, want)
	}
	e := find(ev, RoutineStarted, 0)
	hold := find(ev, PoseStarted, 0)
	if d := e.Time.Sub(hold.Time).Seconds(); !near(d, 3, 0.15) {
		t.Errorf("routine started %.2f s into the hold, want 3", d)
	}
	if s := st[0].Routine; s.Selected != "quick" || s.StartPose.Pose != "tree" || s.StartHoldS != 3 {
		t.Errorf("idle state %+v: want the gesture announced", s)
	}
}

func TestNoGestureWithoutStartPoseOrRoutine(t *testing.T) {
	r := &Routine{Name: "quick", Steps: []Step{{Pose: "tree", Hold: time.Second}}}
	for _, o := range []Opts{{Routine: r}, {StartPose: "tree"}} {
		ev, _ := playActs(t, o, []act{{10 * time.Second, "tree", nil}})
		if got := routineEvents(ev); got != "" {
			t.Errorf("%+v: %s", o, got)
		}
	}
}

func TestSkipNextStop(t *testing.T) {
	r := &Routine{Name: "three", Rest: 4 * time.Second, Steps: []Step{
		{Pose: "tree", Hold: 5 * time.Second}, {Pose: "chair", Hold: 5 * time.Second}, {Pose: "cobra", Hold: 5 * time.Second}}}
	ev, _ := playActs(t, Opts{}, []act{
		{1 * time.Second, "", &RoutineCommand{Action: StartRoutine, Routine: r}},
		{1 * time.Second, "", &RoutineCommand{Action: SkipStep}}, // skips tree during its rest; chair's rest begins
		{1 * time.Second, "", &RoutineCommand{Action: NextStep}}, // ends chair's rest
		{3 * time.Second, "chair", nil},
		{1 * time.Second, "chair", &RoutineCommand{Action: NextStep}}, // abandons chair, cobra at once
		{1 * time.Second, "", &RoutineCommand{Action: StopRoutine}},
	})
	want := "started:1:tree step_completed:1:tree(skipped) step_completed:2:chair(skipped) stopped:3:cobra"
	if got := routineEvents(ev); got != want {
		t.Fatalf("routine events\n got %s\nwant %s", got, want)
	}
	if e := find(ev, RoutineStepCompleted, 2); !near(e.HeldS, 3, 0.5) {
		t.Errorf("chair held %.2f s before the skip, want about 3", e.HeldS)
	}
	sum := find(ev, SessionEnded, 0).Summary
	if len(sum.Routines) != 1 || sum.Routines[0].Completed || len(sum.Routines[0].Done) != 2 {
		t.Errorf("summary %+v", sum.Routines)
	}
}

// Starting a routine while one runs stops the first; the session ending
// (nobody for the idle time) stops the routine before the summary.
func TestRoutineStoppedByNewRoutineAndSessionEnd(t *testing.T) {
	a, b := twoSteps(1), &Routine{Name: "other", Steps: []Step{{Pose: "cobra", Hold: time.Minute}}}
	ev, _ := playActs(t, Opts{SessionIdle: 10 * time.Second}, []act{
		{2 * time.Second, "", &RoutineCommand{Action: StartRoutine, Routine: a}},
		{15 * time.Second, "", &RoutineCommand{Action: StartRoutine, Routine: b}},
	})
	got := types(ev)
	want := "session_started: routine_started:tree routine_stopped:tree routine_started:cobra routine_stopped:cobra session_ended:"
	if got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
	if sum := find(ev, SessionEnded, 0).Summary; len(sum.Routines) != 2 {
		t.Errorf("summary lists %d routines, want 2", len(sum.Routines))
	}
}

// Names come from Opts.Names, asked once per label, into the State.
func TestNamesInState(t *testing.T) {
	asked := map[string]int{}
	names := func(l string) PoseName {
		asked[l]++
		return PoseName{Name: strings.ToUpper(l), Sanskrit: l + "asana"}
	}
	r := twoSteps(2)
	_, st := playActs(t, Opts{Names: names}, []act{{15 * time.Second, "tree", &RoutineCommand{Action: StartRoutine, Routine: r}}})
	last := st[len(st)-1]
	if last.PoseName != (PoseName{"TREE", "treeasana"}) || last.Routine.Current.Name.Name != "CHAIR" {
		t.Errorf("state names %+v / step %+v", last.PoseName, last.Routine.Current)
	}
	for l, n := range asked {
		if n != 1 {
			t.Errorf("Names(%q) asked %d times", l, n)
		}
	}
}

func TestValidateRoutine(t *testing.T) {
	known := func(p string) bool { return p == "tree" || p == "chair" }
	bad := Routine{Where: "r.yaml:1", Rest: -time.Second, Steps: []Step{
		{Pose: "lotus", Hold: time.Second, Where: "r.yaml:4"},
		{Pose: "tree", Hold: -time.Second, Side: "up", Where: "r.yaml:6"},
		{Where: "r.yaml:9", Hold: time.Second},
	}}
	err := bad.Validate(known)
	for _, want := range []string{"r.yaml:1: a routine needs a name", "r.yaml:1: rest -1s is negative",
		`r.yaml:4: step 1: unknown pose "lotus"`, "r.yaml:6: step 2: hold -1s", `r.yaml:6: step 2: side "up"`, "r.yaml:9: step 3 has no pose"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate: %v\nwant it to say %q", err, want)
		}
	}
	if err := (Routine{Name: "empty", Where: "e.yaml:1"}).Validate(known); err == nil || !strings.Contains(err.Error(), `e.yaml:1: routine "empty" has no steps`) {
		t.Errorf("no steps: %v", err)
	}
	if err := twoSteps(0).Validate(known); err != nil {
		t.Errorf("good routine: %v", err)
	}
}

package display

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"

	"github.com/yogamirror/yogamirror/inference/session"
)

var t0 = time.Date(2025, 3, 1, 7, 30, 0, 0, time.UTC)

// goldenStates covers every screen the renderer has.
var goldenStates = []struct {
	name string
	s    session.State
}{
	{"idle", session.State{Time: t0}},
	{"ready", session.State{Time: t0, Person: true, SessionActive: true, SessionS: 65}},
	{"away", session.State{Time: t0, SessionActive: true, SessionS: 3725}},
	{"posing_early", session.State{Time: t0, Person: true, Pose: "tree", Confidence: 0.9, HeldS: 2.4, TargetS: 30, SessionActive: true, SessionS: 80}},
	{"half_way", session.State{Time: t0, Person: true, Pose: "Warrior2", Confidence: 0.8, HeldS: 15.2, TargetS: 30, SessionActive: true, SessionS: 125}},
	{"completed", session.State{Time: t0, Person: true, Pose: "plank", HeldS: 31, TargetS: 30, Completed: true, SessionActive: true, SessionS: 200}},
	{"long_name", session.State{Time: t0, Person: true, Pose: "Pose_Dedicated_to_the_Sage_Koundinya_or_Eka_Pada_Koundinyanasana_I_and_II", HeldS: 5, TargetS: 30, SessionActive: true, SessionS: 20}},
	{"cue", session.State{Time: t0, Person: true, Pose: "dog", HeldS: 8, TargetS: 30, SessionActive: true, SessionS: 40, Cue: "straighten your arms and press your heels down"}},
	{"no_target", session.State{Time: t0, Person: true, Pose: "Adho_Mukha_Svanasana", HeldS: 75, SessionActive: true, SessionS: 400}},
	{"no_person_cue", session.State{Time: t0, Cue: "move back so your whole body is visible"}},
	{"idle_hint", session.State{Time: t0, Routine: session.RoutineState{Selected: "Morning balance",
		StartPose: session.StepState{Pose: "tree"}, StartHoldS: 3}}},
	{"routine_rest", session.State{Time: t0, Person: true, Pose: "tree", HeldS: 14, TargetS: 30, SessionActive: true, SessionS: 95,
		Routine: routine(2, true, 6.2, 0)}},
	{"routine_step", session.State{Time: t0, Person: true, Pose: "Warrior2", HeldS: 21, TargetS: 30, SessionActive: true, SessionS: 130,
		Routine: routine(2, false, 0, 12.5)}},
	{"routine_last", session.State{Time: t0, Person: true, Pose: "chair", HeldS: 30, TargetS: 30, SessionActive: true, SessionS: 200,
		Routine: routine(3, false, 0, 30), Cue: "sit back further"}},
}

// routine is a three-step routine (tree, warrior II left, chair) at step.
func routine(step int, resting bool, rest, held float64) session.RoutineState {
	steps := []session.StepState{
		{Pose: "tree", HoldS: 30},
		{Pose: "Warrior2", Side: "left", HoldS: 30, Name: session.PoseName{Name: "Warrior II", Sanskrit: "Virabhadrasana II"}},
		{Pose: "chair", HoldS: 30},
	}
	r := session.RoutineState{Name: "Morning balance", Selected: "Morning balance", Step: step, Steps: 3,
		Current: steps[step-1], Resting: resting, RestS: rest, HeldS: held}
	if step < 3 {
		r.Next = steps[step]
	}
	return r
}

var goldenLayouts = []struct {
	name string
	o    RenderOpts
}{
	{"mono", RenderOpts{Width: 128, Height: 64, Mono: true}},
	{"compact", RenderOpts{Width: 240, Height: 135}},
	{"studio", RenderOpts{Width: 320, Height: 240}},
	{"wide", RenderOpts{Width: 640, Height: 360}},
}

func TestGolden(t *testing.T) {
	for _, lay := range goldenLayouts {
		r, err := NewRenderer(lay.o)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range goldenStates {
			t.Run(lay.name+"/"+tc.name, func(t *testing.T) {
				testkit.GoldenPNG(t, tc.name+"_"+lay.name+".png", r.Render(tc.s))
			})
		}
	}
}

func TestMonoRenderIsOneBit(t *testing.T) {
	r, err := NewRenderer(RenderOpts{Width: 128, Height: 64, Mono: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range goldenStates {
		img := r.Render(tc.s)
		for i := 0; i < len(img.Pix); i += 4 {
			if v := img.Pix[i]; (v != 0 && v != 255) || img.Pix[i+1] != v || img.Pix[i+2] != v {
				t.Fatalf("%s: pixel %d is %v, want pure black or white", tc.name, i/4, img.Pix[i:i+4])
			}
		}
	}
}

func TestRendererSizes(t *testing.T) {
	tests := []struct {
		o  RenderOpts
		ok bool
	}{
		{RenderOpts{Width: 128, Height: 64, Mono: true}, true},
		{RenderOpts{Width: 128, Height: 32, Mono: true}, false},
		{RenderOpts{Width: 480, Height: 320}, true},
		{RenderOpts{Width: 320, Height: 480}, true}, // portrait: the clock shrinks to fit
		{RenderOpts{Width: 240, Height: 135}, true},
		{RenderOpts{Width: 128, Height: 64}, false},
		{RenderOpts{Width: 9000, Height: 9000}, false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%dx%d mono=%v", tc.o.Width, tc.o.Height, tc.o.Mono), func(t *testing.T) {
			r, err := NewRenderer(tc.o)
			if (err == nil) != tc.ok {
				t.Fatalf("NewRenderer: %v, want ok=%v", err, tc.ok)
			}
			if err != nil || r.studio != nil {
				return
			}
			// An hour-long hold must fit the width.
			if w := width(r.l.big, "0:00:00"); w > tc.o.Width-2*r.l.margin {
				t.Errorf("big clock is %d px wide on a %d px render", w, tc.o.Width)
			}
		})
	}
}

// On every studio screen — square and portrait TFTs, landscape ones,
// monitors either way up — the timer's digits are more than a third of
// the screen high, and clocks up to an hour fit the width.
func TestStudioClockReadsFromTheMat(t *testing.T) {
	for _, sz := range [][2]int{{240, 240}, {240, 320}, {320, 240}, {480, 320}, {640, 360}, {800, 480},
		{1024, 600}, {1280, 720}, {1920, 1080}, {1080, 1920}, {3840, 2160}} {
		t.Run(fmt.Sprintf("%dx%d", sz[0], sz[1]), func(t *testing.T) {
			r, err := NewRenderer(RenderOpts{Width: sz[0], Height: sz[1]})
			if err != nil {
				t.Fatal(err)
			}
			s := r.studio
			if s == nil {
				t.Fatal("no studio layout")
			}
			if 3*s.clock.height < sz[1] {
				t.Errorf("digits %d px high, less than a third of %d", s.clock.height, sz[1])
			}
			if w := s.clock.width("9:59"); w > s.clockW {
				t.Errorf("9:59 is %d px wide, room for %d", w, s.clockW)
			}
			if w := s.longClock.width("0:59:59"); w > s.clockW {
				t.Errorf("0:59:59 is %d px wide, room for %d", w, s.clockW)
			}
		})
	}
}

// Content is pure: the same State gives the same Content whatever came before.
func TestContentIsPure(t *testing.T) {
	r, err := NewRenderer(RenderOpts{Width: 128, Height: 64, Mono: true})
	if err != nil {
		t.Fatal(err)
	}
	fresh := map[string]Content{}
	for _, tc := range goldenStates {
		r2, _ := NewRenderer(RenderOpts{Width: 128, Height: 64, Mono: true})
		fresh[tc.name] = r2.Content(tc.s)
	}
	for i := 0; i < 2; i++ {
		for _, tc := range goldenStates {
			if got := r.Content(tc.s); got != fresh[tc.name] {
				t.Errorf("%s: Content after other states = %+v, fresh = %+v", tc.name, got, fresh[tc.name])
			}
		}
	}
}

func TestContent(t *testing.T) {
	r, err := NewRenderer(RenderOpts{Width: 128, Height: 64, Mono: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		s    session.State
		want Content
	}{
		{"idle", session.State{}, Content{Mode: ModeIdle, Title: promptIdle, Percent: -1}},
		{"ready", session.State{Person: true, SessionActive: true, SessionS: 65.7},
			Content{Mode: ModeReady, Title: promptReady, Clock: "1:05", Session: "1:05", Percent: -1}},
		{"away", session.State{SessionActive: true, SessionS: 5}, Content{Mode: ModeAway, Title: promptAway, Clock: "0:05", Session: "0:05", Percent: -1}},
		{"half", session.State{Person: true, Pose: "tree", HeldS: 15.5, TargetS: 30},
			Content{Mode: ModePose, Title: "Tree", Sanskrit: "Vrksasana", Clock: "0:15", Target: "0:30", Percent: 51}},
		{"over target, not yet marked", session.State{Pose: "tree", HeldS: 45, TargetS: 30},
			Content{Mode: ModePose, Title: "Tree", Sanskrit: "Vrksasana", Clock: "0:45", Target: "0:30", Percent: 100}},
		{"done", session.State{Pose: "tree", HeldS: 29.9, TargetS: 30, Completed: true, Cue: "relax"},
			Content{Mode: ModePose, Title: "Tree", Sanskrit: "Vrksasana", Clock: "0:29", Target: "0:30", Percent: 100, Done: true, Cue: "relax"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := r.Content(tc.s); got != tc.want {
				t.Errorf("Content = %+v\nwant      %+v", got, tc.want)
			}
		})
	}
}

// A render depends on its State alone: whatever was drawn before (cached
// glyphs, the ring's masks), it matches a fresh renderer's.
func TestRenderIsPure(t *testing.T) {
	for _, lay := range goldenLayouts {
		r, err := NewRenderer(lay.o)
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			for _, tc := range goldenStates {
				fresh, _ := NewRenderer(lay.o)
				if got, want := r.Render(tc.s), fresh.Render(tc.s); !bytes.Equal(got.Pix, want.Pix) {
					t.Errorf("%s/%s: render after others differs from a fresh one", lay.name, tc.name)
				}
			}
		}
	}
}

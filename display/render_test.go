package display

import (
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
}

var goldenLayouts = []struct {
	name string
	o    RenderOpts
}{
	{"mono", RenderOpts{Width: 128, Height: 64, Mono: true}},
	{"colour", RenderOpts{Width: 640, Height: 360}},
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
		{RenderOpts{Width: 128, Height: 64}, false},
		{RenderOpts{Width: 9000, Height: 9000}, false},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%dx%d mono=%v", tc.o.Width, tc.o.Height, tc.o.Mono), func(t *testing.T) {
			r, err := NewRenderer(tc.o)
			if (err == nil) != tc.ok {
				t.Fatalf("NewRenderer: %v, want ok=%v", err, tc.ok)
			}
			if err != nil {
				return
			}
			// An hour-long hold must fit the width.
			if w := width(r.l.big, "0:00:00"); w > tc.o.Width-2*r.l.margin {
				t.Errorf("big clock is %d px wide on a %d px render", w, tc.o.Width)
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

package audio

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/session"
)

// heard records what a Sink queued.
type heard struct{ sounds []string }

func (h *heard) Play(s Sound) bool {
	if s.Chime != 0 {
		h.sounds = append(h.sounds, "chime:"+s.Chime.String())
	} else {
		h.sounds = append(h.sounds, "say:"+s.Text)
	}
	return true
}

type stretch struct {
	dur   time.Duration
	label string
	cmd   *session.RoutineCommand
}

// listen runs a real Tracker over stretches at 10 fps and feeds the Sink as
// the pipeline does (events, then the state), noting when each sound came.
func listen(t *testing.T, o session.Opts, so SinkOpts, acts []stretch) []string {
	t.Helper()
	tr, err := session.New(o)
	if err != nil {
		t.Fatal(err)
	}
	h := &heard{}
	sink := NewSink(h, so)
	t0 := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)
	now := t0
	var out []string
	feed := func(st session.State, ev []session.Event) {
		before := len(h.sounds)
		for _, e := range ev {
			sink.Publish(context.Background(), e)
		}
		sink.Show(st)
		for _, s := range h.sounds[before:] {
			out = append(out, s+"@"+now.Sub(t0).Round(100*time.Millisecond).String())
		}
	}
	for _, a := range acts {
		if a.cmd != nil {
			tr.Command(*a.cmd)
		}
		for end := now.Add(a.dur); now.Before(end); now = now.Add(100 * time.Millisecond) {
			p := pose.Prediction{}
			if a.label != "" {
				p = pose.Prediction{Person: true, Classes: []pose.Class{{Label: a.label, Score: 0.95}, {Label: "other", Score: 0.05}}}
			}
			st, ev := tr.Step(now, p)
			feed(st, ev)
		}
	}
	return out
}

var all = SinkOpts{Chimes: true, Speech: true}

// Free practice: a chime and the name when the pose counts (held for the
// tracker's min_pose_s, 3 s), a chime at half time and at the target, once
// each; a pose passed through on the way (cobra, 2 s) stays quiet.
func TestSinkFreePractice(t *testing.T) {
	got := listen(t, session.Opts{HoldTarget: 10 * time.Second}, all, []stretch{{2 * time.Second, "cobra", nil}, {14 * time.Second, "Warrior2", nil}})
	want := "chime:recognised@5s say:Warrior 2@5s chime:half@7s chime:done@12s"
	if s := strings.Join(got, " "); s != want {
		t.Errorf("heard\n %s\nwant\n %s", s, want)
	}
}

// A routine is announced step by step: its name and first pose, the next
// pose at each rest, a chime when the rest is over, half time, the step
// done, and its end. Recognising the pose itself stays quiet.
func TestSinkRoutine(t *testing.T) {
	r := &session.Routine{Name: "Balance", Rest: 3 * time.Second, Steps: []session.Step{
		{Pose: "tree", Hold: 6 * time.Second, Side: session.SideLeft}, {Pose: "chair", Hold: 4 * time.Second}}}
	got := listen(t, session.Opts{}, all, []stretch{
		{10 * time.Second, "tree", &session.RoutineCommand{Action: session.StartRoutine, Routine: r}},
		{10 * time.Second, "chair", nil},
	})
	want := []string{
		"say:Balance. First: Tree, left side, 6 seconds@0s",
		"chime:recognised@3s", "chime:half@6s", "chime:done@9s",
		"say:Next: Chair, 4 seconds@9s",
		"chime:recognised@12s", "chime:half@14s", "chime:done@16s",
		"say:Routine complete. Well done.@16s",
	}
	if s := strings.Join(got, " "); s != strings.Join(want, " ") {
		t.Errorf("heard\n %s\nwant\n %s", s, strings.Join(want, " "))
	}
}

func TestSinkSwitches(t *testing.T) {
	acts := []stretch{{12 * time.Second, "tree", nil}}
	o := session.Opts{HoldTarget: 10 * time.Second}
	for _, tc := range []struct {
		so     SinkOpts
		prefix string
	}{{SinkOpts{Chimes: true}, "chime:"}, {SinkOpts{Speech: true}, "say:"}} {
		got := listen(t, o, tc.so, acts)
		if len(got) == 0 {
			t.Errorf("%+v: heard nothing", tc.so)
		}
		for _, s := range got {
			if !strings.HasPrefix(s, tc.prefix) {
				t.Errorf("%+v: heard %s", tc.so, s)
			}
		}
	}
}

func TestSpeakable(t *testing.T) {
	for in, want := range map[string]string{"Warrior II": "Warrior 2", "Warrior III": "Warrior 3", "Tree": "Tree", "Bharadvajasana I": "Bharadvajasana 1"} {
		if got := speakable(in); got != want {
			t.Errorf("speakable(%q) = %q, want %q", in, got, want)
		}
	}
}

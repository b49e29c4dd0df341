package audio

import (
	"context"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/session"
)

type frame struct {
	st session.State
	ev []session.Event
}

// session30 is 60 s at 10 fps from a real Tracker: a routine (announced,
// chimed) then free practice with a cue.
func session30(b *testing.B) []frame {
	r := &session.Routine{Name: "Balance", Rest: 3 * time.Second, Steps: []session.Step{
		{Pose: "tree", Hold: 10 * time.Second}, {Pose: "chair", Hold: 10 * time.Second}}}
	tr, err := session.New(session.Opts{HoldTarget: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	tr.Command(session.RoutineCommand{Action: session.StartRoutine, Routine: r})
	var out []frame
	t0 := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)
	for i := range 600 {
		label := "tree"
		if i >= 150 {
			label = "chair"
		}
		p := pose.Prediction{Person: true, Classes: []pose.Class{{Label: label, Score: 0.95}}}
		st, ev := tr.Step(t0.Add(time.Duration(i)*100*time.Millisecond), p)
		if i > 400 && i%100 < 40 {
			st.Cue = "straighten left leg"
		}
		out = append(out, frame{st, ev})
	}
	return out
}

// BenchmarkSink is what sound costs the frame loop per frame: the Sink's
// comparisons and, when something happens, queueing on a real Player
// (writing WAVs, so the worker is busy as with a speaker).
func BenchmarkSink(b *testing.B) {
	frames := session30(b)
	p, err := New(Opts{OutDir: b.TempDir(), Espeak: "/nonexistent"}) // chimes only: speech costs the worker, not the loop
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	b.Run("steady", func(b *testing.B) {
		s := NewSink(p, SinkOpts{Chimes: true, Speech: true})
		f := frames[300]
		s.Show(f.st)
		b.ReportAllocs()
		for b.Loop() {
			s.Show(f.st)
		}
	})
	b.Run("session", func(b *testing.B) {
		b.ReportAllocs()
		var s *Sink
		for i := 0; b.Loop(); i++ {
			f := frames[i%len(frames)]
			if i%len(frames) == 0 { // the session again, from the start
				s = NewSink(p, SinkOpts{Chimes: true, Speech: true})
			}
			for _, e := range f.ev {
				s.Publish(ctx, e)
			}
			s.Show(f.st)
		}
	})
}

// BenchmarkPlay is Play's cost to its caller, queue free or full.
func BenchmarkPlay(b *testing.B) {
	b.Run("full", func(b *testing.B) {
		p := &Player{q: make(chan Sound)} // nobody reads: every Play drops
		b.ReportAllocs()
		for b.Loop() {
			p.Play(Sound{Chime: ChimeDone})
		}
	})
	b.Run("queued", func(b *testing.B) {
		p := &Player{q: make(chan Sound, 1)}
		b.ReportAllocs()
		for b.Loop() {
			p.Play(Sound{Chime: ChimeDone})
			<-p.q
		}
	})
}

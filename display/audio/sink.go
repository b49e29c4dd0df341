package audio

import (
	"context"
	"strconv"
	"strings"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/inference/session"
)

// Queue is where a Sink sends sounds: a Player, or a fake in tests.
type Queue interface {
	Play(s Sound) bool
}

// SinkOpts chooses what a Sink says.
type SinkOpts struct {
	Chimes bool // recognised, half time, done
	Speech bool // pose names, routine steps, cues
}

// Sink turns the session into sounds: it is the pipeline's StateSink and
// EventSink. It only compares a few fields per frame and queues a sound
// when something worth hearing happened, so the frame loop never waits.
//
//   - a pose recognised (free practice): a chime and its name, once the
//     tracker counts it (pose_started: held past min_pose_s, so poses
//     passed through between two holds stay quiet);
//   - half time and completion of a hold or a routine step: chimes;
//   - a routine starting and each step: "Morning balance. First: Tree,
//     left side, 30 seconds", "Next: Chair, 20 seconds", a chime when the
//     rest is over; its end: "Routine complete";
//   - a new form cue: spoken.
//
// Not safe for concurrent use (the pipeline calls it from its loop).
type Sink struct {
	q        Queue
	o        SinkOpts
	last     session.State
	half     bool   // half-time chime played for the current hold or step
	announce string // a pose started: say its name with the next State's names
}

// NewSink returns a Sink queueing on q.
func NewSink(q Queue, o SinkOpts) *Sink { return &Sink{q: q, o: o} }

// Show implements the pipeline's StateSink.
func (s *Sink) Show(st session.State) error {
	r, lr := &st.Routine, &s.last.Routine
	switch {
	case r.Active():
		s.routine(r, lr)
	case st.Pose != s.last.Pose || st.HeldS+1 < s.last.HeldS: // another pose, or a new hold
		s.half = false
	}
	if s.announce != "" && s.announce == st.Pose && !r.Active() {
		s.chime(ChimeRecognised)
		s.say(speakable(name(st.Pose, st.PoseName)))
	}
	s.announce = ""
	if !r.Active() && st.Pose != "" {
		if !s.half && st.TargetS > 0 && st.HeldS >= st.TargetS/2 && !st.Completed {
			s.half = true
			s.chime(ChimeHalf)
		}
		// A hold completing as its routine ends is the step's: chimed already.
		if st.Completed && !s.last.Completed && st.Pose == s.last.Pose && !lr.Active() {
			s.chime(ChimeDone)
		}
	}
	if st.Cue != "" && st.Cue != s.last.Cue {
		s.say(st.Cue)
	}
	s.last = st
	return nil
}

// routine announces steps and chimes a step's start and half time.
func (s *Sink) routine(r, last *session.RoutineState) {
	switch {
	case r.Name != last.Name:
		s.half = false
		s.say(r.Name + ". First: " + describe(r.Current))
	case r.Step != last.Step:
		s.half = false
		s.say("Next: " + describe(r.Current))
	case last.Resting && !r.Resting:
		s.chime(ChimeRecognised) // the rest is over: into the pose
	}
	if !r.Resting && !s.half && r.Current.HoldS > 0 && r.HeldS >= r.Current.HoldS/2 && r.HeldS < r.Current.HoldS {
		s.half = true
		s.chime(ChimeHalf)
	}
}

// Publish implements the pipeline's EventSink: routine steps and ends.
func (s *Sink) Publish(_ context.Context, e session.Event) error {
	switch e.Type {
	case session.PoseStarted:
		s.announce = e.Pose
	case session.RoutineStepCompleted:
		if !e.Skipped {
			s.chime(ChimeDone)
		}
	case session.RoutineCompleted:
		s.say("Routine complete. Well done.")
	case session.RoutineStopped:
		s.say("Routine stopped.")
	}
	return nil
}

func (s *Sink) chime(c Chime) {
	if s.o.Chimes {
		s.q.Play(Sound{Chime: c})
	}
}

func (s *Sink) say(text string) {
	if s.o.Speech && text != "" {
		s.q.Play(Sound{Text: text})
	}
}

// describe words a step: "Tree, left side, 30 seconds".
func describe(st session.StepState) string {
	out := speakable(name(st.Pose, st.Name))
	if st.Side != "" {
		out += ", " + st.Side + " side"
	}
	if st.HoldS > 0 {
		out += ", " + strconv.FormatFloat(st.HoldS, 'f', -1, 64) + " seconds"
	}
	return out
}

func name(label string, n session.PoseName) string {
	if n.Name != "" {
		return n.Name
	}
	return display.Name(label).Name
}

// speakable turns Roman numerals into numbers ("Warrior II" would be
// spelt out letter by letter).
func speakable(s string) string {
	f := strings.Fields(s)
	for i, w := range f {
		switch w {
		case "I":
			f[i] = "1"
		case "II":
			f[i] = "2"
		case "III":
			f[i] = "3"
		}
	}
	return strings.Join(f, " ")
}

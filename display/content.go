package display

import (
	"math"
	"strconv"

	"github.com/yogamirror/yogamirror/inference/session"
)

// Mode is which screen a State calls for.
type Mode uint8

const (
	// ModeIdle: nobody on the mat and no session: an invitation.
	ModeIdle Mode = iota
	// ModeAway: a session is running but nobody is on the mat.
	ModeAway
	// ModeReady: someone is on the mat, no stable pose yet.
	ModeReady
	// ModePose: a pose is being held.
	ModePose
	// ModeStep: a routine step: its pose, its hold, the pose after it.
	ModeStep
	// ModeRest: the rest before a routine step: the pose to get into and
	// a countdown.
	ModeRest
)

// Prompts shown outside poses.
const (
	promptIdle  = "Step onto the mat"
	promptAway  = "Back onto the mat"
	promptReady = "Strike a pose"
)

// Content is what one frame shows, reduced to comparable values: equal
// Contents render identical images, so a Screen compares Contents and skips
// rendering and drawing when nothing visible changed. Times are whole seconds
// and progress is whole percent for that reason.
type Content struct {
	Mode     Mode
	Title    string // pose name or prompt
	Sanskrit string // "" when unknown or not a pose
	Clock    string // the big number: hold time in a pose, rest left in a rest, else session time; "" for none
	Target   string // hold target ("0:30"), "" when the pose has none
	Percent  int    // progress to the target, 0..100; -1 when there is no target
	Done     bool   // the target was reached
	Cue      string // form cue, "" for none
	Session  string // session clock ("12:05") while a session runs, else ""
	// Routines: the step ("2/5"), its side ("left"), the pose after it
	// ("Chair (right)"; "" on the last step); idle: how to start one.
	Step, Side, Next string
	Hint             string
}

// Contents computes Content for a stream of States, caching the last pose's
// names and formatted clocks so that repeated States allocate nothing. The
// zero value is ready; it is not safe for concurrent use.
type Contents struct{ cache contentCache }

// Of is what s shows. It depends on s alone; the cache only saves work.
func (c *Contents) Of(s session.State) Content { return c.cache.content(s) }

// contentCache keeps the last label's names, the last formatted clocks and
// the routine's strings so that computing Content for an unchanged State
// allocates nothing.
type contentCache struct {
	label                 string
	name                  PoseName
	hold, session, target clockCache
	routine               routineCache
}

type clockCache struct {
	sec int64
	s   string
	ok  bool
}

func (c *clockCache) format(seconds float64) string {
	sec := wholeSeconds(seconds)
	if !c.ok || c.sec != sec {
		c.sec, c.s, c.ok = sec, Clock(seconds), true
	}
	return c.s
}

// names is s's pose names: the State's own, or the display's table.
func (cc *contentCache) names(label string, given PoseName) PoseName {
	if given.Name != "" {
		return given
	}
	if label != cc.label {
		cc.label, cc.name = label, Name(label)
	}
	return cc.name
}

// content maps a State to Content. The cache only saves allocations; the
// result depends on s alone.
func (cc *contentCache) content(s session.State) Content {
	c := Content{Percent: -1, Cue: s.Cue}
	if s.SessionActive {
		c.Session = cc.session.format(s.SessionS)
	}
	if r := &s.Routine; r.Active() {
		cc.routineContent(&c, r)
		return c
	}
	switch {
	case s.Pose != "":
		c.Mode = ModePose
		n := cc.names(s.Pose, s.PoseName)
		c.Title, c.Sanskrit = n.Name, n.Sanskrit
		c.Clock = cc.hold.format(s.HeldS)
		c.Done = s.Completed
		if s.TargetS > 0 {
			c.Target = cc.target.format(s.TargetS)
			c.Percent = percent(s.HeldS, s.TargetS, s.Completed)
		}
	case s.Person:
		c.Mode, c.Title, c.Clock = ModeReady, promptReady, c.Session
	case s.SessionActive:
		c.Mode, c.Title, c.Clock = ModeAway, promptAway, c.Session
	default:
		c.Mode, c.Title = ModeIdle, promptIdle
	}
	if c.Mode == ModeIdle || c.Mode == ModeReady {
		c.Hint = cc.routine.hint(&s.Routine)
	}
	return c
}

// routineContent is a routine step, or the rest before one.
func (cc *contentCache) routineContent(c *Content, r *session.RoutineState) {
	strs := cc.routine.of(r)
	cur := cc.names(r.Current.Pose, r.Current.Name)
	c.Title, c.Sanskrit = cur.Name, cur.Sanskrit
	c.Step, c.Side, c.Next = strs.step, r.Current.Side, strs.next
	c.Target = cc.target.format(r.Current.HoldS)
	if r.Resting {
		c.Mode = ModeRest
		c.Clock = cc.hold.format(math.Ceil(r.RestS)) // a countdown shows 0:01 until it is over
		return
	}
	c.Mode = ModeStep
	c.Clock = cc.hold.format(r.HeldS)
	c.Done = r.HeldS >= r.Current.HoldS
	c.Percent = percent(r.HeldS, r.Current.HoldS, c.Done)
}

// routineCache formats a routine's strings once per step.
type routineCache struct {
	name       string
	step       int
	strs       routineStrings
	hintKey    [3]string
	hintHoldS  float64
	hintString string
}

type routineStrings struct{ step, next string }

func (rc *routineCache) of(r *session.RoutineState) routineStrings {
	if rc.name == r.Name && rc.step == r.Step && rc.strs.step != "" {
		return rc.strs
	}
	rc.name, rc.step = r.Name, r.Step
	rc.strs = routineStrings{step: strconv.Itoa(r.Step) + "/" + strconv.Itoa(r.Steps)}
	if r.Next.Pose != "" {
		n := r.Next.Name
		if n.Name == "" {
			n = Name(r.Next.Pose)
		}
		rc.strs.next = n.Name
		if r.Next.Side != "" {
			rc.strs.next += " (" + r.Next.Side + ")"
		}
	}
	return rc.strs
}

// hint tells how to start the selected routine hands-free, "" when the
// gesture is off.
func (rc *routineCache) hint(r *session.RoutineState) string {
	p := r.StartPose
	if p.Pose == "" || r.Selected == "" {
		return ""
	}
	key := [3]string{p.Pose, p.Name.Name, r.Selected}
	if key != rc.hintKey || r.StartHoldS != rc.hintHoldS {
		name := p.Name.Name
		if name == "" {
			name = Name(p.Pose).Name
		}
		rc.hintKey, rc.hintHoldS = key, r.StartHoldS
		rc.hintString = "Hold " + name + " " + strconv.FormatFloat(r.StartHoldS, 'f', -1, 64) + " s to start " + r.Selected
	}
	return rc.hintString
}

func percent(held, target float64, done bool) int {
	if done {
		return 100
	}
	p := int(math.Floor(held / target * 100))
	return max(0, min(100, p))
}

func wholeSeconds(s float64) int64 {
	if !(s > 0) { // also NaN
		return 0
	}
	return int64(math.Min(math.Floor(s), 1e9))
}

// Clock formats seconds as m:ss, or h:mm:ss from an hour, truncating (a hold
// of 29.9 s shows 0:29 so the display never claims a second not yet held).
func Clock(seconds float64) string {
	sec := wholeSeconds(seconds)
	h, m, s := sec/3600, sec/60%60, sec%60
	b := make([]byte, 0, 10)
	if h > 0 {
		b = strconv.AppendInt(b, h, 10)
		b = append(b, ':', byte('0'+m/10), byte('0'+m%10))
	} else {
		b = strconv.AppendInt(b, m, 10)
	}
	return string(append(b, ':', byte('0'+s/10), byte('0'+s%10)))
}

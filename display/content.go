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
	Clock    string // the big number: hold time in a pose, else session time; "" for none
	Target   string // hold target ("0:30"), "" when the pose has none
	Percent  int    // progress to the target, 0..100; -1 when there is no target
	Done     bool   // the target was reached
	Cue      string // form cue, "" for none
	Session  string // session clock ("12:05") while a session runs, else ""
}

// Contents computes Content for a stream of States, caching the last pose's
// names and formatted clocks so that repeated States allocate nothing. The
// zero value is ready; it is not safe for concurrent use.
type Contents struct{ cache contentCache }

// Of is what s shows. It depends on s alone; the cache only saves work.
func (c *Contents) Of(s session.State) Content { return c.cache.content(s) }

// contentCache keeps the last label's names and the last formatted clocks so
// that computing Content for an unchanged State allocates nothing.
type contentCache struct {
	label                 string
	name                  PoseName
	hold, session, target clockCache
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

// content maps a State to Content. The cache only saves allocations; the
// result depends on s alone.
func (cc *contentCache) content(s session.State) Content {
	c := Content{Percent: -1, Cue: s.Cue}
	if s.SessionActive {
		c.Session = cc.session.format(s.SessionS)
	}
	switch {
	case s.Pose != "":
		c.Mode = ModePose
		if s.Pose != cc.label {
			cc.label, cc.name = s.Pose, Name(s.Pose)
		}
		c.Title, c.Sanskrit = cc.name.English, cc.name.Sanskrit
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
	return c
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

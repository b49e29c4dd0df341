package session

import (
	"fmt"
	"math"
	"time"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// Opts configure a Tracker. Zero values take the defaults noted.
type Opts struct {
	// Tau is the EMA time constant for class probabilities (default 400 ms):
	// time-based, so a dropped frame weighs the next one more.
	Tau time.Duration
	// Enter and Exit are the smoothed probabilities at which a pose becomes
	// or stops being the shown pose (defaults 0.6 and 0.4): the gap is the
	// hysteresis that stops flicker.
	Enter, Exit float64
	// Grace is how long a hold survives the pose being lost (default 2 s).
	Grace time.Duration
	// HoldTarget is the default hold target (30 s); Targets overrides it per pose.
	HoldTarget time.Duration
	Targets    map[string]time.Duration
	// SessionIdle ends a session after this long without a pose (default 2 min).
	SessionIdle time.Duration
	// MinPose is how long a pose must be held before it counts (default
	// 3 s): a pose passed through on the way to another one (a transition)
	// produces no events and starts no session.
	MinPose time.Duration
	Cues    CueOpts
	// Names names pose labels for State.PoseName and routine steps (nil:
	// names stay empty and the display falls back to its own).
	Names func(label string) PoseName
	// Routine is the routine selected at the start (nil: none yet).
	Routine *Routine
	// StartPose, held for StartHold (default 3 s), starts the selected
	// routine hands-free; "" turns the gesture off.
	StartPose string
	StartHold time.Duration
}

func (o *Opts) defaults() {
	if o.Tau <= 0 {
		o.Tau = 400 * time.Millisecond
	}
	if o.Enter <= 0 {
		o.Enter = 0.6
	}
	if o.Exit <= 0 {
		o.Exit = 0.4
	}
	if o.Grace <= 0 {
		o.Grace = 2 * time.Second
	}
	if o.HoldTarget <= 0 {
		o.HoldTarget = 30 * time.Second
	}
	if o.SessionIdle <= 0 {
		o.SessionIdle = 2 * time.Minute
	}
	if o.MinPose <= 0 {
		o.MinPose = DefaultMinPose
	}
	if o.StartHold <= 0 {
		o.StartHold = 3 * time.Second
	}
}

// Validate reports impossible settings.
func (o Opts) Validate() error {
	o.defaults()
	// Written so that NaN fails too.
	if !(o.Exit > 0 && o.Exit < o.Enter && o.Enter < 1) {
		return fmt.Errorf("session: need 0 < exit (%g) < enter (%g) < 1 (0 means the default, 0.4 and 0.6)", o.Exit, o.Enter)
	}
	if !(o.Cues.MinScore >= 0 && o.Cues.MinScore <= 1) {
		return fmt.Errorf("session: cue min score %g, want [0, 1]", o.Cues.MinScore)
	}
	if o.Routine != nil {
		return o.Routine.Validate(nil)
	}
	return nil
}

// DefaultMinPose is Opts.MinPose's default: long enough to pass over the
// poses a body goes through between two others, short against a hold.
const DefaultMinPose = 3 * time.Second

// hold is the pose being held, or held until recently (within the grace).
// It is confirmed once held for MinPose; only then does it produce events.
type hold struct {
	pose      string
	confirmed bool
	start     time.Time // first frame the pose was the raw top class in this run
	last      time.Time // last frame it was stable and the raw top class
	target    time.Duration
	completed bool
	lost      bool // stable pose dropped; waiting out the grace period
	name      PoseName
}

func (h *hold) held() time.Duration { return h.last.Sub(h.start) }

// maxBackdate bounds, in smoothing time constants, how far before the
// stable entry a hold may start: the EMA needs about one Tau to cross Enter
// on clear evidence, so 3 covers hesitant starts without letting a long,
// uncertain stretch count as holding.
const maxBackdate = 3

// Tracker is the pure state machine. Not safe for concurrent use.
type Tracker struct {
	o        Opts
	ema      map[string]float64
	lastTime time.Time
	stable   string    // pose currently shown ("" none)
	topSince time.Time // when the current raw top class became top
	lastEnd  time.Time // when End last closed a session
	top      string
	hold     *hold
	session  *session
	cues     cuer
	names    map[string]PoseName // Opts.Names' answers

	run            *routineRun // the routine under way
	selected       *Routine
	pending        []RoutineCommand
	lastRoutineEnd time.Time
}

// New makes a Tracker.
func New(o Opts) (*Tracker, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	o.defaults()
	return &Tracker{o: o, ema: map[string]float64{}, cues: newCuer(o.Cues), names: map[string]PoseName{}, selected: o.Routine}, nil
}

// name is Opts.Names(label), asked once per label.
func (t *Tracker) name(label string) PoseName {
	if t.o.Names == nil || label == "" {
		return PoseName{}
	}
	n, ok := t.names[label]
	if !ok {
		n = t.o.Names(label)
		t.names[label] = n
	}
	return n
}

// SetHoldTarget changes one pose's target, or every pose's when p is "".
// A hold under way keeps the target it started with.
func (t *Tracker) SetHoldTarget(p string, d time.Duration) {
	if p == "" { // every pose: the per-pose targets give way too
		t.o.HoldTarget, t.o.Targets = d, nil
		return
	}
	if t.o.Targets == nil {
		t.o.Targets = map[string]time.Duration{}
	}
	t.o.Targets[p] = d
}

// SetReference replaces the form-cue reference (after a classifier reload).
func (t *Tracker) SetReference(r pose.Reference) { t.cues.o.Reference = r }

func (t *Tracker) target(p string) time.Duration {
	if d, ok := t.routineTarget(p); ok {
		return d
	}
	if d, ok := t.o.Targets[p]; ok && d > 0 {
		return d
	}
	return t.o.HoldTarget
}

// Step advances to now with one frame's prediction.
func (t *Tracker) Step(now time.Time, p pose.Prediction) (State, []Event) {
	var ev []Event
	t.smooth(now, p)
	top, _ := t.argmax()
	raw := ""
	if p.Person && len(p.Classes) > 0 {
		raw = p.Classes[0].Label
	}
	if raw != t.top {
		t.top, t.topSince = raw, now
	}
	t.updateStable(top)
	ev = t.applyCommands(now, ev)
	ev = t.updateHold(now, raw, ev)
	ev = t.updateRoutine(now, ev)
	ev = t.updateSession(now, ev)
	s := t.state(now, p)
	if t.hold != nil && !t.hold.lost {
		s.Cue = t.cues.step(now, t.hold, &p)
	} else {
		t.cues.reset()
	}
	return s, ev
}

// smooth folds the frame's probabilities into the EMA. No person counts as
// all-zero evidence, so every pose fades.
func (t *Tracker) smooth(now time.Time, p pose.Prediction) {
	dt := now.Sub(t.lastTime)
	if t.lastTime.IsZero() || dt <= 0 {
		dt = 100 * time.Millisecond
	}
	t.lastTime = now
	alpha := 1 - math.Exp(-dt.Seconds()/t.o.Tau.Seconds())
	for k, v := range t.ema {
		t.ema[k] = (1 - alpha) * v
	}
	if !p.Person {
		return
	}
	for _, c := range p.Classes {
		t.ema[c.Label] += alpha * float64(c.Score)
	}
}

func (t *Tracker) argmax() (string, float64) {
	best, bv := "", 0.0
	for k, v := range t.ema {
		if v > bv || (v == bv && k < best) {
			best, bv = k, v
		}
	}
	return best, bv
}

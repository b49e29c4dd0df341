package session

import (
	"fmt"
	"math"
	"time"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// CueOpts configure form cues. Zero values take the defaults noted.
type CueOpts struct {
	// Reference is per-pose joint statistics (from training); poses
	// without one get no cues.
	Reference pose.Reference
	Disabled  bool
	// Settle is how long a hold must last before the first cue (default 3 s).
	Settle time.Duration
	// Show is how long a cue stays up (default 4 s); MinInterval is the
	// least time from one cue's start to the next (default 10 s).
	Show, MinInterval time.Duration
	// MinScore is the keypoint confidence a joint needs to be judged (default 0.4).
	MinScore float32
	// MinOff is the least deviation, in degrees, worth a cue (default 20);
	// a joint must also be 2 standard deviations off the reference.
	MinOff float64
}

type cuer struct {
	o       CueOpts
	text    string
	shownAt time.Time
}

func newCuer(o CueOpts) cuer {
	if o.Settle <= 0 {
		o.Settle = 3 * time.Second
	}
	if o.Show <= 0 {
		o.Show = 4 * time.Second
	}
	if o.MinInterval <= 0 {
		o.MinInterval = 10 * time.Second
	}
	if o.MinScore <= 0 {
		o.MinScore = 0.4
	}
	if o.MinOff <= 0 {
		o.MinOff = 20
	}
	return cuer{o: o}
}

func (c *cuer) reset() { c.text = "" }

// step returns the cue to show now ("" for none).
func (c *cuer) step(now time.Time, h *hold, p *pose.Prediction) string {
	if c.text != "" && now.Sub(c.shownAt) < c.o.Show {
		return c.text
	}
	c.text = ""
	ref, ok := c.o.Reference[h.pose]
	if c.o.Disabled || !ok || !p.Person || now.Sub(h.start) < c.o.Settle ||
		(!c.shownAt.IsZero() && now.Sub(c.shownAt) < c.o.MinInterval) {
		return ""
	}
	if cue := Cue(&p.Pose, ref, c.o.MinScore, c.o.MinOff); cue != "" {
		c.text, c.shownAt = cue, now
	}
	return c.text
}

// Cue names the one correction for the joint furthest from the reference
// (in standard deviations), or "" when every confident joint is close enough.
func Cue(p *pose.Pose, ref map[string]pose.PairRef, minScore float32, minOff float64) string {
	best, bestZ := "", 0.0
	for _, pa := range p.PairAngles(minScore) {
		r, ok := ref[pa.Name]
		if !pa.OK || !ok {
			continue
		}
		for _, side := range []struct {
			angle float64
			stat  pose.AngleStat
			name  string
		}{{pa.Straight, r.Straight, pa.StraightSide}, {pa.Bent, r.Bent, pa.BentSide}} {
			if side.stat.N < 5 {
				continue
			}
			off := side.angle - side.stat.Mean
			z := math.Abs(off) / math.Max(side.stat.Std, 5)
			if math.Abs(off) >= math.Max(minOff, 2*side.stat.Std) && z > bestZ {
				best, bestZ = phrase(pa.Name, side.name, off < 0), z
			}
		}
	}
	return best
}

// phrase words a correction: open says the joint should open up (its angle
// is smaller than the reference).
func phrase(joint, side string, open bool) string {
	words := map[string][2]string{
		"elbow":    {"straighten %s arm", "bend %s elbow"},
		"knee":     {"straighten %s leg", "bend %s knee"},
		"shoulder": {"raise %s arm", "lower %s arm"},
		"hip":      {"open %s hip", "fold at %s hip"},
	}[joint]
	if open {
		return fmt.Sprintf(words[0], side)
	}
	return fmt.Sprintf(words[1], side)
}

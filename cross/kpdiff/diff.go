// Command kpdiff compares two `yogamirror detect` JSON Lines outputs, e.g.
// the amd64 build's and the arm64 build's (run under qemu) on the same
// images, and fails when a keypoint moved by more than a tolerance.
//
//	kpdiff [-relative] [-tol D] [-min-score S] [-median-tol D] [-score-tol S] [-same-pose] want.jsonl got.jsonl
//
// It prints the largest differences and exits 0 (within tolerance), 1 (not)
// or 2 (unreadable input or records that do not line up).
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
)

// keypoint and record mirror the fields of detect's output that are compared.
type keypoint struct {
	Part  string  `json:"part"`
	X     float64 `json:"x"`
	Y     float64 `json:"y"`
	Score float64 `json:"score"`
}

type class struct {
	Label string  `json:"label"`
	Score float64 `json:"score"`
}

type record struct {
	Source    string     `json:"source"`
	Frame     uint64     `json:"frame"`
	Width     int        `json:"width,omitempty"` // image size, when detect reports it
	Height    int        `json:"height,omitempty"`
	Person    bool       `json:"person"`
	Keypoints []keypoint `json:"keypoints"`
	Poses     []class    `json:"poses"`
}

// worst is the largest difference of one kind and where it was.
type worst struct {
	Diff  float64
	Where string // "source#frame part field"
}

func (w *worst) see(d float64, r record, part, field string) {
	if d > w.Diff || w.Where == "" {
		w.Diff, w.Where = d, fmt.Sprintf("%s#%d %s %s", r.Source, r.Frame, part, field)
	}
}

// result summarises a comparison. A keypoint's distance is the larger of
// its |Δx| and |Δy|, in pixels or, with a scale, in units of the scale
// (the image's long side: MoveNet's own unit on a letterboxed frame).
type result struct {
	Records       int
	XY            worst   // largest distance over all keypoints
	Confident     worst   // largest distance over keypoints scored ≥ minScore in both
	Score         worst   // largest keypoint score difference
	Median, P90   float64 // of the distances over all keypoints
	PoseMismatch  int     // records whose most likely pose differs
	PersonChanged int     // records whose person flag differs
}

// readRecords parses JSON Lines, skipping blank lines.
func readRecords(r io.Reader, name string) ([]record, error) {
	var out []record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for line := 1; sc.Scan(); line++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var rec record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("kpdiff: %s:%d: %w", name, line, err)
		}
		out = append(out, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("kpdiff: %s: %w", name, err)
	}
	return out, nil
}

// compareOpts: MinScore selects the keypoints counted in result.Confident;
// Scale, when set, gives the length that distances are divided by.
type compareOpts struct {
	MinScore float64
	Scale    func(record) (float64, error)
}

// compare lines up want and got record by record. An error means they
// cannot be compared (different sources, frames or keypoint lists).
func compare(want, got []record, o compareOpts) (result, error) {
	res := result{Records: len(want)}
	if len(want) != len(got) {
		return res, fmt.Errorf("kpdiff: %d records vs %d", len(want), len(got))
	}
	if len(want) == 0 {
		return res, fmt.Errorf("kpdiff: no records to compare")
	}
	var dists []float64
	for i, w := range want {
		g := got[i]
		if w.Source != g.Source || w.Frame != g.Frame {
			return res, fmt.Errorf("kpdiff: record %d is %s#%d vs %s#%d", i+1, w.Source, w.Frame, g.Source, g.Frame)
		}
		scale := 1.0
		if o.Scale != nil {
			var err error
			if scale, err = o.Scale(w); err != nil {
				return res, err
			}
		}
		if len(w.Keypoints) != len(g.Keypoints) {
			return res, fmt.Errorf("kpdiff: %s#%d: %d keypoints vs %d", w.Source, w.Frame, len(w.Keypoints), len(g.Keypoints))
		}
		for k, a := range w.Keypoints {
			b := g.Keypoints[k]
			if a.Part != b.Part {
				return res, fmt.Errorf("kpdiff: %s#%d: keypoint %d is %q vs %q", w.Source, w.Frame, k, a.Part, b.Part)
			}
			dx, dy := math.Abs(a.X-b.X)/scale, math.Abs(a.Y-b.Y)/scale
			field := "x"
			if dy > dx {
				field = "y"
			}
			d := math.Max(dx, dy)
			dists = append(dists, d)
			res.XY.see(d, w, a.Part, field)
			if math.Min(a.Score, b.Score) >= o.MinScore {
				res.Confident.see(d, w, a.Part, field)
			}
			res.Score.see(math.Abs(a.Score-b.Score), w, a.Part, "score")
		}
		if top(w.Poses) != top(g.Poses) {
			res.PoseMismatch++
		}
		if w.Person != g.Person {
			res.PersonChanged++
		}
	}
	sort.Float64s(dists)
	res.Median, res.P90 = quantile(dists, 0.5), quantile(dists, 0.9)
	return res, nil
}

// quantile of sorted values, nearest rank; 0 when there are none.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(k, 0)]
}

// top is the most likely pose label, "" when there is none.
func top(cs []class) string {
	best, label := math.Inf(-1), ""
	for _, c := range cs {
		if c.Score > best {
			best, label = c.Score, c.Label
		}
	}
	return label
}

// limits are the pass/fail thresholds; a negative value disables a check.
type limits struct {
	XY       float64 // largest distance of a keypoint scored ≥ MinScore
	MinScore float64
	Median   float64 // median distance over all keypoints
	Score    float64
	SamePose bool
}

// failures lists what exceeded the limits; empty means pass.
func (r result) failures(l limits) []string {
	var out []string
	if l.XY >= 0 && r.Confident.Diff > l.XY {
		out = append(out, fmt.Sprintf("keypoint moved %.4g > %g (%s)", r.Confident.Diff, l.XY, r.Confident.Where))
	}
	if l.Median >= 0 && r.Median > l.Median {
		out = append(out, fmt.Sprintf("median keypoint difference %.4g > %g", r.Median, l.Median))
	}
	if l.Score >= 0 && r.Score.Diff > l.Score {
		out = append(out, fmt.Sprintf("keypoint score changed %.4g > %g (%s)", r.Score.Diff, l.Score, r.Score.Where))
	}
	if l.SamePose && r.PoseMismatch > 0 {
		out = append(out, fmt.Sprintf("%d of %d records changed their most likely pose", r.PoseMismatch, r.Records))
	}
	return out
}

package train

import (
	"fmt"
	"math/rand/v2"
	"sort"

	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/pose"
)

// Example is one labelled pose.
type Example struct {
	Pose   pose.Pose
	Label  string
	Source string // file or CSV row it came from
}

// Labels are the sorted distinct labels of examples.
func Labels(ex []Example) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range ex {
		if !seen[e.Label] {
			seen[e.Label] = true
			out = append(out, e.Label)
		}
	}
	sort.Strings(out)
	return out
}

// Check rejects what would make training meaningless: no examples, a single
// class, poses with NaN or infinite values.
func Check(ex []Example) error {
	if len(ex) == 0 {
		return fmt.Errorf("train: no examples")
	}
	if l := Labels(ex); len(l) < 2 {
		return fmt.Errorf("train: only one class (%q): a classifier needs at least two", l[0])
	}
	for _, e := range ex {
		if !e.Pose.Valid() {
			return fmt.Errorf("train: %s: keypoints contain NaN or infinite values", e.Source)
		}
	}
	return nil
}

// Matrix turns examples into features; with mirror, each example is followed
// by its left/right mirror image (same label).
func Matrix(ex []Example, f classify.Features, labels []string, mirror bool) (Set, error) {
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	var s Set
	add := func(p *pose.Pose, y int) {
		x := make([]float32, f.Len())
		f.Fill(p, x)
		s.X = append(s.X, x)
		s.Y = append(s.Y, y)
	}
	for _, e := range ex {
		y, ok := idx[e.Label]
		if !ok {
			return s, fmt.Errorf("train: %s has label %q, which is not among %v", e.Source, e.Label, labels)
		}
		add(&e.Pose, y)
		if mirror {
			m := e.Pose.Mirrored()
			add(&m, y)
		}
	}
	return s, nil
}

// StratifiedSplit puts about frac of each class into the second part,
// reproducibly for a seed. Classes with one example stay in the first part.
func StratifiedSplit(labels []string, frac float64, seed uint64) (first, second []int) {
	for _, idx := range byClass(labels, seed) {
		n := int(float64(len(idx))*frac + 0.5)
		if n >= len(idx) {
			n = len(idx) - 1
		}
		second = append(second, idx[:n]...)
		first = append(first, idx[n:]...)
	}
	sort.Ints(first)
	sort.Ints(second)
	return first, second
}

// StratifiedFolds deals each class's examples round-robin into k folds.
func StratifiedFolds(labels []string, k int, seed uint64) [][]int {
	folds := make([][]int, k)
	next := 0
	for _, idx := range byClass(labels, seed) {
		for _, i := range idx {
			folds[next%k] = append(folds[next%k], i)
			next++
		}
	}
	for _, f := range folds {
		sort.Ints(f)
	}
	return folds
}

// byClass groups indices by label (labels in sorted order) and shuffles
// each group with the seed.
func byClass(labels []string, seed uint64) [][]int {
	groups := map[string][]int{}
	for i, l := range labels {
		groups[l] = append(groups[l], i)
	}
	names := make([]string, 0, len(groups))
	for n := range groups {
		names = append(names, n)
	}
	sort.Strings(names)
	rng := rand.New(rand.NewPCG(seed, 0x5851f42d4c957f2d))
	out := make([][]int, len(names))
	for i, n := range names {
		g := groups[n]
		rng.Shuffle(len(g), func(a, b int) { g[a], g[b] = g[b], g[a] })
		out[i] = g
	}
	return out
}

// Pick returns the examples at the given indices.
func Pick(ex []Example, idx []int) []Example {
	out := make([]Example, len(idx))
	for i, j := range idx {
		out[i] = ex[j]
	}
	return out
}

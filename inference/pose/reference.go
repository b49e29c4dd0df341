package pose

import "math"

// A pair is a joint on both sides of the body. Many poses are asymmetric
// (tree: one knee straight, one bent) and are done facing either way, so
// reference statistics are kept per pair as the straighter and the more bent
// of the two sides, never as "left" and "right".
var pairs = [...]struct {
	Name        string
	Left, Right int // indices into Joints
}{
	{"elbow", 0, 1}, {"shoulder", 2, 3}, {"hip", 4, 5}, {"knee", 6, 7},
}

// PairNames are the joint pairs in PairAngles order.
func PairNames() []string {
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.Name
	}
	return out
}

// PairAngle is one pair's two angles, sorted.
type PairAngle struct {
	Name string
	// Straight and Bent are the larger and smaller angle (degrees) and
	// StraightSide/BentSide say which side ("left"/"right") each is on.
	Straight, Bent         float64
	StraightSide, BentSide string
	OK                     bool // all six keypoints scored at least minScore
}

// PairAngles measures every pair.
func (p *Pose) PairAngles(minScore float32) []PairAngle {
	out := make([]PairAngle, len(pairs))
	for i, pr := range pairs {
		l, ls := p.Angle(Joints[pr.Left])
		r, rs := p.Angle(Joints[pr.Right])
		a := PairAngle{Name: pr.Name, Straight: l, Bent: r, StraightSide: "left", BentSide: "right", OK: min(ls, rs) >= minScore}
		if r > l {
			a.Straight, a.Bent, a.StraightSide, a.BentSide = r, l, "right", "left"
		}
		out[i] = a
	}
	return out
}

// AngleStat summarises one angle over a pose's examples.
type AngleStat struct {
	Mean float64 `json:"mean"`
	Std  float64 `json:"std"`
	N    int     `json:"n"`
}

// PairRef is the reference for one joint pair in one pose.
type PairRef struct {
	Straight AngleStat `json:"straight"`
	Bent     AngleStat `json:"bent"`
}

// Reference maps pose label → pair name → reference angles.
type Reference map[string]map[string]PairRef

// Accumulate adds a pose's confident pair angles to per-pair running sums;
// Finish turns them into a Reference.
type Accumulate struct {
	MinScore float32
	sums     map[string]map[string]*[2][3]float64 // [straight|bent][n, sum, sumsq]
}

// Add records one example of label.
func (a *Accumulate) Add(label string, p *Pose) {
	if a.sums == nil {
		a.sums = map[string]map[string]*[2][3]float64{}
	}
	if a.sums[label] == nil {
		a.sums[label] = map[string]*[2][3]float64{}
	}
	for _, pa := range p.PairAngles(a.MinScore) {
		if !pa.OK {
			continue
		}
		s := a.sums[label][pa.Name]
		if s == nil {
			s = &[2][3]float64{}
			a.sums[label][pa.Name] = s
		}
		for i, v := range []float64{pa.Straight, pa.Bent} {
			s[i][0]++
			s[i][1] += v
			s[i][2] += v * v
		}
	}
}

// Finish computes means and standard deviations.
func (a *Accumulate) Finish() Reference {
	ref := Reference{}
	for label, bypair := range a.sums {
		ref[label] = map[string]PairRef{}
		for name, s := range bypair {
			ref[label][name] = PairRef{Straight: stat(s[0]), Bent: stat(s[1])}
		}
	}
	return ref
}

func stat(s [3]float64) AngleStat {
	n := s[0]
	if n == 0 {
		return AngleStat{}
	}
	mean := s[1] / n
	return AngleStat{Mean: mean, Std: math.Sqrt(math.Max(0, s[2]/n-mean*mean)), N: int(n)}
}

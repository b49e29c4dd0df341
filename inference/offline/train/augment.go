package train

import (
	"math"
	"math/rand/v2"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// Augment makes jittered copies of training poses: each copy is rotated
// about the hip centre by up to ±Rotate degrees and every keypoint moved by
// Gaussian noise of Noise × the pose size. Photos are rarely level and
// keypoints are never exact; the copies teach the model both.
type Augment struct {
	Copies int     `json:"copies"`
	Rotate float64 `json:"rotate_deg"`
	Noise  float64 `json:"noise"`
}

// apply returns the jittered copies of ex (not ex itself).
func (a Augment) apply(ex []Example, seed uint64) []Example {
	if a.Copies <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(seed, 0xa0761d6478bd642f))
	out := make([]Example, 0, len(ex)*a.Copies)
	for _, e := range ex {
		for c := 0; c < a.Copies; c++ {
			out = append(out, Example{Pose: a.jitter(e.Pose, rng), Label: e.Label, Source: e.Source})
		}
	}
	return out
}

func (a Augment) jitter(p pose.Pose, rng *rand.Rand) pose.Pose {
	theta := (2*rng.Float64() - 1) * a.Rotate * math.Pi / 180
	sin, cos := float32(math.Sin(theta)), float32(math.Cos(theta))
	cx, cy := p.Center()
	sigma := float32(a.Noise) * p.Size(0)
	for k, kp := range p.Keypoints {
		x, y := kp.X-cx, kp.Y-cy
		kp.X = cx + cos*x - sin*y + sigma*float32(rng.NormFloat64())
		kp.Y = cy + sin*x + cos*y + sigma*float32(rng.NormFloat64())
		p.Keypoints[k] = kp
	}
	return p
}

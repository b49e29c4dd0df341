package train

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMergeAveragesLogits: the merged MLP's probabilities are the softmax of
// the members' mean logits.
func TestMergeAveragesLogits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var ms []*MLP
	for i := 0; i < 3; i++ {
		m := NewMLP([]int{6, 5, 4, 3}, rng)
		for _, l := range m.Layers {
			for k := range l.B {
				l.B[k] = float32(rng.NormFloat64())
			}
		}
		ms = append(ms, m)
	}
	merged := Merge(ms)
	x := []float32{0.3, -1, 0.5, 2, -0.2, 0.1}
	logits := make([]float64, 3)
	for _, m := range ms {
		acts := m.forward(x, nil)
		// recover logits from probabilities: log p up to a constant
		for c, p := range acts[len(acts)-1] {
			logits[c] += math.Log(float64(p)) / 3
		}
	}
	want := make([]float32, 3)
	for c := range want {
		want[c] = float32(logits[c])
	}
	softmax(want)
	got := merged.Predict(x)
	for c := range got {
		if math.Abs(float64(got[c]-want[c])) > 1e-5 {
			t.Fatalf("merged %v, want %v", got, want)
		}
	}
}

//go:build tflite

package train

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/tflite"
)

var testSpec = classify.Spec{
	Labels:   []string{"a", "b", "c"},
	Features: classify.Features{Kind: classify.FeatureEmbed, Scores: true, Angles: true, MinScore: 0.2},
}

func randomPose(rng *rand.Rand) pose.Pose {
	p := pose.Pose{Width: 300, Height: 300}
	for k := range p.Keypoints {
		p.Keypoints[k] = pose.Keypoint{X: float32(rng.Float64() * 300), Y: float32(rng.Float64() * 300), Score: float32(rng.Float64())}
	}
	return p
}

// checkExport runs exported models through the real runtime via the
// classify package (format detected from metadata, no labels file) and
// compares with the Go forward pass.
func checkExport(t *testing.T, data []byte, predict func([]float32) []float32, tol float64) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "classifier.tflite")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := classify.Load(classify.Opts{Path: path, TFLite: tflite.Options{Delegate: tflite.DelegateCPU}, TopK: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Format() != "yogamirror" || len(m.Labels()) != 3 {
		t.Fatalf("format %q labels %v", m.Format(), m.Labels())
	}
	rng := rand.New(rand.NewPCG(7, 7))
	worst := 0.0
	for n := 0; n < 200; n++ {
		p := randomPose(rng)
		x := make([]float32, testSpec.Features.Len())
		testSpec.Features.Fill(&p, x)
		want := predict(x)
		got, err := m.Classify(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range got.Classes {
			i := map[string]int{"a": 0, "b": 1, "c": 2}[c.Label]
			worst = math.Max(worst, math.Abs(float64(c.Score-want[i])))
		}
	}
	t.Logf("largest difference between TFLite and Go: %.2g", worst)
	if worst > tol {
		t.Fatalf("TFLite and the Go forward pass differ by %g (> %g)", worst, tol)
	}
}

func TestExportMLPMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	m := NewMLP([]int{testSpec.Features.Len(), 32, 16, 3}, rng)
	for _, l := range m.Layers {
		for i := range l.B {
			l.B[i] = float32(rng.NormFloat64() * 0.1)
		}
	}
	data, err := ExportMLP(m, testSpec)
	if err != nil {
		t.Fatal(err)
	}
	checkExport(t, data, m.Predict, 1e-5)
}

func TestExportKNNMatchesGo(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	k := &KNN{K: 5, Classes: 3}
	for n := 0; n < 60; n++ {
		p := randomPose(rng)
		x := make([]float32, testSpec.Features.Len())
		testSpec.Features.Fill(&p, x)
		k.X = append(k.X, x)
		k.Y = append(k.Y, n%3)
	}
	data, err := ExportKNN(k, testSpec)
	if err != nil {
		t.Fatal(err)
	}
	checkExport(t, data, k.Predict, 1e-5)
}

package train

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/offline/dataset"
	"github.com/yogamirror/yogamirror/inference/pose"
)

func tutorialCSV(t *testing.T, name string) []Example {
	t.Helper()
	rows, err := dataset.ReadKeypointCSV(testkit.Path(t, "data/keypoints/yoga_cg_tf_tutorial_xy/"+name), dataset.OrderXY, 0)
	if err != nil {
		t.Fatal(err)
	}
	ex := make([]Example, len(rows))
	for i, r := range rows {
		ex[i] = Example{Pose: r.Pose, Label: r.Label, Source: r.Name}
	}
	return ex
}

var quick = Opts{
	Features: DefaultFeatures, Mirror: true, TTA: true,
	Fit: FitOpts{Hidden: []int{32, 16}, Epochs: 40, Patience: 10, Seed: 7, ClassWeights: true},
}

// TestReproducible: the same data and seed give the same model, bit for bit.
func TestReproducible(t *testing.T) {
	ex := tutorialCSV(t, "train_data.csv")
	var models [2][]byte
	for i := range models {
		tr, err := Train(ex, quick)
		if err != nil {
			t.Fatal(err)
		}
		if models[i], err = tr.TFLite(); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(models[0], models[1]) {
		t.Fatal("two trainings with the same seed differ")
	}
	other := quick
	other.Fit.Seed = 8
	tr, _ := Train(ex, other)
	if b, _ := tr.TFLite(); bytes.Equal(b, models[0]) {
		t.Fatal("a different seed gave the same model")
	}
}

// TestGoldenReport trains on the TF tutorial's CG keypoints and scores its
// test CSV; the report must match testdata/tutorial_report.json (-update
// rewrites it) and stay above the tutorial's own accuracy.
func TestGoldenReport(t *testing.T) {
	tr, err := Train(tutorialCSV(t, "train_data.csv"), quick)
	if err != nil {
		t.Fatal(err)
	}
	r := tr.Score(tutorialCSV(t, "test_data.csv"))
	if r.Accuracy < 0.95 || r.N != 425 {
		t.Fatalf("accuracy %.3f on %d", r.Accuracy, r.N)
	}
	got, _ := json.MarshalIndent(r, "", "  ")
	testkit.Golden(t, "tutorial_report.json", append(got, '\n'))
}

func TestBadExamples(t *testing.T) {
	ex := tutorialCSV(t, "test_data.csv")
	var one []Example
	for _, e := range ex {
		if e.Label == "tree" {
			one = append(one, e)
		}
	}
	nan := append([]Example(nil), ex...)
	nan[3].Pose.Keypoints[pose.LeftKnee].X = float32(math.NaN())
	cases := []struct {
		name string
		ex   []Example
		want string
	}{
		{"no examples", nil, "no examples"},
		{"a single class", one, "only one class"},
		{"NaN keypoints", nan, "NaN"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Train(c.ex, quick); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
	if _, err := Train(ex, Opts{Model: "forest"}); err == nil {
		t.Fatal("unknown model accepted")
	}
}

func TestKNNAndCrossValidation(t *testing.T) {
	ex := tutorialCSV(t, "test_data.csv")
	o := Opts{Model: "knn", K: 7, Features: classify.Features{Kind: classify.FeatureEmbed}, Mirror: true}
	samples, err := CrossValidate(ex, 3, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	correct := 0
	for _, s := range samples {
		if s.Ranked[0] == s.Truth {
			correct++
		}
	}
	if len(samples) != len(ex) || float64(correct)/float64(len(ex)) < 0.9 {
		t.Fatalf("%d/%d correct", correct, len(samples))
	}
}

// TestReference: the joint-angle reference sees a tree's bent knee.
func TestReference(t *testing.T) {
	acc := pose.Accumulate{MinScore: 0.3}
	for _, e := range tutorialCSV(t, "train_data.csv") {
		acc.Add(e.Label, &e.Pose)
	}
	ref := acc.Finish()
	knee := ref["tree"]["knee"]
	if knee.Straight.N < 50 || knee.Straight.Mean < 160 || knee.Bent.Mean > 90 {
		t.Fatalf("tree knee reference %+v", knee)
	}
}

// TestDoneStopsTraining: a closed Done stops Train and CrossValidate with
// ErrStopped instead of running their epochs and folds to the end.
func TestDoneStopsTraining(t *testing.T) {
	ex := tutorialCSV(t, "train_data.csv")
	done := make(chan struct{})
	close(done)
	o := quick
	o.Fit.Done = done
	if _, err := Train(ex, o); !errors.Is(err, ErrStopped) || !strings.Contains(err.Error(), "at epoch 1") {
		t.Errorf("Train: %v, want ErrStopped at epoch 1", err)
	}
	o.Model = "knn"
	if _, err := CrossValidate(ex, 3, o, nil); !errors.Is(err, ErrStopped) {
		t.Errorf("CrossValidate: %v, want ErrStopped", err)
	}
}

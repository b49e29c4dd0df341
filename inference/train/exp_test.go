package train

import (
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/dataset"
	"github.com/yogamirror/yogamirror/inference/report"
)

func TestExperiment(t *testing.T) {
	if os.Getenv("YM_EXP") == "" {
		t.Skip()
	}
	rows, err := dataset.ReadKeypointCSV("/work/shared/data/keypoints/yoga82_test_thunder_yx/Test"+os.Getenv("YM_LEVEL")+".csv", dataset.OrderYX)
	if err != nil {
		t.Fatal(err)
	}
	var ex []Example
	for _, r := range rows {
		ex = append(ex, Example{Pose: r.Pose, Label: r.Label})
	}
	names := make([]string, len(ex))
	for i, e := range ex {
		names[i] = e.Label
	}
	folds := StratifiedFolds(names, 3, 1)
	var tr []int
	tr = append(tr, folds[1]...)
	tr = append(tr, folds[2]...)
	train, test := Pick(ex, tr), Pick(ex, folds[0])
	type cfg struct {
		name string
		o    Opts
	}
	f0 := classify.Features{Kind: classify.FeatureEmbed}
	fS := classify.Features{Kind: classify.FeatureEmbed, Scores: true}
	fA := classify.Features{Kind: classify.FeatureEmbed, Angles: true}
	fSA := classify.Features{Kind: classify.FeatureEmbed, Scores: true, Angles: true, MinScore: 0.2}
	fA2 := classify.Features{Kind: classify.FeatureEmbed, Angles: true, MinScore: 0.2}
	h := func(s ...int) []int { return s }
	drop, _ := strconv.ParseFloat(os.Getenv("YM_DROP"), 64)
	fD := classify.Features{Kind: classify.FeatureEmbed, Distances: true}
	cfgs := []cfg{
		{"mlp 256,128 distances mirror tta", Opts{Features: fD, Mirror: true, TTA: true, Fit: FitOpts{Hidden: h(256, 128), Dropout: drop, ClassWeights: true}}},
		{"mlp 256,128 plain mirror tta ens5", Opts{Features: f0, Mirror: true, TTA: true, Ensemble: 5, Fit: FitOpts{Hidden: h(256, 128), Dropout: drop, ClassWeights: true}}},
		{"mlp 512,256 plain d.5 mirror tta", Opts{Features: f0, Mirror: true, TTA: true, Fit: FitOpts{Hidden: h(512, 256), Dropout: 0.5, ClassWeights: true}}},
		{"mlp 256,128 scores mirror tta", Opts{Features: fS, Mirror: true, TTA: true, Fit: FitOpts{Hidden: h(256, 128), Dropout: drop, ClassWeights: true}}},
	}
	_, _, _, _ = fA, fA2, fSA, fD
	for _, c := range cfgs {
		start := time.Now()
		m, err := Train(train, c.o)
		if err != nil {
			t.Fatal(err)
		}
		r := m.Score(test)
		samples := make([]report.Sample, 0)
		_ = samples
		fmt.Printf("%-45s acc %.2f%% top5 %.2f%% epochs %d  %.0fs\n", c.name, 100*r.Accuracy, 100*r.Top5, len(m.History), time.Since(start).Seconds())
	}
}

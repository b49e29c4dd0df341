//go:build opencv && tflite

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// TestNoSilentWrongResults: inputs that used to give a plausible but wrong
// answer with exit 0 are errors (or, for duplicates, said and counted
// once).
func TestNoSilentWrongResults(t *testing.T) {
	models := modelsDir(t)
	three := smallTree(t, "data/yoga_cg/test", []string{"chair", "tree", "warrior"}, 0, 2)
	one := smallTree(t, "data/yoga_cg/test", []string{"chair", "tree", "warrior"}, 0, 1)
	csv := testkit.Path(t, "data/keypoints/yoga_cg_tf_tutorial_xy/test_data.csv")
	photo := filepath.Join(three, "tree", firstFile(t, filepath.Join(three, "tree")))
	for _, tc := range []struct {
		name string
		args []string
		fail bool
		want []string
	}{
		{"eval: map to a label the classifier lacks", []string{"eval", "--models", models, "--cache", "",
			"--map", "chair=chair,tree=treee", three}, true,
			[]string{`the classifier has no label "treee" (its labels: chair, cobra, dog, tree, warrior)`}},
		{"eval: map names a missing folder", []string{"eval", "--models", models, "--cache", "",
			"--map", "chair=chair,tree=tree,warior=warrior", three}, true,
			[]string{`--map names "warior", but no class folder`}},
		{"eval: unmapped folders the classifier lacks", []string{"eval", "--models", models, "--cache", "",
			smallTree(t, "data/yoga5_photos", []string{"Tree"}, 0, 1)}, true, []string{`no label "Tree"`}},
		{"train: map names a missing class", []string{"train", "--models", models, "--cache", "", "--out", t.TempDir(),
			"--order", "xy", "--map", "chair=chair,cobra=cobra,dogg=dog", csv}, true,
			[]string{`--map names "dogg", but no class folder or CSV label in the datasets is called that`}},
		{"train: the same CSV twice", []string{"train", "--models", models, "--cache", "", "--out", t.TempDir(),
			"--order", "xy", "--epochs", "5", csv, csv}, false,
			[]string{"test_data.csv: the same dataset as " + csv + "; counted once", "test_data.csv: 425 examples"}},
		{"train: k-NN on one photo per class", []string{"train", "--models", models, "--cache", "", "--out", t.TempDir(),
			"--model", "knn", "--k", "1", one}, false,
			[]string{`validation: none: every class has fewer than the 5 examples it takes to hold one out at --val 0.1 ("chair" has 1)`}},
		{"train: MLP on one photo per class", []string{"train", "--models", models, "--cache", "", "--out", t.TempDir(), one}, true,
			[]string{"no validation examples for early stopping"}},
		{"detect: the same photo twice", []string{"detect", "--models", models, photo, photo}, false,
			[]string{"the same input as " + photo + "; detected once"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := runCLI(t, tc.args...)
			if (code != 0) != tc.fail {
				t.Errorf("exit %d, want failure %v:\n%s%s", code, tc.fail, out, errs)
			}
			for _, w := range tc.want {
				if !strings.Contains(out+errs, w) {
					t.Errorf("output does not say %q:\n%s%s", w, out, errs)
				}
			}
			if strings.HasPrefix(tc.name, "detect") && strings.Count(out, "\n") != 1 {
				t.Errorf("detect printed %d lines for one photo given twice", strings.Count(out, "\n"))
			}
			if strings.Contains(tc.name, "CSV twice") && strings.Count(errs, "425 examples") != 1 {
				t.Errorf("the CSV was loaded %d times", strings.Count(errs, "425 examples"))
			}
		})
	}
}

func firstFile(t *testing.T, dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) == 0 {
		t.Fatalf("%s: %v", dir, err)
	}
	return entries[0].Name()
}

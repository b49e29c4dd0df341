//go:build opencv && tflite

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// smallTree copies n photos per class from a shared class-folder tree.
func smallTree(t *testing.T, rel string, classes []string, skip, n int) string {
	t.Helper()
	dir := t.TempDir()
	for _, c := range classes {
		src := testkit.Path(t, filepath.Join(rel, c))
		files, _ := os.ReadDir(src)
		os.MkdirAll(filepath.Join(dir, c), 0o755)
		for _, f := range files[skip : skip+n] {
			data, err := os.ReadFile(filepath.Join(src, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(dir, c, f.Name()), data, 0o644)
		}
	}
	return dir
}

// TestTrainThenEval trains on a few real photos, checks every output file,
// and evaluates the exported model without a labels file.
func TestTrainThenEval(t *testing.T) {
	classes := []string{"chair", "tree", "warrior"}
	trainDir := smallTree(t, "data/yoga_cg/train", classes, 0, 12)
	testDir := smallTree(t, "data/yoga_cg/test", classes, 0, 5)
	out := filepath.Join(t.TempDir(), "model")
	cache := t.TempDir()
	stdout, errs, code := runCLI(t, "train", "--models", modelsDir(t), "--cache", cache, "--out", out,
		"--epochs", "60", "--val", "0.2", "--test", testDir, trainDir)
	if code != 0 {
		t.Fatalf("train exit %d: %s", code, errs)
	}
	for _, f := range []string{"classifier.tflite", "labels.txt", "report.json", "report.md", "confusion.png", "angles.json", "training.png"} {
		if st, err := os.Stat(filepath.Join(out, f)); err != nil || st.Size() == 0 {
			t.Errorf("missing output %s: %v", f, err)
		}
	}
	if !strings.Contains(stdout, "TFLite vs Go") {
		t.Errorf("train output: %s", stdout)
	}
	md, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(md), "| tree |") {
		t.Errorf("report.md lacks the per-class table:\n%s", md)
	}
	stdout, errs, code = runCLI(t, "eval", "--models", modelsDir(t), "--cache", cache,
		"--classifier", filepath.Join(out, "classifier.tflite"), testDir)
	if code != 0 {
		t.Fatalf("eval exit %d: %s", code, errs)
	}
	k, n, _ := lastLine(t, stdout)
	if n != 15 || k < 12 {
		t.Fatalf("eval of the trained model: %d/%d", k, n)
	}
}

func TestTrainBadInputs(t *testing.T) {
	one := smallTree(t, "data/yoga_cg/train", []string{"tree"}, 0, 3)
	empty := t.TempDir()
	os.MkdirAll(filepath.Join(empty, "tree"), 0o755)
	csv := testkit.Path(t, "data/keypoints/yoga_cg_tf_tutorial_xy/test_data.csv")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"single class", []string{one}, "only one class"},
		{"empty class folder", []string{empty}, "has no images"},
		{"CSV without --order", []string{csv}, "--order"},
		{"bad features", []string{"--features", "colour", csv}, "unknown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"train", "--models", modelsDir(t), "--cache", "", "--out", t.TempDir()}, c.args...)
			_, errs, code := runCLI(t, args...)
			if code == 0 || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q; want failure mentioning %q", code, errs, c.want)
			}
		})
	}
}

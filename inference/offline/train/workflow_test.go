//go:build tflite

package train

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestRunWritesTheModelFolder: Run leaves the six outputs, the report's
// scores are the exported model's, and a second run replaces the model in
// place without leaving a staged file.
func TestRunWritesTheModelFolder(t *testing.T) {
	dir := t.TempDir()
	j := Job{Out: dir, Opts: quick, Tests: map[string][]Example{"tutorial test": tutorialCSV(t, "test_data.csv")}}
	for run := 0; run < 2; run++ {
		r, err := Run(tutorialCSV(t, "train_data.csv"), j)
		if err != nil {
			t.Fatal(err)
		}
		if r.Validation.N == 0 || r.Tests["tutorial test"].N != 425 {
			t.Fatalf("scored %d validation and %d test examples, want >0 and 425", r.Validation.N, r.Tests["tutorial test"].N)
		}
		if acc := r.Tests["tutorial test"].Accuracy; acc < 0.8 {
			t.Errorf("test accuracy %.3f, want ≥ 0.8 for the tutorial's own data", acc)
		}
		if r.TFLiteVsGo > 1e-5 {
			t.Errorf("exported model differs from the Go forward pass by %g", r.TFLiteVsGo)
		}
	}
	for _, f := range []string{ModelFile, LabelsFile, "angles.json", "report.json", "report.md", "confusion.png",
		"training.png", "confusion_tutorial_test.png"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ModelFile+".new")); !os.IsNotExist(err) {
		t.Errorf("staged model left behind: %v", err)
	}
	var r Report
	b, _ := os.ReadFile(filepath.Join(dir, "report.json"))
	if err := json.Unmarshal(b, &r); err != nil || len(r.Spec.Labels) != 5 {
		t.Errorf("report.json: %v, labels %v", err, r.Spec.Labels)
	}
}

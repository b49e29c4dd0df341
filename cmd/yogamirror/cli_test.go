//go:build opencv && tflite

package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"image"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/device/camera/capture"
)

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), code
}

func modelsDir(t *testing.T) string {
	return filepath.Dir(testkit.MoveNet(t))
}

// TestDetectTruth runs `detect` on TF's test images and checks every
// keypoint against the ground truth within TF's 21 px.
func TestDetectTruth(t *testing.T) {
	dir := testkit.Path(t, "data/tf_pose_test_images")
	out, errs, code := runCLI(t, "detect", "--models", modelsDir(t), filepath.Join(dir, "image1.png"), filepath.Join(dir, "image2.jpeg"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	f, err := os.Open(filepath.Join(dir, "pose_landmark_truth.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := csv.NewReader(f).ReadAll()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines of output, want 2", len(lines))
	}
	for i, line := range lines {
		var d detectLine
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Keypoints) != 17 || len(d.Poses) != 3 || !d.Person {
			t.Fatalf("line %d: %d keypoints, %d poses, person %v", i, len(d.Keypoints), len(d.Poses), d.Person)
		}
		for k, kp := range d.Keypoints {
			x, _ := strconv.ParseFloat(rows[i+1][2*k], 64)
			y, _ := strconv.ParseFloat(rows[i+1][2*k+1], 64)
			if dd := math.Max(math.Abs(float64(kp.X)-x), math.Abs(float64(kp.Y)-y)); dd > 21 {
				t.Errorf("%s %s: %.1f px off", d.Source, kp.Part, dd)
			}
		}
	}
}

// TestDetectVideo synthesises a video from a real photo with OpenCV and
// checks one line per frame, in order, with the same person found.
func TestDetectVideo(t *testing.T) {
	data, err := os.ReadFile(testkit.Path(t, "data/tf_pose_test_images/image1.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := capture.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "clip.avi")
	frames := make([]image.Image, 12)
	for i := range frames {
		frames[i] = img
	}
	if err := capture.WriteVideo(path, 10, frames); err != nil {
		t.Fatal(err)
	}
	ann := t.TempDir()
	out, errs, code := runCLI(t, "detect", "--models", modelsDir(t), "--annotate", ann, path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 12 {
		t.Fatalf("%d lines for 12 frames", len(lines))
	}
	for i, line := range lines {
		var d detectLine
		json.Unmarshal([]byte(line), &d)
		if d.Frame != uint64(i) || math.Abs(d.TimeS-float64(i)/10) > 0.01 || !d.Person {
			t.Errorf("line %d: frame %d time %.3f person %v", i, d.Frame, d.TimeS, d.Person)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(ann, "clip_*.jpg")); len(files) != 12 {
		t.Errorf("%d annotated frames, want 12", len(files))
	}
}

var summaryLine = regexp.MustCompile(`^accuracy (\d+)/(\d+) = ([0-9.]+)%$`)

func lastLine(t *testing.T, out string) (k, n int, p float64) {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	m := summaryLine.FindStringSubmatch(lines[len(lines)-1])
	if m == nil {
		t.Fatalf("last line %q is not 'accuracy K/N = P%%'", lines[len(lines)-1])
	}
	k, _ = strconv.Atoi(m[1])
	n, _ = strconv.Atoi(m[2])
	p, _ = strconv.ParseFloat(m[3], 64)
	return k, n, p
}

// TestEvalGoogleClassifierCG reproduces the reference: MoveNet Lightning
// int8 + Google's classifier on the whole yoga_cg test split ≥ 96 %.
func TestEvalGoogleClassifierCG(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 495 images through MoveNet")
	}
	dir := testkit.Path(t, "data/yoga_cg/test")
	report := filepath.Join(t.TempDir(), "report.json")
	out, errs, code := runCLI(t, "eval", "--models", modelsDir(t), "--cache", "", "--json", report,
		"--map", "chair=chair,cobra=cobra,dog=dog,tree=tree,warrior=warrior", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	k, n, p := lastLine(t, out)
	t.Logf("yoga_cg/test: %d/%d = %.2f%%", k, n, p)
	if n != 495 || p < 96 {
		t.Fatalf("accuracy %d/%d = %.2f%%, want N = 495 and ≥ 96%%", k, n, p)
	}
	var r evalJSON
	data, _ := os.ReadFile(report)
	if err := json.Unmarshal(data, &r); err != nil || len(r.Confusion) != 5 || r.Timing.Estimated != 495 {
		t.Fatalf("report: %v, %d rows, %d estimated", err, len(r.Confusion), r.Timing.Estimated)
	}
}

// TestEvalCountsUndecodable builds a small tree with a broken file: N counts
// it, as a miss, and unmapped folders are skipped.
func TestEvalCountsUndecodable(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ folder, src string }{
		{"tree", "data/yoga_cg/test/tree/guy3_tree085.jpg"},
		{"chair", "data/yoga_cg/test/chair/guy3_chair070.jpg"},
		{"other", "data/yoga_cg/test/chair/guy3_chair070.jpg"},
	} {
		os.MkdirAll(filepath.Join(dir, c.folder), 0o755)
		data, err := os.ReadFile(testkit.Path(t, c.src))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, c.folder, "a.jpg"), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "tree", "broken.jpg"), []byte("<html>gone</html>"), 0o644)
	out, errs, code := runCLI(t, "eval", "--models", modelsDir(t), "--cache", "", "--map", "tree=tree,chair=chair", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	k, n, _ := lastLine(t, out)
	if n != 3 || k != 2 || !strings.Contains(out, "broken.jpg") {
		t.Fatalf("got %d/%d (want 2/3, the broken file counted as wrong):\n%s", k, n, out)
	}
}

func TestEvalBadInputs(t *testing.T) {
	dir := testkit.Path(t, "data/yoga_cg/test")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"incompatible classifier", []string{"--classifier", testkit.Path(t, "models/incompatible/pose_classifier.tflite")}, "FULLY_CONNECTED"},
		{"missing classifier", []string{"--classifier", "/nonexistent.tflite"}, "no such file"},
		{"map names a missing folder", []string{"--map", "nope=tree"}, `"nope"`},
		{"bad map", []string{"--map", "tree"}, "folder=label"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append(append([]string{"eval", "--models", modelsDir(t), "--cache", ""}, c.args...), dir)
			_, errs, code := runCLI(t, args...)
			if code == 0 || !strings.Contains(errs, c.want) {
				t.Fatalf("exit %d, stderr %q; want failure mentioning %q", code, errs, c.want)
			}
		})
	}
}

func TestModelsFetchFromMirror(t *testing.T) {
	dst := t.TempDir()
	out, errs, code := runCLI(t, "models", "fetch", "--dir", dst, "--mirror", modelsDir(t))
	if code != 0 || strings.Count(out, "checksum ok") != 3 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	// A tampered mirror is refused and leaves no file behind.
	bad := t.TempDir()
	for _, f := range []string{"movenet_singlepose_lightning_int8.tflite", "yoga_classifier.tflite", "yoga_labels.txt"} {
		data, _ := os.ReadFile(filepath.Join(modelsDir(t), f))
		if f == "yoga_labels.txt" {
			data = append(data, "lotus\n"...)
		}
		os.WriteFile(filepath.Join(bad, f), data, 0o644)
	}
	dst2 := t.TempDir()
	_, errs, code = runCLI(t, "models", "fetch", "--dir", dst2, "--mirror", bad)
	if code == 0 || !strings.Contains(errs, "checksum mismatch") {
		t.Fatalf("tampered mirror: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dst2, "yoga_labels.txt")); err == nil {
		t.Fatal("a file with the wrong checksum was installed")
	}
}

//go:build tflite

package movenet

import (
	"encoding/csv"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg"
	_ "image/png"
	"math"
	"os"
	"strconv"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/pose"
)

func loadImage(tb testing.TB, rel string) image.Image {
	tb.Helper()
	f, err := os.Open(testkit.Path(tb, rel))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		tb.Fatal(err)
	}
	return img
}

// truth reads pose_landmark_truth.csv: one row per image, 17 × (x, y) pixels.
func truth(tb testing.TB) [][pose.NumParts][2]float64 {
	f, err := os.Open(testkit.Path(tb, "data/tf_pose_test_images/pose_landmark_truth.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatal(err)
	}
	var out [][pose.NumParts][2]float64
	for _, row := range rows[1:] {
		var t [pose.NumParts][2]float64
		for k := range t {
			t[k][0], _ = strconv.ParseFloat(row[2*k], 64)
			t[k][1], _ = strconv.ParseFloat(row[2*k+1], 64)
		}
		out = append(out, t)
	}
	return out
}

func testEstimator(tb testing.TB, mode Mode, refine int) *Estimator {
	tb.Helper()
	e, err := New(Opts{Model: testkit.MoveNet(tb), Mode: mode, Refine: refine})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { e.Close() })
	return e
}

// TestTruth checks every keypoint of TF's test images against the ground
// truth within TF's own tolerance (21 px, L∞), with and without refinement.
func TestTruth(t *testing.T) {
	want := truth(t)
	for _, refine := range []int{-1, 1, 2} {
		e := testEstimator(t, Still, refine)
		for i, name := range []string{"image1.png", "image2.jpeg"} {
			img := loadImage(t, "data/tf_pose_test_images/"+name)
			p, err := e.Estimate(img)
			if err != nil {
				t.Fatal(err)
			}
			worst := 0.0
			for k, kp := range p.Keypoints {
				d := math.Max(math.Abs(float64(kp.X)-want[i][k][0]), math.Abs(float64(kp.Y)-want[i][k][1]))
				worst = math.Max(worst, d)
				if d > 21 {
					t.Errorf("refine=%d %s %v: got (%.0f,%.0f) want (%.0f,%.0f): %.1f px off",
						refine, name, pose.Part(k), kp.X, kp.Y, want[i][k][0], want[i][k][1], d)
				}
			}
			t.Logf("refine=%d %s: worst keypoint %.1f px, mean score %.2f", refine, name, worst, p.MeanScore())
		}
	}
}

// TestFollowsOneSubject: with a second person stepping into view, video mode
// keeps following the person it was tracking (the crop region follows the
// body), where a fresh full-frame pass may jump to the newcomer.
func TestFollowsOneSubject(t *testing.T) {
	a := loadImage(t, "data/tf_pose_test_images/image1.png")
	b := loadImage(t, "data/tf_pose_test_images/image3.jpeg")
	w := a.Bounds().Dx() + b.Bounds().Dx()
	h := max(a.Bounds().Dy(), b.Bounds().Dy())
	alone := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(alone, alone.Rect, image.NewUniform(color.RGBA{128, 128, 128, 255}), image.Point{}, draw.Src)
	draw.Draw(alone, a.Bounds(), a, a.Bounds().Min, draw.Src)
	both := image.NewRGBA(alone.Rect)
	draw.Draw(both, both.Rect, alone, image.Point{}, draw.Src)
	right := image.Rect(a.Bounds().Dx(), 0, w, b.Bounds().Dy())
	draw.Draw(both, right, b, b.Bounds().Min, draw.Src)
	fresh := testEstimator(t, Still, -1)
	fp, _ := fresh.Estimate(both)
	if x := (fp.Keypoints[pose.LeftHip].X + fp.Keypoints[pose.RightHip].X) / 2; int(x) < a.Bounds().Dx() {
		t.Fatalf("a fresh pass stays on the subject (x=%.0f): the scene doesn't test tracking", x)
	}
	e := testEstimator(t, Video, 0)
	for i := 0; i < 12; i++ {
		img := alone
		if i >= 3 {
			img = both
		}
		p, err := e.Estimate(img)
		if err != nil {
			t.Fatal(err)
		}
		var x float32
		for _, k := range []pose.Part{pose.LeftShoulder, pose.RightShoulder, pose.LeftHip, pose.RightHip} {
			x += p.Keypoints[k].X / 4
		}
		if int(x) > a.Bounds().Dx() {
			t.Fatalf("frame %d: torso at x=%.0f, jumped to the newcomer (subject is left of %d)", i, x, a.Bounds().Dx())
		}
	}
}

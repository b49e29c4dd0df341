package dataset

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/pose"
)

// The two shared CG keypoint sets come from different extractions, so the
// same file's keypoints agree only roughly — but only when each is read in
// its declared order; read the second one as xy and they disagree badly.
func TestKeypointCSVOrders(t *testing.T) {
	tut, err := ReadKeypointCSV(testkit.Path(t, "data/keypoints/yoga_cg_tf_tutorial_xy/test_data.csv"), OrderXY, 0)
	if err != nil {
		t.Fatal(err)
	}
	second, err := ReadKeypointCSV(testkit.Path(t, "data/keypoints/yoga_cg_second_yx/yoga_test_data.csv"), OrderYX, 0)
	if err != nil {
		t.Fatal(err)
	}
	wrong, _ := ReadKeypointCSV(testkit.Path(t, "data/keypoints/yoga_cg_second_yx/yoga_test_data.csv"), OrderXY, 0)
	byName := map[string]pose.Pose{}
	for _, r := range tut {
		byName[r.Name] = r.Pose
	}
	var right, swapped float64
	n := 0
	for i, r := range second {
		a, ok := byName[r.Name]
		if !ok {
			continue
		}
		n++
		right += meanDist(a, r.Pose)
		swapped += meanDist(a, wrong[i].Pose)
	}
	if n < 100 {
		t.Fatalf("only %d files in both sets", n)
	}
	right, swapped = right/float64(n), swapped/float64(n)
	t.Logf("%d files: mean keypoint distance %.1f px in the declared order, %.1f px swapped", n, right, swapped)
	if right > 15 || swapped < 3*right {
		t.Fatalf("declared order %.1f px, swapped %.1f px", right, swapped)
	}
}

func meanDist(a, b pose.Pose) float64 {
	var s float64
	for k := range a.Keypoints {
		s += math.Hypot(float64(a.Keypoints[k].X-b.Keypoints[k].X), float64(a.Keypoints[k].Y-b.Keypoints[k].Y))
	}
	return s / pose.NumParts
}

func TestYoga82CSV(t *testing.T) {
	rows, err := ReadKeypointCSV(testkit.Path(t, "data/keypoints/yoga82_test_thunder_yx/Test6.csv"), OrderYX, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3492 || rows[0].Pose.Width != GroupedSide {
		t.Fatalf("%d rows, width %d", len(rows), rows[0].Pose.Width)
	}
	for _, r := range rows[:50] {
		for _, k := range r.Pose.Keypoints {
			if k.X < -1 || k.X > GroupedSide+1 || k.Y < -1 || k.Y > GroupedSide+1 {
				t.Fatalf("%s: keypoint %+v outside the 256 square", r.Name, k)
			}
		}
	}
}

func TestCSVErrors(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(testkit.Path(t, "data/keypoints/yoga_cg_tf_tutorial_xy/test_data.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(good), "\n", 3)
	cases := []struct {
		name, body string
		order      Order
		want       string
	}{
		{"no order", string(good), "", "say xy or yx"},
		{"mismatched header", strings.Replace(string(good), "LEFT_KNEE_y", "LEFT_KNEE_z", 1), OrderXY, "LEFT_KNEE_y"},
		{"no rows", lines[0] + "\n", OrderXY, "no rows"},
		{"not a number", lines[0] + "\n" + strings.Replace(lines[1], ",", ",abc", 2) + "\n", OrderXY, ":2:"},
		{"short row", lines[0] + "\nchair/x.jpg,1,2,3\n", OrderXY, "line 2"},
		// Values that parse but are no keypoint: refused with the line.
		{"coordinate 1e38", lines[0] + "\n" + lines[1] + "\n" + setField(lines[1], 1, "1e38") + "\n", OrderXY,
			":3: nose coordinate 1e+38 is outside any image"},
		{"score 1.7", lines[0] + "\n" + setField(lines[1], 3, "1.7") + "\n", OrderXY, ":2: nose score 1.7 is outside [0, 1]"},
		{"negative score", lines[0] + "\n" + setField(lines[1], 6, "-0.2") + "\n", OrderXY, ":2: left_eye score -0.2"},
		{"NaN", lines[0] + "\n" + setField(lines[1], 2, "NaN") + "\n", OrderXY, ":2: nose value NaN is not a number"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".csv")
			os.WriteFile(p, []byte(c.body), 0o644)
			_, err := ReadKeypointCSV(p, c.order, 0)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
		})
	}
}

func TestFolders(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"Tree", "Chair", "Empty", "skip"} {
		os.MkdirAll(filepath.Join(dir, d), 0o755)
	}
	for _, f := range []string{"Tree/1.jpg", "Tree/2.png", "Tree/notes.txt", "Chair/1.webp", "skip/1.jpg"} {
		os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644)
	}
	m, err := ParseMap("Tree=tree, Chair=chair")
	if err != nil {
		t.Fatal(err)
	}
	items, err := ReadFolders(dir, m)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 3 || items[0].Label != "chair" || items[1].Rel != "Tree/1.jpg" {
		t.Fatalf("items %+v", items)
	}
	if _, err := ReadFolders(dir, Map{"Empty": "empty"}); err == nil || !strings.Contains(err.Error(), "has no images") {
		t.Fatalf("empty class folder: %v", err)
	}
	if _, err := ParseMap("a=b,a=c"); err == nil {
		t.Fatal("contradictory map accepted")
	}
	set := map[string]bool{"Tree/2.png": true, "Other/9.jpg": true}
	kept, err := FilterSplit(items, set, "split.txt")
	if err != nil || len(kept) != 1 || kept[0].Rel != "Tree/2.png" {
		t.Fatalf("split kept %+v, %v", kept, err)
	}
	set["Tree/3.jpg"] = true // a photo the tree lacks, in a folder it has
	if _, err := FilterSplit(items, set, "split.txt"); err == nil || !strings.Contains(err.Error(), "Tree/3.jpg") {
		t.Fatalf("missing listed photo: %v", err)
	}
}

// setField replaces the i-th comma-separated field of a CSV line.
func setField(line string, i int, v string) string {
	f := strings.Split(line, ",")
	f[i] = v
	return strings.Join(f, ",")
}

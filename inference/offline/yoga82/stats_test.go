package yoga82_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/offline/download/downloadtest"
	"github.com/yogamirror/yogamirror/inference/offline/yoga82"
)

const (
	tree  = "Tree_Pose_or_Vrksasana_"     // 82: 68, 20: 0, 6: 0
	chair = "Chair_Pose_or_Utkatasana_"   // 82: 8, 20: 0, 6: 0
	split = "Split pose"                  // 82: 58, 20: 6, 6: 1
	cobra = "Cobra_Pose_or_Bhujangasana_" // 82: 10, 20: 14, 6: 4
)

func testSplits(t *testing.T) []yoga82.Split {
	t.Helper()
	train, err := yoga82.ParseSplit(strings.NewReader(
		tree+"/1.jpg,0,0,68\n"+tree+"/2.jpg,0,0,68\n"+split+"/1.jpg,1,6,58\n"+cobra+"/1.jpg,4,14,10\n"), "train.txt")
	if err != nil {
		t.Fatal(err)
	}
	test, err := yoga82.ParseSplit(strings.NewReader(chair+"/1.jpg,0,0,8\n"+tree+"/3.jpg,0,0,68\n"), "test.txt")
	if err != nil {
		t.Fatal(err)
	}
	return []yoga82.Split{{Name: "train", Entries: train}, {Name: "test", Entries: test}}
}

func TestCheck(t *testing.T) {
	h := realHierarchy(t)
	splits := testSplits(t)
	for _, s := range splits {
		if err := h.Validate(s.Name, s.Entries); err != nil {
			t.Fatal(err)
		}
	}
	present := map[string]bool{tree + "/1.jpg": true, split + "/1.jpg": true, chair + "/1.jpg": true}
	r := yoga82.Check(h, splits, func(p string) bool { return present[p] })
	want := map[string]yoga82.ClassPresence{
		"82 tree":     {ID: 68, Name: tree, Splits: []yoga82.Presence{{1, 2}, {0, 1}}, All: yoga82.Presence{Present: 1, Total: 3}},
		"20 straight": {ID: 0, Name: "Standing: Straight", Splits: []yoga82.Presence{{1, 2}, {1, 2}}, All: yoga82.Presence{Present: 2, Total: 4}},
		"6 standing":  {ID: 0, Name: "Standing", Splits: []yoga82.Presence{{1, 2}, {1, 2}}, All: yoga82.Presence{Present: 2, Total: 4}},
		"6 reclining": {ID: 4, Name: "Reclining", Splits: []yoga82.Presence{{0, 1}, {0, 0}}, All: yoga82.Presence{Present: 0, Total: 1}},
		"total":       {ID: -1, Name: "total", Splits: []yoga82.Presence{{2, 4}, {1, 2}}, All: yoga82.Presence{Present: 3, Total: 6}},
	}
	got := map[string]yoga82.ClassPresence{
		"82 tree": r.Class82[68], "20 straight": r.Class20[0], "6 standing": r.Class6[0], "6 reclining": r.Class6[4], "total": r.Total,
	}
	for k, w := range want {
		g, _ := json.Marshal(got[k])
		wj, _ := json.Marshal(w)
		if !bytes.Equal(g, wj) {
			t.Errorf("%s: got %s, want %s", k, g, wj)
		}
	}
	if strings.Join(r.Missing, ";") != cobra+"/1.jpg;"+tree+"/2.jpg;"+tree+"/3.jpg" {
		t.Errorf("missing %v", r.Missing)
	}
	var buf bytes.Buffer
	if err := r.WriteTable(&buf); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"train present", "Tree_Pose_or_Vrksasana_", "Standing: Straight", "total "} {
		if !strings.Contains(buf.String(), line) {
			t.Errorf("table lacks %q:\n%s", line, buf.String())
		}
	}
}

func put(t *testing.T, dir, p string, b []byte) {
	t.Helper()
	testkit.WriteFile(t, filepath.Join(dir, filepath.FromSlash(p)), b)
}

func TestStats(t *testing.T) {
	h := realHierarchy(t)
	dir := t.TempDir()
	same := downloadtest.Encode("jpeg", "same")
	put(t, dir, tree+"/1.jpg", same)
	put(t, dir, chair+"/1.jpg", same) // across classes and splits
	put(t, dir, tree+"/2.jpg", downloadtest.Encode("webp", ""))
	put(t, dir, tree+"/9.png", downloadtest.Encode("png", "9"))
	put(t, dir, split+"/1.jpg", []byte("<html>not an image</html>"))
	put(t, dir, "Not a class/1.jpg", downloadtest.Encode("gif", "x"))
	put(t, dir, tree+"/.3.jpg.123.part", []byte("partial"))
	files, err := yoga82.ScanImages(context.Background(), dir, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 6 {
		t.Fatalf("scanned %d files, want 6 (hidden ones skipped): %+v", len(files), files)
	}
	st := yoga82.Summarise(h, testSplits(t), files)
	if st.Images != 6 || len(st.Unreadable) != 1 || st.Unlisted != 2 || st.Misnamed != 2 { // the WebP and the GIF are named .jpg
		t.Errorf("images %d unreadable %v unlisted %d misnamed %d", st.Images, st.Unreadable, st.Unlisted, st.Misnamed)
	}
	if st.Formats["jpeg"] != 2 || st.Formats["webp"] != 1 || st.Formats["png"] != 1 || st.Formats["gif"] != 1 {
		t.Errorf("formats %v", st.Formats)
	}
	if c := st.Class82[68]; c.Images != 3 || c.Splits[0] != 2 || c.Splits[1] != 0 {
		t.Errorf("tree: %+v", c)
	}
	if c := st.Class6[0]; c.Images != 4 || c.Splits[0] != 2 || c.Splits[1] != 1 {
		t.Errorf("standing: %+v", c)
	}
	if len(st.Unknown) != 1 || st.Unknown[0] != "Not a class" {
		t.Errorf("unknown folders %v", st.Unknown)
	}
	if len(st.Duplicates) != 1 || !st.Duplicates[0].CrossClass || !st.Duplicates[0].CrossSplit || st.DuplicateFiles != 1 {
		t.Errorf("duplicates %+v", st.Duplicates)
	}
	out := filepath.Join(dir, "report")
	if err := yoga82.WriteReport(out, st); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(out, yoga82.ReportMarkdown))
	for _, want := range []string{
		"- images: 6 ", "1 sets, 1 extra files; 1 sets span classes, 1 span splits",
		"| 68 | Tree_Pose_or_Vrksasana_ | 3 | 2 | 0 |", "![images per class](class82.png)", "webp 1",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("stats.md lacks %q:\n%s", want, md)
		}
	}
	var back yoga82.Stats
	if b, err := os.ReadFile(filepath.Join(out, yoga82.ReportJSON)); err != nil || json.Unmarshal(b, &back) != nil || back.Images != 6 {
		t.Errorf("stats.json: %v, images %d", err, back.Images)
	}
	for _, name := range []string{"class6.png", "class20.png", "class82.png", "longside.png"} {
		f, err := os.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(f); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		f.Close()
	}
}

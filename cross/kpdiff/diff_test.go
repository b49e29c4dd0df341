package main

import (
	"bytes"
	"encoding/json"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// line builds one detect record with keypoints at (x+k, x+1) scored s, and two poses.
func line(source string, frame uint64, x, s float64, label string) string {
	r := record{Source: source, Frame: frame, Person: true, Poses: []class{{label, 0.9}, {"other", 0.1}}}
	for k, part := range []string{"nose", "left_eye"} {
		r.Keypoints = append(r.Keypoints, keypoint{Part: part, X: x + float64(k), Y: x + 1, Score: s})
	}
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// sized adds an image size to a record line.
func sized(l string, w, h int) string {
	var r record
	if err := json.Unmarshal([]byte(l), &r); err != nil {
		panic(err)
	}
	r.Width, r.Height = w, h
	b, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func writePNG(t *testing.T, w, h int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "frame.png")
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	base := line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 20, 0.5, "dog") + "\n"
	png200x100 := writePNG(t, 200, 100)
	sizedBase := sized(line("a.jpg", 0, 10, 0.5, "tree"), 70, 35) + "\n" + sized(line("b.jpg", 1, 20, 0.5, "dog"), 10, 35)
	pngBase := line(png200x100, 0, 10, 0.5, "tree") + "\n" + line(png200x100, 1, 20, 0.5, "dog")
	cases := []struct {
		name   string
		want   string // base when empty
		got    string
		args   []string
		code   int
		output []string
	}{
		{"identical", "", base, nil, 0, []string{"keypoint difference (px): max 0 (a.jpg#0 nose x)", "median 0,", "PASS"}},
		{"within tolerance", "", line("a.jpg", 0, 10.0005, 0.5, "tree") + "\n\n" + line("b.jpg", 1, 20, 0.5, "dog"), nil, 0, []string{"PASS"}},
		{"moved", "", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 23.5, 0.5, "dog"), nil, 1,
			[]string{"max 3.5 (b.jpg#1 nose x)", "median 0, 90th percentile 3.5", "FAIL: keypoint moved 3.5 > 0.001 (b.jpg#1 nose x)"}},
		{"moved, wide tolerance", "", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 23.5, 0.5, "dog"), []string{"-tol", "4"}, 0, []string{"PASS"}},
		{"moved, not confident", "", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 23.5, 0.2, "dog"), []string{"-min-score", "0.3"}, 0,
			[]string{"max 3.5 (b.jpg#1 nose x)", "max where both scores ≥ 0.3 0 (a.jpg#0 nose x)", "PASS"}},
		{"moved, confident", "", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 23.5, 0.4, "dog"), []string{"-min-score", "0.3"}, 1,
			[]string{"max where both scores ≥ 0.3 3.5 (b.jpg#1 nose x)", "FAIL: keypoint moved 3.5"}},
		{"median", "", line("a.jpg", 0, 12, 0.5, "tree") + "\n" + line("b.jpg", 1, 22, 0.5, "dog"), []string{"-tol", "-1", "-median-tol", "1.5"}, 1,
			[]string{"median 2,", "FAIL: median keypoint difference 2 > 1.5"}},
		{"relative, size in the record", sizedBase, sized(line("a.jpg", 0, 10, 0.5, "tree"), 70, 35) + "\n" + sized(line("b.jpg", 1, 23.5, 0.5, "dog"), 10, 35),
			[]string{"-relative", "-tol", "0.09"}, 1, []string{"(of the long side): max 0.1 (b.jpg#1 nose x)", "FAIL: keypoint moved 0.1 > 0.09"}},
		{"relative, size from the image", pngBase, line(png200x100, 0, 10, 0.5, "tree") + "\n" + line(png200x100, 1, 40, 0.5, "dog"),
			[]string{"-relative", "-tol", "0.1"}, 0, []string{"max 0.1 (" + png200x100 + "#1 nose x)", "PASS"}},
		{"relative, no image", "", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 20, 0.5, "dog"), []string{"-relative"}, 2,
			[]string{"image size for a.jpg"}},
		{"score", "", line("a.jpg", 0, 10, 0.75, "tree") + "\n" + line("b.jpg", 1, 20, 0.5, "dog"), []string{"-score-tol", "0.1"}, 1,
			[]string{"max score difference 0.25 (a.jpg#0 nose score)", "FAIL: keypoint score changed"}},
		{"pose changed", "", line("a.jpg", 0, 10, 0.5, "chair") + "\n" + line("b.jpg", 1, 20, 0.5, "dog"), []string{"-same-pose"}, 1,
			[]string{"most likely pose differs in 1", "FAIL: 1 of 2 records changed their most likely pose"}},
		{"pose changed, not checked", "", line("a.jpg", 0, 10, 0.5, "chair") + "\n" + line("b.jpg", 1, 20, 0.5, "dog"), nil, 0, []string{"PASS"}},
		{"missing record", "", line("a.jpg", 0, 10, 0.5, "tree"), nil, 2, []string{"2 records vs 1"}},
		{"other source", "", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("c.jpg", 1, 20, 0.5, "dog"), nil, 2, []string{"record 2 is b.jpg#1 vs c.jpg#1"}},
		{"not json", "", "nope\n", nil, 2, []string{":1: invalid character"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			want, got := filepath.Join(dir, "want.jsonl"), filepath.Join(dir, "got.jsonl")
			wantData := c.want
			if wantData == "" {
				wantData = base
			}
			if err := os.WriteFile(want, []byte(wantData), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(got, []byte(c.got), 0o644); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			code := run(append(c.args, want, got), &out, &out)
			if code != c.code {
				t.Errorf("exit %d, want %d; output:\n%s", code, c.code, out.String())
			}
			for _, w := range c.output {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
		})
	}
}

func TestUsage(t *testing.T) {
	var out bytes.Buffer
	if code := run([]string{"only-one.jsonl"}, &out, &out); code != 2 || !strings.Contains(out.String(), "usage: kpdiff") {
		t.Errorf("exit %d, output %q", code, out.String())
	}
}

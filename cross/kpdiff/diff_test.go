package main

import (
	"bytes"
	"encoding/json"
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

func TestRun(t *testing.T) {
	base := line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 20, 0.5, "dog") + "\n"
	cases := []struct {
		name   string
		got    string
		args   []string
		code   int
		output []string
	}{
		{"identical", base, nil, 0, []string{"max keypoint difference 0 px", "PASS"}},
		{"within tolerance", line("a.jpg", 0, 10.0005, 0.5, "tree") + "\n\n" + line("b.jpg", 1, 20, 0.5, "dog"), nil, 0, []string{"PASS"}},
		{"moved", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 23.5, 0.5, "dog"), nil, 1,
			[]string{"max keypoint difference 3.5 px (b.jpg#1 nose x)", "FAIL: keypoint moved 3.5 px > 0.001"}},
		{"moved, wide tolerance", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("b.jpg", 1, 23.5, 0.5, "dog"), []string{"-tol", "4"}, 0, []string{"PASS"}},
		{"score", line("a.jpg", 0, 10, 0.75, "tree") + "\n" + line("b.jpg", 1, 20, 0.5, "dog"), []string{"-score-tol", "0.1"}, 1,
			[]string{"max score difference 0.25 (a.jpg#0 nose score)", "FAIL: keypoint score changed"}},
		{"pose changed", line("a.jpg", 0, 10, 0.5, "chair") + "\n" + line("b.jpg", 1, 20, 0.5, "dog"), []string{"-same-pose"}, 1,
			[]string{"most likely pose differs in 1", "FAIL: 1 of 2 records changed their most likely pose"}},
		{"pose changed, not checked", line("a.jpg", 0, 10, 0.5, "chair") + "\n" + line("b.jpg", 1, 20, 0.5, "dog"), nil, 0, []string{"PASS"}},
		{"missing record", line("a.jpg", 0, 10, 0.5, "tree"), nil, 2, []string{"2 records vs 1"}},
		{"other source", line("a.jpg", 0, 10, 0.5, "tree") + "\n" + line("c.jpg", 1, 20, 0.5, "dog"), nil, 2, []string{"record 2 is b.jpg#1 vs c.jpg#1"}},
		{"not json", "nope\n", nil, 2, []string{":1: invalid character"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			want, got := filepath.Join(dir, "want.jsonl"), filepath.Join(dir, "got.jsonl")
			if err := os.WriteFile(want, []byte(base), 0o644); err != nil {
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

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/offline/download/downloadtest"
	"github.com/yogamirror/yogamirror/inference/offline/yoga82"
)

func dsRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(context.Background(), args, &o, &e)
	return code, o.String(), e.String()
}

func dsWriteFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fetchFixture writes two link files like the official ones (one whose
// folder is spelled differently inside) pointing at a local server.
func dsFetchFixture(t *testing.T) (srv *downloadtest.Server, links, out string) {
	srv = downloadtest.NewServer(t)
	links, out = t.TempDir(), filepath.Join(t.TempDir(), "images")
	dsWriteFile(t, filepath.Join(links, "Tree_Pose_or_Vrksasana_.txt"),
		"Tree_Pose_or_Vrksasana_/1.jpg\t"+srv.URLFor("/img/t1.jpg")+"\n"+
			"Tree_Pose_or_Vrksasana_/2.jpg\t"+srv.URLFor("/status/404/t2")+"\n"+
			"Tree_Pose_or_Vrksasana_/3.jpg\t"+srv.URLFor("/html/t3")+"\n")
	dsWriteFile(t, filepath.Join(links, "Sitting pose 1 (normal).txt"),
		"Sitting_pose_1_normal/1_610.jpg\t"+srv.URLFor("/webpjpg/s1.jpg")+"\n"+
			"Sitting_pose_1_normal/1_611.jpg\t"+srv.URLFor("/same/s2.jpg")+"\n")
	return srv, links, out
}

func TestDatasetFetch(t *testing.T) {
	srv, links, out := dsFetchFixture(t)
	code, stdout, stderr := dsRun(t, "dataset", "fetch", "--links", links, "--out", out, "--timeout", "5s", "--retries", "1", "--workers", "3")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "5 images: 0 already present, 3 downloaded") || !strings.Contains(stdout, "1  http 404") ||
		!strings.Contains(stdout, "1  not an image") {
		t.Errorf("stdout:\n%s", stdout)
	}
	if !strings.Contains(stderr, "5/5 (100.0%)") || strings.Contains(stderr, "\r") {
		t.Errorf("stderr should hold plain progress lines:\n%q", stderr)
	}
	// Files land where the split files expect them.
	for _, p := range []string{"Tree_Pose_or_Vrksasana_/1.jpg", "Sitting pose 1 (normal)/1_610.jpg", "Sitting pose 1 (normal)/1_611.jpg"} {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(p))); err != nil {
			t.Error(err)
		}
	}
	hits := srv.TotalHits()
	code, stdout, _ = dsRun(t, "dataset", "fetch", "--links", links, "--out", out)
	if code != 0 || !strings.Contains(stdout, "3 already present, 0 downloaded (0.0 MB), 0 failed, 2 skipped") {
		t.Errorf("second run: exit %d\n%s", code, stdout)
	}
	if srv.TotalHits() != hits {
		t.Errorf("second run made %d requests, want 0", srv.TotalHits()-hits)
	}
	// A single link file works too, and --limit caps the tries.
	code, stdout, _ = dsRun(t, "dataset", "fetch", "--links", filepath.Join(links, "Tree_Pose_or_Vrksasana_.txt"),
		"--out", t.TempDir(), "--limit", "1")
	if code != 0 || !strings.Contains(stdout, "3 images: 0 already present, 1 downloaded") || !strings.Contains(stdout, "2 not tried") {
		t.Errorf("--limit 1: exit %d\n%s", code, stdout)
	}
}

func TestDatasetCheck(t *testing.T) {
	train := testkit.Path(t, "data/yoga82/yoga_train.txt")
	test := testkit.Path(t, "data/yoga82/yoga_test.txt")
	dir := t.TempDir()
	// Two training images of class 0 (Akarna_Dhanurasana, 20: 8, 6: 1)
	// and one test image.
	for _, p := range []string{"Akarna_Dhanurasana/64.jpg", "Akarna_Dhanurasana/229.jpg", "Akarna_Dhanurasana/16.jpg"} {
		dsWriteFile(t, filepath.Join(dir, p), string(downloadtest.Encode("jpeg", p)))
	}
	jsonPath := filepath.Join(t.TempDir(), "check.json")
	code, stdout, stderr := dsRun(t, "dataset", "check", "--split", train, test, "--dir", dir, "--json", jsonPath)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"train present", "test total", "Akarna_Dhanurasana", "Sitting: Twist", "Sitting "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("table lacks %q", want)
		}
	}
	var r yoga82.CheckReport
	b, err := os.ReadFile(jsonPath)
	if err != nil || json.Unmarshal(b, &r) != nil {
		t.Fatalf("json: %v", err)
	}
	if r.Total.All != (yoga82.Presence{Present: 3, Total: 28450}) || len(r.Missing) != 28447 {
		t.Errorf("total %+v, %d missing", r.Total.All, len(r.Missing))
	}
	if c := r.Class82[0]; c.Splits[0] != (yoga82.Presence{Present: 2, Total: 89}) || c.Splits[1] != (yoga82.Presence{Present: 1, Total: 31}) {
		t.Errorf("class 0: %+v", c)
	}
	if c := r.Class20[8]; c.All.Present != 3 {
		t.Errorf("class20 8: %+v", c)
	}
	if c := r.Class6[1]; c.All.Present != 3 || c.Name != "Sitting" {
		t.Errorf("class6 1: %+v", c)
	}
}

func TestDatasetStats(t *testing.T) {
	_, links, imgs := dsFetchFixture(t)
	if code, _, stderr := dsRun(t, "dataset", "fetch", "--links", links, "--out", imgs); code != 0 {
		t.Fatal(stderr)
	}
	hier := testkit.Path(t, "data/yoga82/yoga82_class_hierarchy.csv")
	out := t.TempDir()
	code, stdout, stderr := dsRun(t, "dataset", "stats", "--hierarchy", hier, "--out", out, imgs)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "3 images (0 unreadable, 0 exact duplicates) in 2 classes") {
		t.Errorf("stdout: %s", stdout)
	}
	md, err := os.ReadFile(filepath.Join(out, "stats.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The splits beside the hierarchy were picked up; the WebP named .jpg
	// was noticed; fetch's own files are not counted as images.
	for _, want := range []string{"| id | class | images | train | test |", "webp 1", "extension not matching the format: 1", "- images: 3 "} {
		if !strings.Contains(string(md), want) {
			t.Errorf("stats.md lacks %q:\n%s", want, md)
		}
	}
	for _, f := range []string{"stats.json", "class6.png", "class20.png", "class82.png", "longside.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
}

func TestDatasetUsage(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no subcommand", []string{"dataset"}, 2, "subcommands:"},
		{"unknown", []string{"dataset", "grab"}, 2, `unknown subcommand "grab"`},
		{"help", []string{"dataset", "-h"}, 0, "subcommands:"},
		{"fetch without links", []string{"dataset", "fetch", "--out", "x"}, 2, "usage: yogamirror dataset fetch"},
		{"check without dir", []string{"dataset", "check", "--split", "a.txt"}, 2, "usage: yogamirror dataset check"},
		{"stats without dir", []string{"dataset", "stats"}, 2, "usage: yogamirror dataset stats"},
		{"bad flag", []string{"dataset", "fetch", "--workers", "many"}, 2, "invalid value"},
		{"missing links", []string{"dataset", "fetch", "--links", "/nonexistent", "--out", "x"}, 1, "no *.txt link files"},
		{"stats without hierarchy", []string{"dataset", "stats", "/nonexistent"}, 1, "pass --hierarchy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := dsRun(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}

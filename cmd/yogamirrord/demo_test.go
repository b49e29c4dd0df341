package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// make run replays cross/demo.sh's frames: run with relative folders (as
// the Makefile does), every one of the 450 frames must resolve, the empty
// room included.
func TestDemoFramesResolve(t *testing.T) {
	shared := testkit.Path(t, "data/yoga_cg/test")
	script, err := filepath.Abs("../../cross/demo.sh")
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	rel, err := filepath.Rel(work, filepath.Dir(filepath.Dir(filepath.Dir(shared))))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script, rel, "build/run/demo")
	cmd.Dir = work
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("demo.sh: %v\n%s", err, out)
	}
	frames, err := filepath.Glob(filepath.Join(work, "build/run/demo/frames/*"))
	if err != nil || len(frames) != 450 {
		t.Fatalf("%d frames (%v), want 450", len(frames), err)
	}
	empty := 0
	for _, f := range frames {
		st, err := os.Stat(f) // follows the link
		if err != nil {
			t.Fatalf("frame does not resolve: %v", err)
		}
		if filepath.Ext(f) == ".png" && st.Size() > 0 {
			empty++
		}
	}
	if empty != 50 {
		t.Errorf("%d empty-room frames, want 50 (5 s at 10 fps)", empty)
	}
}

//go:build opencv && tflite

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// replaySession lays out a replay folder at 10 fps: 20 s of a tree pose, 5 s of an
// empty room, 20 s of a chair pose (real CG renders from ../shared).
func replaySession(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	frames := filepath.Join(dir, "frames")
	if err := os.Mkdir(frames, 0o755); err != nil {
		t.Fatal(err)
	}
	tree := testkit.Path(t, "data/yoga_cg/test/tree/guy3_tree085.jpg")
	chair := testkit.Path(t, "data/yoga_cg/test/chair/guy3_chair070.jpg")
	empty := filepath.Join(dir, "empty.png")
	writeEmpty(t, empty)
	for i := 0; i < 450; i++ {
		src, ext := tree, ".jpg"
		switch {
		case i >= 250:
			src = chair
		case i >= 200:
			src, ext = empty, ".png"
		}
		if err := os.Symlink(src, filepath.Join(frames, fmt.Sprintf("%04d%s", i, ext))); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func writeEmpty(t *testing.T, path string) {
	img := image.NewRGBA(image.Rect(0, 0, 300, 300))
	for i := range img.Pix {
		img.Pix[i] = 200
	}
	img.SetRGBA(0, 0, color.RGBA{200, 200, 200, 255})
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

type logged struct {
	Type  string    `json:"type"`
	Pose  string    `json:"pose"`
	HeldS *float64  `json:"held_s"`
	TS    time.Time `json:"ts"`
	ID    string    `json:"event_id"`
	Seq   uint64    `json:"seq"`
}

func readEvents(t *testing.T, path string) []logged {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []logged
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var e logged
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			t.Fatalf("bad event line %q: %v", sc.Text(), err)
		}
		out = append(out, e)
	}
	return out
}

// TestEndToEnd replays the synthesised session through the real daemon
// (MoveNet, Google's classifier, tracker, event log) as fast as it can.
func TestEndToEnd(t *testing.T) {
	dir := replaySession(t)
	model, _ := testkit.YogaClassifier(t)
	events := filepath.Join(dir, "events.jsonl")
	err := run(context.Background(), []string{
		"--source", filepath.Join(dir, "frames"), "--fps", "10", "--realtime=false", "--hold-target", "15",
		"--events", events, "--state-dir", filepath.Join(dir, "state"), "--models", filepath.Dir(model),
		"--display", "none", "--log-level", "warn",
	}, os.Stdout, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	ev := readEvents(t, events)
	var got []string
	for _, e := range ev {
		got = append(got, e.Type+":"+e.Pose)
	}
	want := "session_started: pose_started:tree hold_completed:tree pose_ended:tree pose_started:chair hold_completed:chair pose_ended:chair session_ended:"
	if strings.Join(got, " ") != want {
		t.Fatalf("events\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	ids := map[string]bool{}
	for i, e := range ev {
		if ids[e.ID] || len(e.ID) != 32 || (i > 0 && e.Seq <= ev[i-1].Seq) {
			t.Errorf("event %d: id %q seq %d not unique/increasing", i, e.ID, e.Seq)
		}
		ids[e.ID] = true
		if e.Type == "pose_ended" && math.Abs(*e.HeldS-20) > 1 {
			t.Errorf("%s held %.2f s, want 20 ± 1", e.Pose, *e.HeldS)
		}
	}
}

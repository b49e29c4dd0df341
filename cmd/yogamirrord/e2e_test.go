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

// stretch is a run of replay frames at 10 fps showing one image.
type stretch struct {
	src    string // an image file; "" for an empty room
	frames int
}

// layoutReplay lays out a replay folder (DIR/frames) of real CG renders
// from ../shared.
func layoutReplay(t *testing.T, stretches ...stretch) string {
	t.Helper()
	dir := t.TempDir()
	frames := filepath.Join(dir, "frames")
	if err := os.Mkdir(frames, 0o755); err != nil {
		t.Fatal(err)
	}
	linkFrames(t, frames, stretches...)
	return dir
}

// linkFrames links the stretches' images into frames, numbered in order;
// the empty room is frames/../empty.png.
func linkFrames(t *testing.T, frames string, stretches ...stretch) {
	t.Helper()
	empty := filepath.Join(filepath.Dir(frames), "empty.png")
	if _, err := os.Stat(empty); err != nil {
		writeEmpty(t, empty)
	}
	i := 0
	for _, s := range stretches {
		src, ext := s.src, filepath.Ext(s.src)
		if src == "" {
			src, ext = empty, ".png"
		}
		for n := 0; n < s.frames; n, i = n+1, i+1 {
			if err := os.Symlink(src, filepath.Join(frames, fmt.Sprintf("%04d%s", i, ext))); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func cgImage(t *testing.T, pose, file string) string {
	return testkit.Path(t, "data/yoga_cg/test/"+pose+"/"+file)
}

// replaySession: 20 s of a tree pose, 5 s of an empty room, 20 s of a chair.
func replaySession(t *testing.T) string {
	t.Helper()
	return layoutReplay(t, stretch{cgImage(t, "tree", "guy3_tree085.jpg"), 200}, stretch{"", 50},
		stretch{cgImage(t, "chair", "guy3_chair070.jpg"), 200})
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
	ev := replayEvents(t, replaySession(t))
	want := "session_started: pose_started:tree hold_completed:tree pose_ended:tree pose_started:chair hold_completed:chair pose_ended:chair session_ended:"
	if got := eventTypes(ev); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
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

// replayEvents runs the real daemon (MoveNet, Google's classifier, tracker,
// event log) over a replay folder as fast as it can and returns its events.
func replayEvents(t *testing.T, dir string) []logged {
	t.Helper()
	model, _ := testkit.YogaClassifier(t)
	events := filepath.Join(dir, "events.jsonl")
	err := run(context.Background(), []string{
		"--source", filepath.Join(dir, "frames"), "--fps", "10", "--realtime=false", "--hold-target", "15",
		"--events", events, "--state-dir", filepath.Join(dir, "state"), "--models", filepath.Dir(model),
		"--classifier", model, "--display", "none", "--log-level", "warn",
	}, os.Stdout, os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	return readEvents(t, events)
}

func eventTypes(ev []logged) string {
	var got []string
	for _, e := range ev {
		got = append(got, e.Type+":"+e.Pose)
	}
	return strings.Join(got, " ")
}

// TestTransitionPoseMakesNoEvents: 2 s of a chair between a tree and a
// warrior is a transition, shorter than min_pose_s: it makes no events.
func TestTransitionPoseMakesNoEvents(t *testing.T) {
	dir := layoutReplay(t, stretch{cgImage(t, "tree", "guy3_tree085.jpg"), 200},
		stretch{cgImage(t, "chair", "guy3_chair070.jpg"), 20}, stretch{cgImage(t, "warrior", "guy3_warrior042.jpg"), 200})
	ev := replayEvents(t, dir)
	want := "session_started: pose_started:tree hold_completed:tree pose_ended:tree pose_started:warrior hold_completed:warrior pose_ended:warrior session_ended:"
	if got := eventTypes(ev); got != want {
		t.Fatalf("events\n got %s\nwant %s", got, want)
	}
}

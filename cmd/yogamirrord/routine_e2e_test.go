//go:build opencv && tflite

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/display/audio"
)

// replayPoses lays out a replay folder at 10 fps of real CG renders from
// ../shared: each stretch is seconds of one pose.
func replayPoses(t *testing.T, stretches ...struct {
	pose string
	s    int
}) string {
	t.Helper()
	frames := filepath.Join(t.TempDir(), "frames")
	if err := os.Mkdir(frames, 0o755); err != nil {
		t.Fatal(err)
	}
	renders := map[string]string{
		"tree":  testkit.Path(t, "data/yoga_cg/test/tree/guy3_tree085.jpg"),
		"chair": testkit.Path(t, "data/yoga_cg/test/chair/guy3_chair070.jpg"),
	}
	i := 0
	for _, st := range stretches {
		for range st.s * 10 {
			if err := os.Symlink(renders[st.pose], filepath.Join(frames, fmt.Sprintf("%04d.jpg", i))); err != nil {
				t.Fatal(err)
			}
			i++
		}
	}
	return frames
}

type stretch = struct {
	pose string
	s    int
}

// runReplay runs the daemon on frames with Google's classifier, passed
// explicitly so the test does not depend on the default model.
func runReplay(t *testing.T, frames string, extra ...string) []routineLogged {
	t.Helper()
	dir := t.TempDir()
	model, labels := testkit.YogaClassifier(t)
	events := filepath.Join(dir, "events.jsonl")
	args := append([]string{
		"--source", frames, "--fps", "10", "--realtime=false", "--hold-target", "30",
		"--classifier", model, "--labels", labels, "--models", filepath.Dir(model),
		"--events", events, "--state-dir", filepath.Join(dir, "state"), "--display", "none", "--log-level", "warn",
	}, extra...)
	if err := run(context.Background(), args, os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
	return readRoutineEvents(t, events)
}

type routineLogged struct {
	Type    string    `json:"type"`
	Pose    string    `json:"pose"`
	HeldS   *float64  `json:"held_s"`
	Routine string    `json:"routine"`
	Step    int       `json:"step"`
	Summary *struct { // session_ended
		Routines []struct {
			Routine   string `json:"routine"`
			Completed bool   `json:"completed"`
			Done      []struct {
				Pose string `json:"pose"`
			} `json:"done"`
		} `json:"routines"`
	} `json:"summary"`
	TS string `json:"ts"`
}

func readRoutineEvents(t *testing.T, path string) []routineLogged {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []routineLogged
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var e routineLogged
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("bad event line %q: %v", line, err)
		}
		out = append(out, e)
	}
	return out
}

// routineTypes lists the routine events as type:step:pose, and the
// session's end.
func routineTypes(ev []routineLogged) string {
	var s []string
	for _, e := range ev {
		switch {
		case e.Routine != "":
			s = append(s, fmt.Sprintf("%s:%d:%s", e.Type, e.Step, e.Pose))
		case e.Type == "session_ended":
			s = append(s, e.Type)
		}
	}
	return strings.Join(s, " ")
}

// A two-step routine given with --routine runs on real renders through
// MoveNet and the classifier to routine_completed, each step held for its
// hold_s after its rest; the session summary lists it; --audio-out writes
// the announcements and chimes as WAV files.
func TestReplayRoutineToCompletion(t *testing.T) {
	file := filepath.Join(t.TempDir(), "flow.yaml")
	testkit.WriteFile(t, file, []byte("name: Test flow\nrest_s: 2\nsteps:\n  - pose: tree\n    hold_s: 5\n  - pose: chair\n    hold_s: 5\n"))
	sounds := filepath.Join(t.TempDir(), "sounds")
	frames := replayPoses(t, stretch{"tree", 10}, stretch{"chair", 10})
	ev := runReplay(t, frames, "--routine", file, "--audio-out", sounds)

	want := "routine_started:1:tree routine_step_completed:1:tree routine_step_completed:2:chair routine_completed:2:chair session_ended"
	if got := routineTypes(ev); got != want {
		t.Fatalf("routine events\n got %s\nwant %s", got, want)
	}
	for _, e := range ev {
		if e.Type == "routine_step_completed" && math.Abs(*e.HeldS-5) > 0.15 {
			t.Errorf("step %d held %.2f s, want 5", e.Step, *e.HeldS)
		}
	}
	sum := ev[len(ev)-1].Summary
	if sum == nil || len(sum.Routines) != 1 || !sum.Routines[0].Completed || len(sum.Routines[0].Done) != 2 {
		t.Errorf("session summary routines: %+v", sum)
	}
	checkSounds(t, sounds, []string{"speech-test-flow-first-tree-5-seconds", "recognised", "half", "done",
		"speech-next-chair-5-seconds", "recognised", "half", "done", "speech-routine-complete-well-done"})
}

// checkSounds wants the WAV files in dir to be want, in order (by name),
// each with sound in it.
func checkSounds(t *testing.T, dir string, want []string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*.wav"))
	var got []string
	for _, f := range files {
		got = append(got, strings.TrimSuffix(filepath.Base(f)[5:], ".wav"))
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, err := audio.DecodeWAV(data)
		if err != nil || p.Duration() < 200e6 || p.RMS() < 0.01 {
			t.Errorf("%s: %v long, RMS %.3f, %v", f, p.Duration(), p.RMS(), err)
		}
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sounds\n got %v\nwant %v", got, want)
	}
}

// Holding the start pose starts the selected routine hands-free: tree for
// 3 s starts the config's routine, whose one step (chair) then completes.
func TestReplayStartGesture(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	testkit.WriteFile(t, cfg, []byte("routines:\n  start_pose: tree\n  start_hold_s: 3\n  list:\n"+
		"    - name: Chair only\n      rest_s: 1\n      steps:\n        - pose: chair\n          hold_s: 4\n"))
	frames := replayPoses(t, stretch{"tree", 6}, stretch{"chair", 8})
	ev := runReplay(t, frames, "--config", cfg)
	want := "routine_started:1:chair routine_step_completed:1:chair routine_completed:1:chair session_ended"
	if got := routineTypes(ev); got != want {
		t.Fatalf("routine events\n got %s\nwant %s", got, want)
	}
	var treeStart, routineStart string
	for _, e := range ev {
		if e.Type == "pose_started" && e.Pose == "tree" && treeStart == "" {
			treeStart = e.TS
		}
		if e.Type == "routine_started" {
			routineStart = e.TS
		}
	}
	if d := unixSeconds(t, routineStart) - unixSeconds(t, treeStart); math.Abs(d-3) > 0.15 {
		t.Errorf("the routine started %.2f s into the tree hold, want 3", d)
	}
}

func unixSeconds(t *testing.T, ts string) float64 {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, ts)
	if err != nil {
		t.Fatal(err)
	}
	return float64(v.UnixNano()) / 1e9
}

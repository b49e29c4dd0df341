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
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// poseFrames lays out a replay of tree and chair renders (../shared) at
// 10 fps, seconds of each as given.
func poseFrames(t *testing.T, poses ...any) string {
	t.Helper()
	var st []stretch
	for i := 0; i+1 < len(poses); i += 2 {
		src := map[string]string{"tree": cgImage(t, "tree", "guy3_tree085.jpg"), "chair": cgImage(t, "chair", "guy3_chair070.jpg")}[poses[i].(string)]
		st = append(st, stretch{src, 10 * poses[i+1].(int)})
	}
	return filepath.Join(layoutReplay(t, st...), "frames")
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
	frames := poseFrames(t, "tree", 10, "chair", 10)
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
	frames := poseFrames(t, "tree", 6, "chair", 8)
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

// Routines over MQTT, through the real daemon and a real mosquitto: Home
// Assistant's discovery offers the routines in a select; start_routine
// with a name the mirror lacks is refused on the error topic; a known one
// runs on the replay to routine_completed. The replay is paced (5 fps) so
// the commands land while it runs.
func TestMQTTRoutineCommands(t *testing.T) {
	r := newRig(t, "e2e-routines")
	// The session must outlast the empty room before the chair (the rig's
	// 2 s idle would end it, and the routine with it).
	testkit.WriteFile(t, r.config, []byte("tracker:\n  min_pose_s: 1\n  session_idle_s: 60\ncues:\n  enabled: false\n"+
		"routines:\n  list:\n    - name: Quick chair\n      rest_s: 1\n      steps:\n        - pose: chair\n          hold_s: 3\n"))
	watch := mqtttest.Subscribe(t, r.client(), r.topics.Status, r.topics.Error, "homeassistant/select/e2e-routines/routine/config")
	frames := filepath.Join(layoutReplay(t, stretch{"", 30}, stretch{cgImage(t, "chair", "guy3_chair070.jpg"), 60}), "frames")
	args := append(r.args(frames), "--fps", "5", "--realtime=true")
	d := &daemonRun{done: make(chan struct{})}
	go func() {
		defer close(d.done)
		d.err = run(context.Background(), args, r.logs, r.logs)
	}()
	waitFor(t, watch, r.topics.Status, func(p []byte) bool { return string(p) == telemetry.Online })
	for _, cmd := range []string{`{"cmd":"start_routine","routine":"Nope","id":"c1"}`, `{"cmd":"start_routine","routine":"Quick chair"}`} {
		mqtttest.Publish(t, r.client(), r.topics.Cmd, 1, false, []byte(cmd))
	}
	d.wait(t)

	refused := waitFor(t, watch, r.topics.Error, func(p []byte) bool { return strings.Contains(string(p), `no routine is named \"Nope\"`) })
	if !strings.Contains(string(refused), `"command_id":"c1"`) {
		t.Errorf("error %s lacks the command id", refused)
	}
	sel := waitFor(t, watch, "homeassistant/select/e2e-routines/routine/config", func([]byte) bool { return true })
	if !strings.Contains(string(sel), `"options":["Quick chair"]`) {
		t.Errorf("Home Assistant select: %s", sel)
	}
	r.checkDelivered()
	want := "routine_started:1:chair routine_step_completed:1:chair routine_completed:1:chair session_ended"
	if got := routineTypes(readRoutineEvents(t, r.events)); got != want {
		t.Errorf("routine events\n got %s\nwant %s", got, want)
	}
}

// waitFor waits for a message on topic whose payload satisfies ok.
func waitFor(t *testing.T, rec *mqtttest.Recorder, topic string, ok func([]byte) bool) []byte {
	t.Helper()
	deadline := time.Now().Add(guard)
	for time.Now().Before(deadline) {
		for _, m := range rec.Messages(topic) {
			if ok(m.Payload) {
				return m.Payload
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no matching message on %s within %v", topic, guard)
	return nil
}

//go:build opencv && tflite

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// guard bounds every wait of the MQTT end-to-end tests. It only stops a
// hung test; nothing is asserted about speed.
const guard = 3 * time.Minute

// eventsPerBlock is what one block of replayBlocks produces: session
// started, tree started/completed/ended, chair started/completed/ended,
// session ended.
const eventsPerBlock = 8

// replayBlocks lays out n short sessions at 2 fps (0.5 s of timeline per
// frame, so few frames go through MoveNet): 2.5 s tree, 1 s empty, 2.5 s
// chair, 3 s empty. With rigTracker's settings every block is one session
// of eventsPerBlock events that ends inside the block.
func replayBlocks(t *testing.T, dir string, n int) string {
	t.Helper()
	tree, chair := cgImage(t, "tree", "guy3_tree085.jpg"), cgImage(t, "chair", "guy3_chair070.jpg")
	frames, err := os.MkdirTemp(dir, "frames-")
	if err != nil {
		t.Fatal(err)
	}
	var block []stretch
	for range n {
		block = append(block, stretch{tree, 5}, stretch{"", 2}, stretch{chair, 5}, stretch{"", 6})
	}
	linkFrames(t, frames, block...)
	return frames
}

// rigTracker makes short holds and sessions (see replayBlocks).
const rigTracker = `
tracker:
  min_pose_s: 1
  hold_target_s: 1.5
  grace_s: 0.5
  session_idle_s: 2
cues:
  enabled: false
`

// rig is a daemon's surroundings: a real mosquitto, a persistent-session
// subscriber on the event topic, a state directory and an event log.
type rig struct {
	t      *testing.T
	dir    string
	device string
	topics telemetry.Topics
	broker *mqtttest.Broker
	rec    *mqtttest.Recorder
	config string
	models string
	events string // the local JSON Lines log
	state  string
	logs   *testkit.LockedBuffer // daemon output, shown when the test fails
}

func newRig(t *testing.T, device string) *rig {
	t.Helper()
	model, _ := testkit.YogaClassifier(t)
	r := &rig{t: t, dir: t.TempDir(), device: device, models: filepath.Dir(model), logs: &testkit.LockedBuffer{}}
	r.events = filepath.Join(r.dir, "events.jsonl")
	r.state = filepath.Join(r.dir, "state")
	r.config = filepath.Join(r.dir, "yogamirrord.yaml")
	if err := os.WriteFile(r.config, []byte(rigTracker), 0o600); err != nil {
		t.Fatal(err)
	}
	var err error
	if r.topics, err = telemetry.NewTopics("", device); err != nil {
		t.Fatal(err)
	}
	r.broker = mqtttest.Start(t, mqtttest.Opts{})
	r.rec = mqtttest.Subscribe(t, r.client(), r.topics.Event)
	t.Cleanup(func() { // YOGAMIRRORD_TEST_LOGS=1 shows the output of passing runs too
		if t.Failed() || os.Getenv("YOGAMIRRORD_TEST_LOGS") != "" {
			t.Logf("daemon output:\n%s", r.logs.String())
		}
	})
	return r
}

func (r *rig) client() mqtttest.ClientOpts { return mqtttest.ClientOpts{URL: r.broker.URL()} }

// args are the daemon's command line for replaying frames.
func (r *rig) args(frames string) []string {
	return []string{
		"--config", r.config, "--source", frames, "--fps", "2", "--realtime=false",
		"--events", r.events, "--state-dir", r.state, "--models", r.models,
		"--device-id", r.device, "--mqtt-broker", r.broker.URL(), "--display", "none",
	}
}

// daemonRun is a daemon running in this process.
type daemonRun struct {
	done chan struct{}
	err  error
}

// start runs the real daemon (run, as main calls it) in a goroutine.
func (r *rig) start(frames string) *daemonRun {
	d := &daemonRun{done: make(chan struct{})}
	go func() {
		defer close(d.done)
		d.err = run(context.Background(), r.args(frames), r.logs, r.logs)
	}()
	return d
}

// wait waits for the daemon to exit and fails the test on an error.
func (d *daemonRun) wait(t *testing.T) {
	t.Helper()
	select {
	case <-d.done:
	case <-time.After(guard):
		t.Fatalf("daemon still running after %v", guard)
	}
	if d.err != nil {
		t.Fatalf("daemon: %v", d.err)
	}
}

// waitLines waits until the local log holds at least n events. exited is
// closed when the daemon ends, which fails the wait.
func (r *rig) waitLines(n int, exited <-chan struct{}) {
	r.t.Helper()
	deadline := time.After(guard)
	for {
		got := countLines(r.t, r.events)
		if got >= n {
			return
		}
		select {
		case <-exited:
			if got = countLines(r.t, r.events); got < n {
				r.t.Fatalf("daemon exited with %d events in the log, waited for %d", got, n)
			}
			return
		case <-deadline:
			r.t.Fatalf("waited %v for %d events in the log; have %d", guard, n, got)
		case <-time.After(time.Millisecond):
		}
	}
}

func countLines(t *testing.T, path string) int {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Count(b, []byte{'\n'})
}

// delivered is what the subscriber saw, compared with the local log.
type delivered struct {
	logged, received, duplicates int
}

// checkDelivered waits until the subscriber has every event of the local
// log, then checks that de-duplicating by event_id gives exactly the log:
// same ids, same seqs, same order, nothing extra.
func (r *rig) checkDelivered() delivered {
	r.t.Helper()
	t := r.t
	log := readEvents(t, r.events)
	if len(log) == 0 {
		t.Fatal("the local log is empty")
	}
	for i, e := range log {
		if len(e.ID) != 32 || (i > 0 && e.Seq <= log[i-1].Seq) {
			t.Fatalf("log line %d: id %q seq %d: ids must be 32 hex digits, seqs increasing", i+1, e.ID, e.Seq)
		}
	}
	r.waitReceived(log)
	msgs := r.rec.Messages(r.topics.Event)
	var got []logged
	seen := map[string]bool{}
	for _, m := range msgs {
		e := decodeWire(t, m.Payload)
		if !seen[e.ID] {
			seen[e.ID] = true
			got = append(got, e)
		}
	}
	if d := diffEvents(log, got); d != "" {
		t.Errorf("subscriber (de-duplicated by event_id) differs from the local log:\n%s", d)
	}
	return delivered{logged: len(log), received: len(msgs), duplicates: len(msgs) - len(got)}
}

// waitReceived waits until the subscriber has a copy of every logged
// event, or gives up after mqtttest.WaitLimit (the comparison then says
// what is missing).
func (r *rig) waitReceived(log []logged) {
	deadline := time.Now().Add(mqtttest.WaitLimit)
	for time.Now().Before(deadline) {
		seen := map[string]bool{}
		for _, m := range r.rec.Messages(r.topics.Event) {
			seen[decodeWire(r.t, m.Payload).ID] = true
		}
		if !slices.ContainsFunc(log, func(e logged) bool { return !seen[e.ID] }) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func decodeWire(t *testing.T, payload []byte) logged {
	t.Helper()
	var e logged
	if err := json.Unmarshal(payload, &e); err != nil || e.ID == "" {
		t.Fatalf("bad event payload %q: %v", payload, err)
	}
	return e
}

// diffEvents lists where got departs from want, by event_id and seq.
func diffEvents(want, got []logged) string {
	var b strings.Builder
	for i := range max(len(want), len(got)) {
		w, g := "-", "-"
		if i < len(want) {
			w = fmt.Sprintf("%s seq %d %s", want[i].ID, want[i].Seq, want[i].Type)
		}
		if i < len(got) {
			g = fmt.Sprintf("%s seq %d %s", got[i].ID, got[i].Seq, got[i].Type)
		}
		if w != g {
			fmt.Fprintf(&b, "  #%d: log %s, mqtt %s\n", i+1, w, g)
		}
	}
	return b.String()
}

// checkOffline checks the retained status after a clean shutdown.
func (r *rig) checkOffline() {
	r.t.Helper()
	got, ok := mqtttest.Retained(r.t, r.client(), r.topics.Status)
	if !ok || string(got) != telemetry.Offline {
		r.t.Errorf("retained %s = %q (present %v), want %q", r.topics.Status, got, ok, telemetry.Offline)
	}
}

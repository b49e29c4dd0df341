//go:build opencv && tflite

package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/telemetry/mqtt"
	"github.com/yogamirror/yogamirror/telemetry/outbox"
)

// The MQTT end-to-end tests run the real daemon (MoveNet, Google's
// classifier, tracker, event log, outbox, publisher) against a real
// mosquitto and check the delivery guarantee of telemetry/README.md: a
// subscriber gets every event of the local log, in order, exactly once
// after de-duplication by event_id. Broker restarts and kills are driven by
// the log's progress, never by sleeps.

// TestMQTTBrokerRestarts stops the broker three times during a replay; each
// outage lasts while more events are logged, so they queue on disk. The
// last one ends with the replay's last event, so the daemon reaches its
// exit while still reconnecting: shutdown must wait for the broker (within
// mqttDrainGrace) and deliver the queue rather than leave it on disk. The
// outage is kept short so the publisher's reconnect backoff stays well
// inside that grace.
func TestMQTTBrokerRestarts(t *testing.T) {
	r := newRig(t, "e2e-restarts")
	const blocks = 3
	frames := replayBlocks(t, r.dir, blocks)
	start := time.Now()
	d := r.start(frames)
	for _, outage := range [][2]int{{3, 5}, {11, 13}, {blocks*eventsPerBlock - 1, blocks * eventsPerBlock}} {
		r.waitLines(outage[0], d.done)
		r.broker.Stop(t)
		r.waitLines(outage[1], d.done)
		r.broker.Restart(t)
	}
	d.wait(t)
	got := r.checkDelivered()
	r.checkEventCount(blocks * eventsPerBlock)
	r.checkOffline()
	t.Logf("%d events logged, %d received (%d duplicates) across 3 broker restarts; %v",
		got.logged, got.received, got.duplicates, time.Since(start).Round(time.Millisecond))
}

// TestMQTTBrokerDownWholeSession replays two sessions with the broker down:
// the daemon exits with every event on disk. With the broker back, the next
// start (one more session) sends the backlog first, then its own events.
func TestMQTTBrokerDownWholeSession(t *testing.T) {
	r := newRig(t, "e2e-outage")
	start := time.Now()
	r.broker.Stop(t)
	r.start(replayBlocks(t, r.dir, 2)).wait(t)
	first := time.Since(start)
	if n := r.queued(); n != 2*eventsPerBlock {
		t.Fatalf("%d events queued in the outbox after the outage, want %d", n, 2*eventsPerBlock)
	}
	r.broker.Restart(t)
	r.rec.WaitConnected(t)
	r.start(replayBlocks(t, r.dir, 1)).wait(t)
	got := r.checkDelivered()
	r.checkEventCount(3 * eventsPerBlock)
	if n := r.queued(); n != 0 {
		t.Errorf("%d events left in the outbox after a clean exit with the broker up", n)
	}
	r.checkOffline()
	t.Logf("%d events logged, %d received (%d duplicates); first run (broker down) %v, total %v",
		got.logged, got.received, got.duplicates, first.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
}

// queued counts the events waiting in the daemon's outbox (daemon stopped).
func (r *rig) queued() int {
	r.t.Helper()
	q, err := outbox.Open(outbox.Opts{Path: filepath.Join(r.state, mqtt.OutboxFile)})
	if err != nil {
		r.t.Fatal(err)
	}
	defer q.Close()
	return q.Len()
}

// checkEventCount makes sure the replay produced the events it was laid
// out for, so the delivery checks are not vacuous.
func (r *rig) checkEventCount(want int) {
	r.t.Helper()
	ev := readEvents(r.t, r.events)
	if len(ev) != want {
		var types []string
		for _, e := range ev {
			types = append(types, e.Type+":"+e.Pose)
		}
		r.t.Errorf("%d events logged, want %d: %s", len(ev), want, strings.Join(types, " "))
	}
}

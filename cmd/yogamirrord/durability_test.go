//go:build opencv && tflite

package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// TestMQTTOutboxDamaged: events queued while the broker is down survive
// whatever happens to outbox.db before the next start — deleted,
// truncated to 0 bytes, its first 256 bytes garbled (bbolt then silently
// opens the previous commit) — because the event log is the source of
// truth: the next start re-queues them from it, says so in the log, and a
// subscriber gets every event in order. One case also deletes event-seq:
// seq must go on above the log, not restart at 1.
func TestMQTTOutboxDamaged(t *testing.T) {
	outbox := func(state string) string { return filepath.Join(state, mqtt.OutboxFile) }
	for _, tc := range []struct {
		name string
		// damage returns whether it destroyed queued events (garbling the
		// older of bbolt's two meta pages loses nothing).
		damage func(t *testing.T, state string) bool
	}{
		{"deleted", func(t *testing.T, state string) bool { must(t, os.Remove(outbox(state))); return true }},
		{"truncated", func(t *testing.T, state string) bool { must(t, os.Truncate(outbox(state), 0)); return true }},
		{"first 256 bytes garbled", func(t *testing.T, state string) bool {
			newest := newestMeta(t, outbox(state))
			garble(t, outbox(state), 0, 256)
			return newest == 0
		}},
		{"newest meta page garbled and event-seq deleted", func(t *testing.T, state string) bool {
			garble(t, outbox(state), newestMeta(t, outbox(state))*4096, 256)
			must(t, os.Remove(filepath.Join(state, telemetry.SeqFileName)))
			return true
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, "e2e-damage")
			r.broker.Stop(t)
			r.start(replayBlocks(t, r.dir, 2)).wait(t)
			if n := r.queued(); n != 2*eventsPerBlock {
				t.Fatalf("%d events queued after the outage, want %d", n, 2*eventsPerBlock)
			}
			lost := tc.damage(t, r.state)
			r.broker.Restart(t)
			r.rec.WaitConnected(t)
			before := len(r.logs.String())
			r.start(replayBlocks(t, r.dir, 1)).wait(t)
			got := r.checkDelivered() // also: seqs strictly increasing across the three runs
			r.checkEventCount(3 * eventsPerBlock)
			logs := r.logs.String()[before:]
			if said := strings.Contains(logs, "the MQTT outbox lost queued events"); said != lost {
				t.Errorf("events lost %v, but the second start said so: %v\n%s", lost, said, logs)
			}
			if strings.Contains(tc.name, "event-seq") && !strings.Contains(logs, "is missing; resuming at seq") {
				t.Errorf("the lost counter file was not reported:\n%s", logs)
			}
			t.Logf("%d logged, %d received (%d duplicates)", got.logged, got.received, got.duplicates)
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func garble(t *testing.T, path string, off int64, n int) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	must(t, err)
	defer f.Close()
	junk := make([]byte, n)
	for i := range junk {
		junk[i] = byte(i*7 + 3)
	}
	_, err = f.WriteAt(junk, off)
	must(t, err)
}

// newestMeta says which of bbolt's two meta pages (4 KiB pages 0 and 1)
// holds the newest commit: its txid is at offset 64 of the page.
func newestMeta(t *testing.T, path string) int64 {
	t.Helper()
	b, err := os.ReadFile(path)
	must(t, err)
	if len(b) < 8192 {
		t.Fatalf("%s: %d bytes, not a bbolt file with 4 KiB pages", path, len(b))
	}
	if binary.LittleEndian.Uint64(b[64:]) > binary.LittleEndian.Uint64(b[4096+64:]) {
		return 0
	}
	return 1
}

// fsizeChild is the daemon with a file-size limit (RLIMIT_FSIZE): writes
// past it fail part-way as they do on a full disk. arg is the limit, then
// a space, then the JSON argument list.
func fsizeChild(arg string) int {
	limitS, js, _ := strings.Cut(arg, " ")
	limit, _ := strconv.ParseUint(limitS, 10, 64)
	signal.Ignore(syscall.SIGXFSZ) // EFBIG instead of being killed
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		fmt.Fprintln(os.Stderr, "setrlimit:", err)
		return 2
	}
	return childMain(js)
}

// notifySocket is a fake systemd notification socket.
type notifySocket struct {
	path string
	mu   sync.Mutex
	msgs []string
}

func listenNotify(t *testing.T) *notifySocket {
	n := &notifySocket{path: filepath.Join(t.TempDir(), "notify.sock")}
	c, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: n.path, Net: "unixgram"})
	must(t, err)
	t.Cleanup(func() { c.Close() })
	go func() {
		buf := make([]byte, 4096)
		for {
			k, _, err := c.ReadFromUnix(buf)
			if err != nil {
				return
			}
			n.mu.Lock()
			n.msgs = append(n.msgs, string(buf[:k]))
			n.mu.Unlock()
		}
	}()
	return n
}

func (n *notifySocket) all() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return strings.Join(n.msgs, "\n")
}

// TestDiskFullEventLog: when the event log cannot be written (a full disk,
// here a file-size limit), the daemon keeps running and delivering over
// MQTT, reports the problem in the retained state and in `systemctl
// status` (STATUS=), leaves no torn line, and exits non-zero.
func TestDiskFullEventLog(t *testing.T) {
	r := newRig(t, "e2e-diskfull")
	var history bytes.Buffer // older sessions: the log is near the limit
	t0 := time.Now().Add(-24 * time.Hour)
	for s := uint64(1); history.Len() < 256<<10; s++ {
		line, err := telemetry.MarshalEvent(r.device, session.Event{ID: fmt.Sprintf("%032x", s), Seq: s,
			Time: t0.Add(time.Duration(s) * time.Second), Session: "old", Type: session.PoseStarted, Pose: "tree"})
		must(t, err)
		history.Write(append(line, '\n'))
	}
	testkit.WriteFile(t, r.events, history.Bytes())
	limit := history.Len() + 400 // room for about one more event
	notify := listenNotify(t)
	js, err := json.Marshal(r.args(replayBlocks(t, r.dir, 1)))
	must(t, err)
	cmd := testkit.Child("daemon-fsize", strconv.Itoa(limit)+" "+string(js))
	cmd.Env = append(cmd.Env, "NOTIFY_SOCKET="+notify.path)
	var out testkit.LockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("daemon exit %v, want exit status 1\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "stopped with unresolved problems: eventlog:") {
		t.Errorf("exit error does not name the problem:\n%s", out.String())
	}
	if s := notify.all(); !strings.Contains(s, "STATUS=DEGRADED: eventlog: ") || !strings.Contains(s, "file too large") {
		t.Errorf("systemd status never showed the problem:\n%s", s)
	}
	st, ok := mqtttest.Retained(t, r.client(), r.topics.State)
	var state telemetry.State
	if !ok || json.Unmarshal(st, &state) != nil || len(state.Problems) != 1 || state.Problems[0].Component != "eventlog" {
		t.Errorf("retained state %s: want one eventlog problem", st)
	}
	ev := readEvents(t, r.events) // fails on a torn line
	t.Logf("log: %d lines (%d before the run); MQTT state problem: %+v", len(ev), bytes.Count(history.Bytes(), []byte("\n")), state.Problems)
}

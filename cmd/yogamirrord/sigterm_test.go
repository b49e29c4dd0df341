//go:build opencv && tflite

package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// stopBound is what the SIGTERM tests assert: generous, because this
// machine is shared; the figure each test logs is the measurement, and
// the daemon's own backstop (stopLimit) would show up as exit status 1.
const stopBound = 30 * time.Second

// stopDaemon runs the daemon as a child with args, sends SIGTERM once its
// output says ready (and delay more), and checks that it stopped cleanly
// (exit 0, without its backstop) within stopBound.
func stopDaemon(t *testing.T, args []string, ready string, delay time.Duration) (time.Duration, string) {
	t.Helper()
	js, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	var out testkit.LockedBuffer
	st := testkit.StopWhen(t, testkit.Child("daemon", string(js)), &out, ready, delay)
	if st.Err != nil || st.After > stopBound || strings.Contains(out.String(), "exiting now") {
		t.Fatalf("SIGTERM: exit %v after %v (want a clean exit within %v):\n%s", st.Err, st.After, stopBound, out.String())
	}
	return st.After, out.String()
}

func daemonArgs(t *testing.T, extra ...string) []string {
	return append([]string{"--models", filepath.Dir(testkit.MoveNet(t)), "--state-dir", t.TempDir(),
		"--display", "none"}, extra...)
}

// TestSIGTERMWhileBlockedOnAFIFO: a FIFO named like a video blocks FFmpeg's
// open in C until a writer comes; the daemon still stops at once.
func TestSIGTERMWhileBlockedOnAFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "session.avi")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	took, _ := stopDaemon(t, daemonArgs(t, "--source", fifo), "msg=\"models loaded\"", 500*time.Millisecond)
	t.Logf("blocked opening a FIFO: stopped %v after SIGTERM", took.Round(time.Millisecond))
}

// TestSIGTERMWhileParsingAHugeConfig: a 7 MB config (the size limit raised)
// takes seconds to parse; SIGTERM does not wait for it.
func TestSIGTERMWhileParsingAHugeConfig(t *testing.T) {
	var b strings.Builder
	b.WriteString("tracker:\n  hold_targets:\n")
	for i := range 455_000 {
		fmt.Fprintf(&b, "    p%d: 30\n", i)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(cfg, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	took, _ := stopDaemon(t, daemonArgs(t, "--config", cfg, "--max-config-kib", "16384"), testkit.SignalsHandled, 300*time.Millisecond)
	t.Logf("parsing a 7 MB config: stopped %v after SIGTERM", took.Round(time.Millisecond))
}

// TestSIGTERMWithTheBrokerDown: mid-session with events queued and the
// broker unreachable, the drain waits at most drainBudget, then the
// events stay on disk.
func TestSIGTERMWithTheBrokerDown(t *testing.T) {
	r := newRig(t, "e2e-sigterm")
	r.broker.Stop(t)
	args := r.args(replayBlocks(t, r.dir, 4))
	for i, a := range args {
		if a == "--realtime=false" {
			args[i] = "--realtime=true" // 2 fps: a block takes 9 s
		}
	}
	took, out := stopDaemon(t, args, "msg=ready", 4*time.Second)
	if !strings.Contains(out, "broker unreachable; queued events stay on disk") {
		t.Errorf("no word about the queued events:\n%s", out)
	}
	if n := r.queued(); n == 0 {
		t.Error("nothing queued: the test did not reach the state it is about")
	}
	t.Logf("broker down, %d events queued: stopped %v after SIGTERM (drain budget %v)", r.queued(), took.Round(time.Millisecond), drainBudget)
}

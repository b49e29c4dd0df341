//go:build opencv && tflite

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// The crash test runs the daemon as a child of the test binary and kills it
// with SIGKILL, which it could not do to itself.
func TestMain(m *testing.M) {
	testkit.Main(m, map[string]func(string) int{"daemon": childMain, "daemon-fsize": fsizeChild})
}

// childMain is main with the JSON-encoded argument list js.
func childMain(js string) int {
	var args []string
	if err := json.Unmarshal([]byte(js), &args); err != nil {
		fmt.Fprintln(os.Stderr, "yogamirrord test child:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go exitAfterSignal(ctx, os.Stderr)
	fmt.Fprintln(os.Stderr, testkit.SignalsHandled)
	if err := run(ctx, args, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "yogamirrord:", err)
		return 1
	}
	return 0
}

// child is the daemon running as a child process (this test binary).
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

func (r *rig) startChild(frames string) *child {
	r.t.Helper()
	js, err := json.Marshal(r.args(frames))
	if err != nil {
		r.t.Fatal(err)
	}
	cmd := testkit.Child("daemon", string(js))
	cmd.Stdout, cmd.Stderr = r.logs, r.logs
	if err := cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.err = cmd.Wait()
	}()
	r.t.Cleanup(func() {
		cmd.Process.Kill()
		<-c.done
	})
	return c
}

// wait waits for a clean exit.
func (c *child) wait(t *testing.T) {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(guard):
		t.Fatalf("daemon still running after %v", guard)
	}
	if c.err != nil {
		t.Fatalf("daemon: %v", c.err)
	}
}

// kill9 kills the daemon with SIGKILL: no shutdown code runs.
func (c *child) kill9(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-c.done
	if ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("daemon ended before the kill: %v", c.err)
	}
}

// TestMQTTCrash kills the daemon (SIGKILL) in the middle of a session, the
// moment an event reaches the local log, then starts it again with the same
// state directory for two more sessions. The killed run's events that made
// it into the log must still reach the subscriber, once each and in order.
func TestMQTTCrash(t *testing.T) {
	for _, at := range []int{2, 5} { // after a session start, and mid-hold
		t.Run(fmt.Sprintf("after%d", at), func(t *testing.T) {
			r := newRig(t, fmt.Sprintf("e2e-crash-%d", at))
			start := time.Now()
			c := r.startChild(replayBlocks(t, r.dir, 1))
			r.waitLines(at, c.done)
			c.kill9(t)
			killed := countLines(t, r.events)
			r.startChild(replayBlocks(t, r.dir, 2)).wait(t)
			got := r.checkDelivered()
			r.checkEventCount(killed + 2*eventsPerBlock)
			r.checkOffline()
			t.Logf("killed with %d events in the log; %d logged in all, %d received (%d duplicates); %v",
				killed, got.logged, got.received, got.duplicates, time.Since(start).Round(time.Millisecond))
		})
	}
}

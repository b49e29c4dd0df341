//go:build opencv && tflite

package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// TestRejectedCommandsEchoTheirID: a refused command's error on /error
// carries its command_id, and a hold target for a pose the classifier
// does not have is refused instead of silently never applying.
func TestRejectedCommandsEchoTheirID(t *testing.T) {
	r := newRig(t, "e2e-commands")
	fifo := filepath.Join(t.TempDir(), "camera.avi") // keeps the daemon up, waiting for frames
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { // let the abandoned FFmpeg open return
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
	})
	errs := mqtttest.Subscribe(t, r.client(), r.topics.Error)
	status := mqtttest.Subscribe(t, r.client(), r.topics.Status)
	ctx, cancel := context.WithCancel(context.Background())
	args := r.args(fifo)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, r.logs, r.logs) }()
	status.WaitFor(t, "the daemon online", func(m []mqtttest.Message) bool {
		return len(m) > 0 && string(m[len(m)-1].Payload) == telemetry.Online
	})
	for _, c := range []string{
		`{"cmd":"set_hold_target","target_s":45,"pose":"lotus","id":"c-1"}`,
		`{"cmd":"format_disk","id":"c-2"}`,
		`{"cmd":"set_hold_target","target_s":45,"pose":"tree","id":"c-3"}`, // fine
		`{"cmd":"set_hold_target","target_s":-5,"id":"c-4"}`,
	} {
		mqtttest.Publish(t, r.client(), r.topics.Cmd, 1, false, []byte(c))
	}
	// Malformed commands are refused as they arrive, an unknown pose by the
	// daemon after the hand-over: the two paths may interleave.
	msgs := errs.WaitFor(t, "errors for c-1, c-2 and c-4", func(m []mqtttest.Message) bool {
		return len(m) >= 3
	})
	var got []string
	for _, m := range msgs {
		var ce telemetry.CommandError
		if err := json.Unmarshal(m.Payload, &ce); err != nil {
			t.Fatal(err)
		}
		got = append(got, ce.CommandID)
		if ce.CommandID == "c-1" && !strings.Contains(ce.Error, `pose "lotus" is not one of the classifier's: chair, cobra, dog, tree, warrior`) {
			t.Errorf("c-1: %s", ce.Error)
		}
	}
	slices.Sort(got)
	if strings.Join(got, " ") != "c-1 c-2 c-4" {
		t.Errorf("errors for %v, want c-1 c-2 c-4", got)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(guard):
		t.Fatal("daemon did not stop")
	}
}

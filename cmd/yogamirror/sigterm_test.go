//go:build opencv && tflite

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// The SIGTERM tests run the CLI as a child of the test binary.
func TestMain(m *testing.M) {
	testkit.Main(m, map[string]func(string) int{"cli": cliChild})
}

// cliChild is main with the JSON-encoded argument list js.
func cliChild(js string) int {
	var args []string
	if err := json.Unmarshal([]byte(js), &args); err != nil {
		fmt.Fprintln(os.Stderr, "yogamirror test child:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go exitAfterSignal(ctx, os.Stderr)
	fmt.Fprintln(os.Stderr, testkit.SignalsHandled)
	return run(ctx, args, os.Stdout, os.Stderr)
}

// stopBound is what these tests assert: generous on a shared machine; the
// logged figure is the measurement (the backstop, stopLimit, would show as
// "exiting now").
const stopBound = 30 * time.Second

// stopCLI runs `yogamirror args…`, sends SIGTERM once its output says
// ready (and delay more), and checks that it stopped by itself, with an
// error, within stopBound.
func stopCLI(t *testing.T, ready string, delay time.Duration, args ...string) (time.Duration, string) {
	t.Helper()
	js, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	var out testkit.LockedBuffer
	st := testkit.StopWhen(t, testkit.Child("cli", string(js)), &out, ready, delay)
	if st.Err == nil || st.After > stopBound || strings.Contains(out.String(), "exiting now") {
		t.Fatalf("SIGTERM: exit %v after %v (want a failure exit of its own within %v):\n%s", st.Err, st.After, stopBound, out.String())
	}
	return st.After, out.String()
}

// TestSIGTERMWhileTraining: an MLP on Yoga-82's 4,539 keypoint rows with
// no early stop would run for hours; it stops between minibatches.
func TestSIGTERMWhileTraining(t *testing.T) {
	csv := testkit.Path(t, "data/keypoints/yoga82_test_thunder_yx/Test82.csv")
	took, out := stopCLI(t, "epochs", 500*time.Millisecond, "train", "--models", modelsDir(t), "--out", t.TempDir(),
		"--order", "yx", "--epochs", "100000", "--patience", "100000", csv)
	if !strings.Contains(out, "train: stopped at epoch") {
		t.Errorf("no word that training was stopped:\n%s", out)
	}
	t.Logf("training: stopped %v after SIGTERM", took.Round(time.Millisecond))
}

// TestSIGTERMWhileExtracting: MoveNet over 495 photos takes about a
// minute; extraction stops between photos.
func TestSIGTERMWhileExtracting(t *testing.T) {
	took, _ := stopCLI(t, "keypoints", 500*time.Millisecond, "eval", "--models", modelsDir(t), "--cache", "",
		testkit.Path(t, "data/yoga_cg/test"))
	t.Logf("extracting keypoints: stopped %v after SIGTERM", took.Round(time.Millisecond))
}

// TestSIGTERMWhileBlockedOnAFIFO: detect on a FIFO named like a video
// blocks in FFmpeg's open; the CLI still stops.
func TestSIGTERMWhileBlockedOnAFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "clip.avi")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	took, _ := stopCLI(t, testkit.SignalsHandled, 2*time.Second, "detect", "--models", modelsDir(t), fifo)
	t.Logf("detect blocked on a FIFO: stopped %v after SIGTERM", took.Round(time.Millisecond))
}

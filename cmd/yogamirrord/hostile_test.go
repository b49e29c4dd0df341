//go:build opencv && tflite

package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// daemonErr runs the daemon on a source that does not exist and returns
// its start-up error.
func daemonErr(t *testing.T, args ...string) error {
	t.Helper()
	base := []string{"--models", filepath.Dir(testkit.MoveNet(t)), "--state-dir", t.TempDir(),
		"--source", "/nonexistent/frames", "--display", "none", "--log-level", "error"}
	return run(context.Background(), append(base, args...), io.Discard, io.Discard)
}

// TestDaemonModelReadsAreBounded: /dev/zero as the classifier is refused
// at once (it used to be read until the kernel killed the daemon), and a
// model over limits.model_mib names the file, the limit and the key.
func TestDaemonModelReadsAreBounded(t *testing.T) {
	err := daemonErr(t, "--classifier", "/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero: not a regular file (a character device)") {
		t.Fatalf("--classifier /dev/zero: %v", err)
	}
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(cfg, []byte("limits:\n  model_mib: 1\n"), 0o600)
	err = daemonErr(t, "--config", cfg)
	want := "movenet_singlepose_lightning_int8.tflite is 2.8 MiB, over the 1 MiB limit for TFLite models; raise it with limits.model_mib"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("MoveNet over limits.model_mib 1: %v\nwant %q", err, want)
	}
}

// TestDaemonRefusesATamperedModel: one flipped byte in the models folder's
// classifier stops the daemon with "model corrupt", naming the file,
// instead of running it and answering wrongly.
func TestDaemonRefusesATamperedModel(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"movenet_singlepose_lightning_int8.tflite", "yoga_classifier.tflite", "yoga_labels.txt"} {
		data, err := os.ReadFile(testkit.Path(t, "models/"+name))
		if err != nil {
			t.Fatal(err)
		}
		if name == "yoga_classifier.tflite" {
			data[len(data)/2] ^= 0x10
		}
		testkit.WriteFile(t, filepath.Join(dir, name), data)
	}
	err := run(context.Background(), []string{"--models", dir, "--state-dir", t.TempDir(),
		"--source", "/nonexistent/frames", "--display", "none"}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "model corrupt") || !strings.Contains(err.Error(), filepath.Join(dir, "yoga_classifier.tflite")) {
		t.Fatalf("tampered classifier: %v", err)
	}
}

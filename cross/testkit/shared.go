// Package testkit is the one home of the helpers yogamirror's tests share:
// the read-only ../shared folder of real models and data (a test that needs
// a missing file fails naming it; only `go test -short` skips), golden
// files refreshed with -update, temporary files, a buffer several
// goroutines write to, and child processes a test can SIGKILL. Only tests
// and benchmarks import it.
package testkit

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Root returns the shared folder: $YOGAMIRROR_SHARED, or ../shared beside the
// module root.
func Root() string {
	if d := os.Getenv("YOGAMIRROR_SHARED"); d != "" {
		return d
	}
	_, file, _, _ := runtime.Caller(0)
	// file is <module>/cross/testkit/shared.go
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "shared")
}

// Path returns Root()/rel, failing the test (or skipping it under -short) when
// it does not exist.
func Path(tb testing.TB, rel string) string {
	tb.Helper()
	p := filepath.Join(Root(), rel)
	if _, err := os.Stat(p); err != nil {
		if testing.Short() {
			tb.Skipf("-short: shared data %s is missing", p)
		}
		tb.Fatalf("shared data missing: %s (set YOGAMIRROR_SHARED or put the shared folder beside the repository): %v", p, err)
	}
	return p
}

// MoveNet is the MoveNet Lightning int8 model.
func MoveNet(tb testing.TB) string {
	return Path(tb, "models/movenet_singlepose_lightning_int8.tflite")
}

// YogaClassifier is Google's tutorial yoga classifier and its labels.
func YogaClassifier(tb testing.TB) (model, labels string) {
	return Path(tb, "models/yoga_classifier.tflite"), Path(tb, "models/yoga_labels.txt")
}

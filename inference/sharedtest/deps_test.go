package sharedtest

import (
	"os/exec"
	"strings"
	"testing"
)

// TestCgoStaysAtTheLeaves: only device/camera/capture (gocv) and
// inference/tflite (go-tflite) import cgo libraries. The packages below must
// not depend on either even with the cgo tags on; the model runners
// (movenet, classify, train) reach go-tflite only through inference/tflite.
func TestCgoStaysAtTheLeaves(t *testing.T) {
	pure := []string{
		"./device/camera", "./device/camera/cameratest", "./device/board",
		"./inference/pose", "./inference/session", "./inference/pipeline", "./inference/offline/dataset/...",
		"./inference/offline/report", "./inference/offline/chart", "./inference/catalog",
		"./display/...", "./telemetry/...", "./systemd",
	}
	args := append([]string{"list", "-deps", "-tags", "opencv tflite"}, pure...)
	cmd := exec.Command("go", args...)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "gocv.io/") || strings.HasPrefix(dep, "github.com/mattn/go-tflite") {
			t.Errorf("a pure package depends on %s", dep)
		}
	}
}

package tflitefile

import (
	"os"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

func TestReadOpCodes(t *testing.T) {
	data, err := os.ReadFile(testkit.Path(t, "models/incompatible/pose_classifier.tflite"))
	if err != nil {
		t.Fatal(err)
	}
	ops, err := ReadOpCodes(data)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, op := range ops {
		if op.Name() == "FULLY_CONNECTED" && op.Version == 12 {
			found = true
		}
	}
	if !found {
		t.Fatalf("ops %+v lack FULLY_CONNECTED v12", ops)
	}
	// Every prefix of a real model must give an error or a result, never a panic.
	for n := 0; n < len(data); n += 7 {
		ReadOpCodes(data[:n])
		ReadMetadata(data[:n], "x")
	}
}

//go:build tflite

package tflite

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// fakeEdgeTPU compiles testdata/fake_delegate.c, a stand-in for
// libedgetpu.so.1 that logs what TFLite does with it, with $CC (gcc by
// default, so cross-compiled test binaries get a matching library).
func fakeEdgeTPU(t *testing.T) string {
	t.Helper()
	cc := []string{"gcc"}
	if v := strings.Fields(os.Getenv("CC")); len(v) > 0 {
		cc = v
	}
	inc, err := filepath.Abs(filepath.Join("..", "..", "build", "tflite", "include"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(inc, "tensorflow", "lite", "c", "common.h")); err != nil {
		t.Fatalf("TensorFlow Lite headers missing (run make setup): %v", err)
	}
	lib := filepath.Join(t.TempDir(), "libfake-edgetpu.so.1")
	args := append(cc[1:], "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-I", inc,
		"-o", lib, filepath.Join("testdata", "fake_delegate.c"))
	if out, err := exec.Command(cc[0], args...).CombinedOutput(); err != nil {
		t.Fatalf("compiling the fake Edge TPU delegate: %v\n%s", err, out)
	}
	return lib
}

// readLog returns the fake delegate's log lines (none when it was never created).
func readLog(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

// invokeMoveNet runs MoveNet on a fixed synthetic frame and returns its output.
func invokeMoveNet(t *testing.T, it *Interpreter) []float32 {
	t.Helper()
	buf, err := it.Uint8Input(0)
	if err != nil {
		t.Fatal(err)
	}
	for k := range buf {
		buf[k] = uint8((k*7 + k/577) % 251)
	}
	if err := it.Invoke(); err != nil {
		t.Fatal(err)
	}
	out, err := it.Output(0, nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// cpuReference is MoveNet's output on TFLite's built-in kernels.
func cpuReference(t *testing.T, model string) []float32 {
	t.Helper()
	it, err := Load(model, Options{Delegate: DelegateCPU})
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	return invokeMoveNet(t, it)
}

func TestEdgeTPUDelegateLoads(t *testing.T) {
	model := testkit.MoveNet(t)
	lib := fakeEdgeTPU(t)
	logPath := filepath.Join(t.TempDir(), "delegate.log")
	it, err := Load(model, Options{
		Delegate:       DelegateEdgeTPU,
		EdgeTPULibrary: lib,
		EdgeTPUDevice:  "usb:0",
		EdgeTPUOptions: map[string]string{"fake_log": logPath, "performance": "max"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The shared MoveNet is not compiled for the Edge TPU: the delegate is
	// loaded, and the notice says it will run nothing.
	if it.Backend() != DelegateEdgeTPU || !strings.Contains(it.Notice(), "not compiled for the Edge TPU") {
		t.Errorf("backend %q, notice %q; want edgetpu and a not-compiled notice", it.Backend(), it.Notice())
	}
	got := invokeMoveNet(t, it)
	if want := cpuReference(t, model); !reflect.DeepEqual(got, want) {
		t.Errorf("output with the pass-through delegate differs from the CPU's:\n got %v\nwant %v", got, want)
	}
	it.Close()
	lines := readLog(t, logPath)
	wantCreate := "create device=usb:0 fake_log=" + logPath + " performance=max"
	if len(lines) != 3 || lines[0] != wantCreate || !strings.HasPrefix(lines[1], "prepare nodes=") ||
		lines[1] == "prepare nodes=0" || lines[2] != "destroy" {
		t.Errorf("delegate log %q; want [%q, \"prepare nodes=N>0\", \"destroy\"]", lines, wantCreate)
	}
}

func TestEdgeTPUUnavailable(t *testing.T) {
	model := testkit.MoveNet(t)
	fake := fakeEdgeTPU(t)
	missing := filepath.Join(t.TempDir(), "libedgetpu.so.1")
	want := cpuReference(t, model)
	cases := []struct {
		name, lib, mode string
		wantMsg         []string // in the notice (fallback) and in the error (required)
		wantLog         []string // the fake's log, without the create line's options
	}{
		{"missing library", missing, "", []string{missing, "No such file"}, nil},
		{"not a delegate plugin", "libm.so.6", "", []string{"libm.so.6", "does not export tflite_plugin_create_delegate"}, nil},
		{"no device", fake, "nodevice", []string{fake, "delegate creation failed: Failed to find an Edge TPU device"}, []string{"create"}},
		{"no device, no message", fake, "silent", []string{fake, "delegate creation failed (no device found?)"}, []string{"create"}},
	}
	for _, c := range cases {
		for _, required := range []bool{false, true} {
			name := c.name
			if required {
				name += " required"
			}
			t.Run(name, func(t *testing.T) {
				logPath := filepath.Join(t.TempDir(), "delegate.log")
				it, err := Load(model, Options{
					Delegate:       DelegateEdgeTPU,
					EdgeTPULibrary: c.lib,
					RequireEdgeTPU: required,
					EdgeTPUOptions: map[string]string{"fake_log": logPath, "fake_mode": c.mode},
				})
				msg := ""
				switch {
				case required && err == nil:
					it.Close()
					t.Fatal("Load succeeded although the Edge TPU was required")
				case required:
					msg = err.Error()
					if !strings.HasPrefix(msg, "tflite: "+model+": ") {
						t.Errorf("error %q does not start with the package and model", msg)
					}
				case err != nil:
					t.Fatalf("no CPU fallback: %v", err)
				default:
					defer it.Close()
					msg = it.Notice()
					if it.Backend() == DelegateEdgeTPU {
						t.Errorf("backend is edgetpu without a delegate")
					}
					if !strings.HasSuffix(msg, "; running on the CPU") {
						t.Errorf("notice %q does not say the CPU runs the model", msg)
					}
					if got := invokeMoveNet(t, it); !reflect.DeepEqual(got, want) {
						t.Errorf("fallback output differs from the CPU's")
					}
				}
				for _, w := range c.wantMsg {
					if !strings.Contains(msg, w) {
						t.Errorf("%q does not mention %q", msg, w)
					}
				}
				var verbs []string
				for _, l := range readLog(t, logPath) {
					verbs = append(verbs, strings.Fields(l)[0])
				}
				if !reflect.DeepEqual(verbs, c.wantLog) {
					t.Errorf("delegate log %q; want %q", verbs, c.wantLog)
				}
			})
		}
	}
}

// A delegate whose Prepare fails (libedgetpu does this for a model compiled
// for a newer Edge TPU runtime) must surface TFLite's message and still be
// destroyed.
func TestEdgeTPUPrepareFailsRequired(t *testing.T) {
	model := testkit.MoveNet(t)
	logPath := filepath.Join(t.TempDir(), "delegate.log")
	it, err := Load(model, Options{
		Delegate:       DelegateEdgeTPU,
		EdgeTPULibrary: fakeEdgeTPU(t),
		RequireEdgeTPU: true,
		EdgeTPUOptions: map[string]string{"fake_log": logPath, "fake_mode": "prepare_error"},
	})
	if err == nil {
		it.Close()
		t.Fatal("Load succeeded although the required delegate failed to prepare")
	}
	if !strings.Contains(err.Error(), "Prepare failed on purpose") {
		t.Errorf("error %q does not carry the delegate's message", err)
	}
	var verbs []string
	for _, l := range readLog(t, logPath) {
		verbs = append(verbs, strings.Fields(l)[0])
	}
	if want := []string{"create", "prepare", "destroy"}; !reflect.DeepEqual(verbs, want) {
		t.Errorf("delegate log %q; want %q", verbs, want)
	}
}

// Without RequireEdgeTPU, a delegate that fails to prepare falls back to the
// CPU with a notice naming the failure, and the model still runs.
func TestEdgeTPUPrepareFailsFallsBack(t *testing.T) {
	model := testkit.MoveNet(t)
	it, err := Load(model, Options{
		Delegate:       DelegateEdgeTPU,
		EdgeTPULibrary: fakeEdgeTPU(t),
		EdgeTPUOptions: map[string]string{"fake_log": filepath.Join(t.TempDir(), "log"), "fake_mode": "prepare_error"},
	})
	if err != nil {
		t.Fatalf("Load failed instead of falling back: %v", err)
	}
	defer it.Close()
	if it.Backend() == DelegateEdgeTPU || !strings.Contains(it.Notice(), "Prepare failed on purpose") {
		t.Errorf("backend %q, notice %q", it.Backend(), it.Notice())
	}
	if got, want := invokeMoveNet(t, it), cpuReference(t, model); len(got) != len(want) {
		t.Errorf("fallback output has %d values, want %d", len(got), len(want))
	}
}

//go:build tflite

package tflite

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

func TestLoadMoveNet(t *testing.T) {
	for _, d := range []Delegate{DelegateCPU, DelegateXNNPACK, DelegateAuto} {
		t.Run(string(d)+"default", func(t *testing.T) {
			it, err := Load(testkit.MoveNet(t), Options{Delegate: d})
			if err != nil {
				t.Fatal(err)
			}
			defer it.Close()
			in, out := it.Inputs(), it.Outputs()
			if len(in) != 1 || in[0].Type != UInt8 || !in[0].SameShape(1, 192, 192, 3) {
				t.Fatalf("inputs %+v", in)
			}
			if len(out) != 1 || out[0].Type != Float32 || !out[0].SameShape(1, 1, 17, 3) {
				t.Fatalf("outputs %+v", out)
			}
			buf, err := it.Uint8Input(0)
			if err != nil {
				t.Fatal(err)
			}
			for k := range buf {
				buf[k] = uint8(k % 251)
			}
			if err := it.Invoke(); err != nil {
				t.Fatal(err)
			}
			res, err := it.Output(0, nil)
			if err != nil || len(res) != 51 {
				t.Fatalf("output %v %v", len(res), err)
			}
			for k, v := range res {
				if v < 0 || v > 1 {
					t.Fatalf("value %d = %v outside 0..1", k, v)
				}
			}
			if _, err := it.Float32Input(0); err == nil {
				t.Fatal("Float32Input on a uint8 tensor succeeded")
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	good, err := os.ReadFile(testkit.MoveNet(t))
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flipped := append([]byte(nil), good...)
	for k := 64; k < len(flipped); k += 97 {
		flipped[k] ^= 0xA5
	}
	cases := []struct {
		name, path string
		want       []string
	}{
		{"missing", filepath.Join(dir, "nope.tflite"), []string{"nope.tflite", "no such file"}},
		{"empty", write("empty.tflite", nil), []string{"empty.tflite", "empty file"}},
		{"text", write("text.tflite", []byte("<html>not found</html>")), []string{"text.tflite", "no TFL3"}},
		{"truncated", write("trunc.tflite", good[:len(good)/3]), []string{"trunc.tflite"}},
		{"corrupt", write("corrupt.tflite", flipped), []string{"corrupt.tflite"}},
		{"incompatible", testkit.Path(t, "models/incompatible/pose_classifier.tflite"),
			[]string{"pose_classifier.tflite", "FULLY_CONNECTED", "version '12'"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			it, err := Load(c.path, Options{})
			if err == nil {
				it.Close()
				t.Fatalf("loaded %s", c.path)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

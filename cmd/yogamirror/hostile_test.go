//go:build opencv && tflite

package main

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// runCLIBounded is runCLI that fails the test instead of hanging.
func runCLIBounded(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	type result struct {
		out, errs string
		code      int
	}
	done := make(chan result, 1)
	go func() {
		o, e, c := runCLI(t, args...)
		done <- result{o, e, c}
	}()
	select {
	case r := <-done:
		return r.out, r.errs, r.code
	case <-time.After(5 * time.Minute):
		t.Fatalf("yogamirror %s blocked", strings.Join(args, " "))
		return "", "", 0
	}
}

// pngClaiming is a real w×h 1-bit PNG (a 20000×20000 one is ~50 KB).
func pngClaiming(w, h int) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(typ string, data []byte) {
		binary.Write(&b, binary.BigEndian, uint32(len(data)))
		c := append([]byte(typ), data...)
		b.Write(c)
		binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(c))
	}
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8] = 1
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+(w+7)/8)
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// TestCLIReadsAreBounded: what used to eat memory or hang the CLI now
// fails (or is skipped) at once with the file, the limit and the flag.
func TestCLIReadsAreBounded(t *testing.T) {
	dir := t.TempDir()
	zeroModel := filepath.Join(dir, "zero.tflite")
	os.Symlink("/dev/zero", zeroModel)
	bigModel := filepath.Join(dir, "big.tflite")
	os.WriteFile(bigModel, make([]byte, 2<<20), 0o600)
	csv := testkit.Path(t, "data/keypoints/yoga82_test_thunder_yx/Test82.csv")
	tree := filepath.Join(dir, "tree")
	os.MkdirAll(filepath.Join(tree, "tree"), 0o755)
	photo, _ := os.ReadFile(testkit.Path(t, "data/yoga_cg/test/tree/guy3_tree085.jpg"))
	os.WriteFile(filepath.Join(tree, "tree", "a.jpg"), photo, 0o600)
	syscall.Mkfifo(filepath.Join(tree, "tree", "fifo.jpg"), 0o600)
	os.Symlink("/dev/zero", filepath.Join(tree, "tree", "zero.jpg"))
	bomb := filepath.Join(dir, "bomb.png")
	os.WriteFile(bomb, pngClaiming(20000, 20000), 0o600)
	models := modelsDir(t)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"classifier is /dev/zero", []string{"detect", "--models", models, "--classifier", zeroModel, bomb},
			[]string{zeroModel + ": not a regular file (a character device)"}},
		{"classifier over --max-model-mib", []string{"detect", "--models", models, "--classifier", bigModel, "--max-model-mib", "1", bomb},
			[]string{bigModel + " is 2 MiB, over the 1 MiB limit for TFLite models", "--max-model-mib"}},
		{"decoding bomb", []string{"detect", "--models", models, bomb},
			[]string{"20000×20000 = 400.0 megapixels, over the 50 megapixel limit", "--max-megapixels"}},
		{"CSV over --max-list-mib", []string{"train", "--models", models, "--out", t.TempDir(), "--order", "yx", "--max-list-mib", "1", csv},
			[]string{"Test82.csv is 2.8 MiB, over the 1 MiB limit for label files, keypoint CSVs and split lists", "--max-list-mib"}},
		{"CSV is /dev/zero", []string{"train", "--models", models, "--out", t.TempDir(), "--order", "xy", "/dev/zero"},
			[]string{"/dev/zero: not a regular file"}},
		{"FIFO and /dev/zero named .jpg", []string{"eval", "--models", models, "--cache", "", tree},
			[]string{"fifo.jpg: not a regular file (a FIFO)", "zero.jpg: not a regular file (a character device)", "accuracy 1/3"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errs, code := runCLIBounded(t, tc.args...)
			all := out + errs
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("exit %d, output does not say %q:\n%s", code, w, all)
				}
			}
			if strings.HasPrefix(tc.name, "FIFO") == (code != 0) {
				t.Errorf("exit %d", code)
			}
		})
	}
}

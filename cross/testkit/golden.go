package testkit

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/ instead of comparing with them")

// Updating reports whether the test run was asked to rewrite golden files.
func Updating() bool { return *update }

// Golden compares got with testdata/name byte for byte; with -update it
// rewrites the file instead.
func Golden(tb testing.TB, name string, got []byte) {
	tb.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		WriteFile(tb, path, got)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("%s differs from the golden file (run go test -update if the change is intended):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// GoldenPNG compares got with testdata/name, a PNG. On amd64, where the
// goldens are made, every pixel must match; elsewhere a pixel in a thousand
// may differ by up to an eighth of the range (antialiasing differs in the
// last bits between CPUs, e.g. with fused multiply-add on arm64; a layout
// change moves far more). On a mismatch got is written to a temporary file
// named in the error. With -update it rewrites the file instead.
func GoldenPNG(tb testing.TB, name string, got image.Image) {
	tb.Helper()
	GoldenPNGAt(tb, filepath.Join("testdata", name), got)
}

// GoldenPNGAt is GoldenPNG for a file outside testdata (pictures that are
// documentation too, such as the display's screenshots).
func GoldenPNGAt(tb testing.TB, path string, got image.Image) {
	tb.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, got); err != nil {
		tb.Fatal(err)
	}
	if *update {
		WriteFile(tb, path, buf.Bytes())
		return
	}
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("%v (run go test -update to create it)", err)
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		tb.Fatalf("golden %s: %v", path, err)
	}
	allowed, step := 0, uint32(0)
	if runtime.GOARCH != "amd64" {
		allowed, step = 1000, 0x2000
	}
	if n, total := diffPixels(got, want, step); n > 0 && (allowed == 0 || n > total/allowed) {
		out := filepath.Join(tb.TempDir(), filepath.Base(path))
		WriteFile(tb, out, buf.Bytes())
		tb.Errorf("%d of %d pixels differ from %s (got written to %s; run go test -update if the change is intended)", n, total, path, out)
	}
}

// diffPixels counts pixels with a channel differing by more than step.
func diffPixels(got, want image.Image, step uint32) (n, total int) {
	b := got.Bounds()
	total = b.Dx() * b.Dy()
	if want.Bounds() != b {
		return total, total
	}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r1, g1, b1, a1 := got.At(x, y).RGBA()
			r2, g2, b2, a2 := want.At(x, y).RGBA()
			if far(r1, r2, step) || far(g1, g2, step) || far(b1, b2, step) || far(a1, a2, step) {
				n++
			}
		}
	}
	return n, total
}

func far(a, b, step uint32) bool { return a > b+step || b > a+step }

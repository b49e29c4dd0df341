package chart_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden PNGs in testdata/")

type pngChart interface {
	PNG(w io.Writer) error
}

// golden renders c and compares its pixels with testdata/name.png.
func golden(t *testing.T, name string, c pngChart) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.PNG(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".png")
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := readPNG(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(got, want); d != "" && !tolerable(got, want) {
		bad := filepath.Join(t.TempDir(), name+".png")
		os.WriteFile(bad, buf.Bytes(), 0o644)
		t.Errorf("%s differs from %s: %s (got written to %s; -update if intended)", name, path, d, bad)
	}
}

// tolerable accepts anti-aliasing differences on other architectures: the
// goldens are made on amd64, and arm64 may fuse multiply-adds in the
// rasterizer. Layout changes move far more pixels than this allows.
func tolerable(a, b image.Image) bool {
	if runtime.GOARCH == "amd64" || a.Bounds() != b.Bounds() {
		return false
	}
	r, bad := a.Bounds(), 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			if absDiff(r1, r2) > 0x2000 || absDiff(g1, g2) > 0x2000 || absDiff(b1, b2) > 0x2000 {
				bad++
			}
		}
	}
	return bad <= r.Dx()*r.Dy()/10000
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

func diff(a, b image.Image) string {
	if a.Bounds() != b.Bounds() {
		return fmt.Sprintf("size %v, want %v", a.Bounds(), b.Bounds())
	}
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				n++
			}
		}
	}
	if n > 0 {
		return fmt.Sprintf("%d pixels differ", n)
	}
	return ""
}

//go:build opencv

package capture

import (
	"context"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"github.com/yogamirror/yogamirror/device/camera"
)

// writeVideo synthesises an MJPG .avi whose frame i is filled with grey level 8*i.
func writeVideo(t *testing.T, path string, frames int) {
	t.Helper()
	imgs := make([]image.Image, frames)
	for i := range imgs {
		img := image.NewRGBA(image.Rect(0, 0, 64, 48))
		draw.Draw(img, img.Rect, image.NewUniform(color.Gray{uint8(8 * i)}), image.Point{}, draw.Src)
		imgs[i] = img
	}
	if err := WriteVideo(path, 25, imgs); err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, src camera.Source) ([]camera.Frame, []uint8, error) {
	t.Helper()
	var frames []camera.Frame
	var greys []uint8
	for {
		f, err := src.Next(context.Background())
		if err != nil {
			return frames, greys, err
		}
		frames = append(frames, f)
		greys = append(greys, f.Img.RGBAAt(32, 24).R)
	}
}

func TestVideoFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "session.avi")
	writeVideo(t, path, 30)
	src, err := Open(path, camera.Opts{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	frames, greys, err := readAll(t, src)
	if err != io.EOF {
		t.Fatalf("ended with %v, want io.EOF", err)
	}
	if len(frames) != 30 {
		t.Fatalf("read %d frames, want 30", len(frames))
	}
	for i, f := range frames {
		if want := int(8 * i); abs(int(greys[i])-want) > 6 {
			t.Errorf("frame %d grey %d, want ≈%d", i, greys[i], want)
		}
		if i > 0 && !f.Time.After(frames[i-1].Time) {
			t.Errorf("frame %d time %v not after %v", i, f.Time, frames[i-1].Time)
		}
		if f.Seq != uint64(i) {
			t.Errorf("frame %d has seq %d", i, f.Seq)
		}
	}
	if d := frames[25].Time.Sub(frames[0].Time).Seconds(); d < 0.95 || d > 1.05 {
		t.Errorf("25 frames at 25 fps span %.3f s, want 1 s", d)
	}
}

func TestTruncatedVideo(t *testing.T) {
	dir := t.TempDir()
	full := filepath.Join(dir, "full.avi")
	writeVideo(t, full, 40)
	data, err := os.ReadFile(full)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.avi")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	src, err := Open(cut, camera.Opts{})
	if err != nil {
		if !strings.Contains(err.Error(), "cut.avi") {
			t.Fatalf("error %q does not name the file", err)
		}
		return
	}
	defer src.Close()
	frames, _, err := readAll(t, src)
	if len(frames) == 0 || len(frames) >= 40 {
		t.Fatalf("read %d frames from half a 40-frame file", len(frames))
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("after %d frames: %v, want an error saying the file is truncated", len(frames), err)
	}
	t.Logf("kept %d frames, then: %v", len(frames), err)
}

func TestMissingSources(t *testing.T) {
	for _, spec := range []string{"/dev/video97", "97", filepath.Join(t.TempDir(), "nope.mp4")} {
		if src, err := Open(spec, camera.Opts{}); err == nil {
			src.Close()
			t.Errorf("opened %s", spec)
		} else {
			t.Logf("%s: %v", spec, err)
		}
	}
}

// TestWebPNamedJPG writes a real WebP with OpenCV, names it .jpg, and checks
// the pure-Go decoder sniffs it.
func TestWebPNamedJPG(t *testing.T) {
	dir := t.TempDir()
	m := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(0, 0, 255, 0), 20, 30, gocv.MatTypeCV8UC3)
	defer m.Close()
	path := filepath.Join(dir, "photo.webp")
	if !gocv.IMWrite(path, m) {
		t.Fatal("OpenCV cannot write WebP")
	}
	jpg := filepath.Join(dir, "photo.jpg")
	if err := os.Rename(path, jpg); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(jpg)
	if err != nil {
		t.Fatal(err)
	}
	img, err := camera.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if img.Rect != image.Rect(0, 0, 30, 20) {
		t.Fatalf("bounds %v", img.Rect)
	}
	if c := img.RGBAAt(15, 10); c.R < 200 || c.B > 60 {
		t.Fatalf("pixel %v, want red", c)
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// TestFramesOverThePixelLimitAreDownscaled: a video (or camera) whose
// frames exceed MaxPixels delivers them downscaled at capture, aspect kept.
func TestFramesOverThePixelLimitAreDownscaled(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.avi")
	writeVideo(t, path, 3) // 64×48 = 3072 pixels
	src, err := Open(path, camera.Opts{MaxPixels: 768})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for i := 0; ; i++ {
		f, err := src.Next(context.Background())
		if err == io.EOF && i == 3 {
			break
		}
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if got := f.Img.Rect.Size(); got != image.Pt(32, 24) {
			t.Errorf("frame %d is %v, want 32×24 (768 pixels, 4:3)", i, got)
		}
		if c := f.Img.RGBAAt(16, 12).R; abs(int(c)-8*i) > 6 {
			t.Errorf("frame %d grey %d after scaling, want ≈%d", i, c, 8*i)
		}
	}
}

func TestFitPixels(t *testing.T) {
	for _, tc := range []struct{ w, h, max, ww, wh int }{
		{640, 480, 0, 640, 480},
		{10000, 10000, 0, 7071, 7071},
		{7680, 4320, 8_000_000, 3771, 2121},
		{64, 48, 768, 32, 24},
	} {
		w, h, ok := fitPixels(tc.w, tc.h, tc.max)
		if w != tc.ww || h != tc.wh || ok != (w == tc.w && h == tc.h) {
			t.Errorf("fitPixels(%d, %d, %d) = %d, %d, %v; want %d, %d", tc.w, tc.h, tc.max, w, h, ok, tc.ww, tc.wh)
		}
	}
}

// TestOpenAFIFOGivesUp: a FIFO named like a video blocks FFmpeg's open
// until a writer comes; OpenContext returns when its context ends.
func TestOpenAFIFOGivesUp(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "session.avi")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := OpenContext(ctx, fifo, camera.Opts{})
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), fifo) {
			t.Fatalf("err %v, want the context's error naming the FIFO", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("OpenContext blocked on the FIFO")
	}
	// Let the abandoned open finish: a writer that closes at once.
	if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
		w.Close()
	}
}

package camera

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

func encoded(t *testing.T, enc func(io.Writer, image.Image) error) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.SetRGBA(5, 5, color.RGBA{255, 0, 0, 255})
	var b bytes.Buffer
	if err := enc(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImagesFolder(t *testing.T) {
	dir := t.TempDir()
	jpg := encoded(t, func(w io.Writer, m image.Image) error { return jpeg.Encode(w, m, nil) })
	pngData := encoded(t, png.Encode)
	testkit.WriteFile(t, filepath.Join(dir, "a.jpg"), jpg)
	testkit.WriteFile(t, filepath.Join(dir, "b.jpg"), pngData) // a PNG named .jpg
	testkit.WriteFile(t, filepath.Join(dir, "c.jpg"), []byte("<html>404</html>"))
	testkit.WriteFile(t, filepath.Join(dir, "d.png"), pngData[:len(pngData)/2])
	testkit.WriteFile(t, filepath.Join(dir, "e.jpeg"), jpg[:len(jpg)/2])
	testkit.WriteFile(t, filepath.Join(dir, "f.PNG"), pngData)
	testkit.WriteFile(t, filepath.Join(dir, "notes.txt"), []byte("ignored"))

	paths, err := ListImages(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := NewImages(paths, Opts{FPS: 4, Start: time.Unix(100, 0)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var good, skipped []string
	var times []time.Time
	for {
		f, err := src.Next(context.Background())
		if err == io.EOF {
			break
		}
		var skip *SkipError
		if errors.As(err, &skip) {
			skipped = append(skipped, filepath.Base(skip.Name))
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		good = append(good, filepath.Base(f.Name))
		times = append(times, f.Time)
		if f.Img.Rect.Dx() != 40 || f.Img.Rect.Dy() != 30 {
			t.Errorf("%s: size %v", f.Name, f.Img.Rect)
		}
	}
	wantGood := []string{"a.jpg", "b.jpg", "f.PNG"}
	wantSkipped := []string{"c.jpg", "d.png", "e.jpeg"}
	if !slices.Equal(good, wantGood) || !slices.Equal(skipped, wantSkipped) {
		t.Fatalf("good %v skipped %v, want %v and %v", good, skipped, wantGood, wantSkipped)
	}
	// Frame i is at Start + i/FPS whether or not earlier files decoded.
	if want := time.Unix(100, 0).Add(5 * time.Second / 4); !times[2].Equal(want) {
		t.Errorf("f.PNG at %v, want %v", times[2], want)
	}
}

func TestClassify(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		spec string
		want Kind
	}{
		{"0", KindDevice}, {"/dev/video2", KindDevice}, {"libcamera", KindGStreamer},
		{"videotestsrc ! appsink", KindGStreamer}, {"rtsp://cam.local/stream", KindURL},
		{dir, KindImages}, {"photo.JPG", KindImages}, {"class.mp4", KindVideo},
	}
	for _, c := range cases {
		if got, _ := Classify(c.spec); got != c.want {
			t.Errorf("Classify(%q) = %v, want %v", c.spec, got, c.want)
		}
	}
}

func TestEmptyFolder(t *testing.T) {
	if _, err := ListImages(t.TempDir()); err == nil {
		t.Fatal("opened an empty folder")
	}
}

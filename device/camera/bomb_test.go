package camera

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/device/storage"
)

// pngBomb is a valid 1-bit greyscale PNG of w×h black pixels: 20000×20000
// compresses to ~50 KB but decodes to 400 MB (1.6 GB as RGBA).
func pngBomb(t testing.TB, w, h int) []byte {
	t.Helper()
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
	ihdr[8], ihdr[9] = 1, 0 // bit depth 1, greyscale
	chunk("IHDR", ihdr)
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	row := make([]byte, 1+(w+7)/8) // filter byte 0 + the row
	for y := 0; y < h; y++ {
		zw.Write(row)
	}
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return b.Bytes()
}

// jpegClaiming is a real 16×16 JPEG whose frame header (SOF0) is patched
// to claim w×h.
func jpegClaiming(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 16, 16)), nil); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	i := bytes.Index(data, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0 marker")
	}
	binary.BigEndian.PutUint16(data[i+5:], uint16(h))
	binary.BigEndian.PutUint16(data[i+7:], uint16(w))
	return data
}

// TestDecodingBombsAreRefusedBeforeDecoding: a header claiming enormous
// dimensions is refused from the header, naming the limit and how to
// raise it, without allocating the image.
func TestDecodingBombsAreRefusedBeforeDecoding(t *testing.T) {
	bomb := pngBomb(t, 20000, 20000)
	t.Logf("20000×20000 PNG: %d bytes", len(bomb))
	for _, tc := range []struct {
		name string
		data []byte
		max  int
		want string
	}{
		{"png 20000x20000", bomb, 0, "20000×20000 = 400.0 megapixels, over the 50 megapixel limit"},
		{"jpeg 65535x65535", jpegClaiming(t, 65535, 65535), 0, "65535×65535 = 4294.8 megapixels, over the 50 megapixel limit"},
		{"configured limit", jpegClaiming(t, 4000, 3000), 10_000_000, "4000×3000 = 12.0 megapixels, over the 10 megapixel limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := NewDecoder(tc.max)(tc.data)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrTooManyPixels) || !strings.Contains(err.Error(), tc.want) ||
				!strings.Contains(err.Error(), "--max-megapixels") || !strings.Contains(err.Error(), "limits.image_megapixels") {
				t.Fatalf("err %v, want ErrTooManyPixels saying %q and how to raise it", err, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
				t.Errorf("refusing allocated %d bytes: the image was decoded", alloc)
			}
		})
	}
	// Under the limit, the same kind of file decodes.
	img, err := NewDecoder(0)(pngBomb(t, 300, 200))
	if err != nil || img.Rect.Dx() != 300 || img.Rect.Dy() != 200 {
		t.Fatalf("300×200 PNG: %v, %v", img.Rect, err)
	}
}

// TestImagesRefuseUnboundedFiles: in a replayed folder, a FIFO and a
// symlink to /dev/zero named .jpg and an oversized file are skipped with
// a reason, without blocking or reading them; the good image still plays.
func TestImagesRefuseUnboundedFiles(t *testing.T) {
	dir := t.TempDir()
	good := jpegClaiming(t, 16, 16)
	testkit.WriteFile(t, filepath.Join(dir, "a.jpg"), good)
	if err := syscall.Mkfifo(filepath.Join(dir, "b.jpg"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "c.jpg")); err != nil {
		t.Fatal(err)
	}
	testkit.WriteFile(t, filepath.Join(dir, "d.jpg"), make([]byte, 2048))
	testkit.WriteFile(t, filepath.Join(dir, "e.png"), pngBomb(t, 20000, 20000))
	paths, err := ListImages(dir)
	if err != nil {
		t.Fatal(err)
	}
	src := NewImages(paths, Opts{MaxImageBytes: 1024 + int64(len(pngBomb(t, 20000, 20000)))}, nil)
	want := map[string]error{"a.jpg": nil, "b.jpg": storage.ErrNotRegular, "c.jpg": storage.ErrNotRegular,
		"e.png": ErrTooManyPixels}
	src2 := NewImages(paths[3:4], Opts{MaxImageBytes: 1024}, nil)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range paths {
			f, err := src.Next(t.Context())
			name := filepath.Base(f.Name)
			if name == "d.jpg" {
				continue // not a JPEG at all; its size is checked below
			}
			if w := want[name]; (w == nil) != (err == nil) || (w != nil && !errors.Is(err, w)) {
				t.Errorf("%s: err %v, want %v", name, err, w)
			}
		}
		_, err := src2.Next(t.Context())
		if !errors.Is(err, storage.ErrTooLarge) || !strings.Contains(err.Error(), "--max-image-mib") {
			t.Errorf("d.jpg over a 1 KiB limit: %v", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("the replay blocked on a FIFO or /dev/zero")
	}
}

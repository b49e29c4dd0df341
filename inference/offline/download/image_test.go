package download_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/yogamirror/yogamirror/inference/offline/download"
	"github.com/yogamirror/yogamirror/inference/offline/download/downloadtest"
)

func TestVerifyImage(t *testing.T) {
	jpg := downloadtest.Encode("jpeg", "v")
	png := downloadtest.Encode("png", "v")
	gif := downloadtest.Encode("gif", "v")
	webp := downloadtest.Encode("webp", "v")
	for _, tc := range []struct {
		name      string
		data      []byte
		maxPixels int64
		format    string
		err       error
	}{
		{"jpeg", jpg, 0, "jpeg", nil},
		{"png", png, 0, "png", nil},
		{"gif", gif, 0, "gif", nil},
		{"webp", webp, 0, "webp", nil},
		{"bmp", downloadtest.Encode("bmp", "v"), 0, "bmp", nil},
		{"truncated jpeg", jpg[:len(jpg)*2/3], 0, "jpeg", download.ErrCorrupt},
		{"truncated png", png[:len(png)-20], 0, "png", download.ErrCorrupt},
		{"truncated gif", gif[:len(gif)/2], 0, "gif", download.ErrCorrupt},
		{"truncated webp", webp[:len(webp)-6], 0, "webp", download.ErrCorrupt},
		{"header only", jpg[:20], 0, "", download.ErrCorrupt},
		{"html", []byte("<html><body>nope</body></html>"), 0, "", download.ErrNotImage},
		{"too many pixels", jpg, 100, "jpeg", download.ErrTooManyPixels},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := download.VerifyImage(bytes.NewReader(tc.data), tc.maxPixels)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if info.Format != tc.format {
				t.Errorf("format %q, want %q", info.Format, tc.format)
			}
		})
	}
}

package fetch_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/yogamirror/yogamirror/inference/dataset/fetch"
	"github.com/yogamirror/yogamirror/inference/dataset/fetch/fetchtest"
)

func TestVerifyImage(t *testing.T) {
	jpg := fetchtest.Encode("jpeg", "v")
	png := fetchtest.Encode("png", "v")
	gif := fetchtest.Encode("gif", "v")
	webp := fetchtest.Encode("webp", "v")
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
		{"bmp", fetchtest.Encode("bmp", "v"), 0, "bmp", nil},
		{"truncated jpeg", jpg[:len(jpg)*2/3], 0, "jpeg", fetch.ErrCorrupt},
		{"truncated png", png[:len(png)-20], 0, "png", fetch.ErrCorrupt},
		{"truncated gif", gif[:len(gif)/2], 0, "gif", fetch.ErrCorrupt},
		{"truncated webp", webp[:len(webp)-6], 0, "webp", fetch.ErrCorrupt},
		{"header only", jpg[:20], 0, "", fetch.ErrCorrupt},
		{"html", []byte("<html><body>nope</body></html>"), 0, "", fetch.ErrNotImage},
		{"too many pixels", jpg, 100, "jpeg", fetch.ErrTooManyPixels},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := fetch.VerifyImage(bytes.NewReader(tc.data), tc.maxPixels)
			if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if info.Format != tc.format {
				t.Errorf("format %q, want %q", info.Format, tc.format)
			}
		})
	}
}

package camera

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/gif"  // decoders: formats are sniffed from content, not names
	_ "image/jpeg" //
	_ "image/png"  //
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "golang.org/x/image/bmp"  //
	_ "golang.org/x/image/webp" // some photo sets hold WebP files named .jpg

	"github.com/yogamirror/yogamirror/device/storage"
)

var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".gif": true, ".bmp": true}

func isImageName(name string) bool { return imageExts[strings.ToLower(filepath.Ext(name))] }

// ListImages returns path itself when it is a file, or the image files in the
// folder (by extension, not recursive) in lexical order.
func ListImages(path string) ([]string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	if !st.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("camera: %w", err)
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && isImageName(e.Name()) {
			out = append(out, filepath.Join(path, e.Name()))
		}
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, fmt.Errorf("camera: no images (jpg, png, webp, gif, bmp) in %s", path)
	}
	return out, nil
}

// DecodeFunc decodes image bytes; Decode and capture.Decode are two.
type DecodeFunc func(data []byte) (*image.RGBA, error)

// DefaultMaxPixels is the largest image decoded when no limit is
// configured: 50 megapixels (200 MB as RGBA), above any phone photo, far
// below what a few-KB PNG or JPEG header can claim (65535×65535 = 17 GB).
const DefaultMaxPixels = 50_000_000

// ErrTooManyPixels means an image header claims more pixels than the
// limit; the image is not decoded.
var ErrTooManyPixels = errors.New("camera: image too large")

// CheckPixels reads only the image header and refuses an image of more
// than maxPixels pixels (0: DefaultMaxPixels) before anything is decoded,
// so a decompression bomb costs a few bytes of reading, not gigabytes.
func CheckPixels(data []byte, maxPixels int) error {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return decodeError(format, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 {
		return fmt.Errorf("empty %s image (%d×%d)", format, cfg.Width, cfg.Height)
	}
	if maxPixels <= 0 {
		maxPixels = DefaultMaxPixels
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > int64(maxPixels) {
		return fmt.Errorf("%w: the %s header says %d×%d = %.1f megapixels, over the %s megapixel limit "+
			"(raise it with limits.image_megapixels in the daemon's config, --max-megapixels in the CLI)",
			ErrTooManyPixels, format, cfg.Width, cfg.Height, float64(px)/1e6, strconv.FormatFloat(float64(maxPixels)/1e6, 'f', -1, 64))
	}
	return nil
}

func decodeError(format string, err error) error {
	switch {
	case err == image.ErrFormat:
		return fmt.Errorf("not a supported image (jpeg, png, webp, gif, bmp)")
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return fmt.Errorf("truncated %s data", format)
	}
	return err
}

// NewDecoder decodes with Go's decoders after CheckPixels (0:
// DefaultMaxPixels).
func NewDecoder(maxPixels int) DecodeFunc {
	return func(data []byte) (*image.RGBA, error) {
		if err := CheckPixels(data, maxPixels); err != nil {
			return nil, err
		}
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, decodeError(format, err)
		}
		b := img.Bounds()
		if b.Dx() < 1 || b.Dy() < 1 {
			return nil, fmt.Errorf("empty %s image", format)
		}
		return ToRGBA(img, nil), nil
	}
}

// Decode decodes JPEG, PNG, WebP, GIF or BMP bytes of at most
// DefaultMaxPixels into a new RGBA image with Go's decoders, which check the
// whole file: a truncated JPEG is an error, where libjpeg would pad it with
// grey. (capture.Decode adds libjpeg pixels.)
func Decode(data []byte) (*image.RGBA, error) { return NewDecoder(0)(data) }

// ToRGBA converts img to an RGBA image at the origin, reusing dst when it has
// the right size.
func ToRGBA(img image.Image, dst *image.RGBA) *image.RGBA {
	b := img.Bounds()
	if m, ok := img.(*image.RGBA); ok && b.Min == (image.Point{}) {
		return m
	}
	if dst == nil || dst.Rect.Size() != b.Size() {
		dst = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	}
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}

// Images replays still images on a timeline of FPS frames per second.
type Images struct {
	paths  []string
	next   int
	fps    float64
	start  time.Time
	decode DecodeFunc
	limit  storage.Limit
}

// NewImages replays the given files in order, decoding with decode
// (NewDecoder(o.MaxPixels) when nil). Files larger than o.MaxImageBytes are
// skipped unread.
func NewImages(paths []string, o Opts, decode DecodeFunc) *Images {
	if decode == nil {
		decode = NewDecoder(o.MaxPixels)
	}
	fps := o.FPS
	if fps <= 0 {
		fps = 10
	}
	start := o.Start
	if start.IsZero() {
		start = time.Unix(0, 0).UTC()
	}
	return &Images{paths: paths, fps: fps, start: start, decode: decode, limit: storage.ImageLimit(o.MaxImageBytes)}
}

// Next decodes the next image. An undecodable file gives a *SkipError; the
// following call moves on.
func (s *Images) Next(ctx context.Context) (Frame, error) {
	if err := ctx.Err(); err != nil {
		return Frame{}, err
	}
	if s.next >= len(s.paths) {
		return Frame{}, io.EOF
	}
	i := s.next
	s.next++
	f := Frame{
		Seq:  uint64(i),
		Name: s.paths[i],
		Time: s.start.Add(time.Duration(float64(i) / s.fps * float64(time.Second))),
	}
	data, err := storage.ReadFile(s.paths[i], s.limit)
	if err != nil {
		return f, &SkipError{Name: s.paths[i], Err: err}
	}
	img, err := s.decode(data)
	if err != nil {
		return f, &SkipError{Name: s.paths[i], Err: err}
	}
	f.Img = img
	return f, nil
}

// Len is the number of files.
func (s *Images) Len() int { return len(s.paths) }

// Close does nothing; it exists to satisfy Source.
func (s *Images) Close() error { return nil }

package download

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registers GIF
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/bmp"  // registers BMP
	_ "golang.org/x/image/webp" // registers WebP, which some sites serve as .jpg
)

// ImageInfo describes a verified image.
type ImageInfo struct {
	Format        string // "jpeg", "png", "gif", "webp" or "bmp"
	Width, Height int
}

// ErrNotImage means the bytes are not an image in a supported format.
var ErrNotImage = errors.New("not an image")

// ErrCorrupt means the bytes start as an image but do not decode fully,
// e.g. a truncated file.
var ErrCorrupt = errors.New("corrupt image")

// ErrTooManyPixels means the image header declares more than the allowed
// number of pixels; it is not decoded.
var ErrTooManyPixels = errors.New("image too large")

// VerifyImage decodes an image completely, so that truncated and corrupt
// files fail, after checking from its header that it has at most maxPixels
// pixels (0 means no limit).
func VerifyImage(r io.ReadSeeker, maxPixels int64) (ImageInfo, error) {
	cfg, format, err := image.DecodeConfig(bufio.NewReader(r))
	if err != nil {
		if errors.Is(err, image.ErrFormat) {
			return ImageInfo{}, ErrNotImage
		}
		return ImageInfo{}, fmt.Errorf("%w: %s header: %v", ErrCorrupt, format, err)
	}
	info := ImageInfo{Format: format, Width: cfg.Width, Height: cfg.Height}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return info, fmt.Errorf("%w: %s of %dx%d", ErrCorrupt, format, cfg.Width, cfg.Height)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); maxPixels > 0 && px > maxPixels {
		return info, fmt.Errorf("%w: %dx%d is over %d pixels", ErrTooManyPixels, cfg.Width, cfg.Height, maxPixels)
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return info, err
	}
	if _, _, err := image.Decode(bufio.NewReader(r)); err != nil {
		return info, fmt.Errorf("%w: %s: %v", ErrCorrupt, format, err)
	}
	return info, nil
}

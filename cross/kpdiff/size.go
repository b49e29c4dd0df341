package main

import (
	"fmt"
	"image"
	_ "image/gif" // image formats detect reads
	_ "image/jpeg"
	_ "image/png"
	"os"
)

// longSide is the longer side of the record's image in pixels: from the
// record when detect wrote the size, else from the image file's header.
func longSide(r record) (float64, error) {
	w, h := r.Width, r.Height
	if w <= 0 || h <= 0 {
		f, err := os.Open(r.Source)
		if err != nil {
			return 0, fmt.Errorf("kpdiff: image size for %s: %w", r.Source, err)
		}
		defer f.Close()
		cfg, _, err := image.DecodeConfig(f)
		if err != nil {
			return 0, fmt.Errorf("kpdiff: image size for %s: %w", r.Source, err)
		}
		w, h = cfg.Width, cfg.Height
	}
	return float64(max(w, h)), nil
}

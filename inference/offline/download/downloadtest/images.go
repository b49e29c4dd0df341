// Package downloadtest provides a local image host with fault injection for
// testing downloaders: broken statuses, flaky servers, stalls, redirect
// loops, HTML pages, truncated bodies, lying headers and more, with
// per-path hit counters.
package downloadtest

import (
	"bytes"
	"encoding/base64"
	"hash/fnv"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/bmp"
)

// webp1x1 is a 1x1 lossy WebP (Go has no WebP encoder).
const webp1x1 = "UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA"

// Picture returns a small deterministic image that depends on name.
func Picture(name string) *image.RGBA {
	h := fnv.New32a()
	h.Write([]byte(name))
	s := h.Sum32()
	w, ht := 24+int(s%40), 16+int(s/40%30)
	img := image.NewRGBA(image.Rect(0, 0, w, ht))
	for y := 0; y < ht; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(int(s) + x*7), uint8(int(s>>8) + y*5), uint8(s >> 16), 255})
		}
	}
	return img
}

// Encode returns Picture(name) in format ("jpeg", "png", "gif", "bmp" or
// "webp"; WebP is always the same 1x1 image). Unknown formats give nil.
func Encode(format, name string) []byte {
	var buf bytes.Buffer
	img := Picture(name)
	var err error
	switch format {
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	case "png":
		err = png.Encode(&buf, img)
	case "gif":
		err = gif.Encode(&buf, img, nil)
	case "bmp":
		err = bmp.Encode(&buf, img)
	case "webp":
		b, _ := base64.StdEncoding.DecodeString(webp1x1)
		return b
	default:
		return nil
	}
	if err != nil {
		panic("downloadtest: encoding a test image: " + err.Error())
	}
	return buf.Bytes()
}

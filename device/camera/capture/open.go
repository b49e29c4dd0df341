// Package capture opens any source the daemon and the CLI accept: image
// files and folders through package camera, and — with -tags opencv —
// video files, V4L2 devices, GStreamer pipelines (libcamera on a Raspberry
// Pi) and RTSP streams through gocv. It also decodes photos with libjpeg
// when OpenCV is there, as TensorFlow's own pipelines do. It is the only
// package that imports gocv, so package camera's types stay pure Go.
package capture

import (
	"context"
	"fmt"
	"image"

	"github.com/yogamirror/yogamirror/device/camera"
)

// Open opens any kind of source.
func Open(spec string, o camera.Opts) (camera.Source, error) {
	return OpenContext(context.Background(), spec, o)
}

// OpenContext is Open that gives up when ctx ends: opening a video that is
// really a FIFO, a GStreamer pipeline or an RTSP stream can block inside
// OpenCV indefinitely. The abandoned open goes on in the background and
// its capture is closed when it returns.
func OpenContext(ctx context.Context, spec string, o camera.Opts) (camera.Source, error) {
	kind, target := camera.Classify(spec)
	if kind == camera.KindImages {
		paths, err := camera.ListImages(target)
		if err != nil {
			return nil, err
		}
		return camera.NewImages(paths, o, NewDecoder(o.MaxPixels)), nil
	}
	type opened struct {
		src camera.Source
		err error
	}
	done := make(chan opened, 1)
	go func() {
		src, err := openCapture(kind, target, o)
		done <- opened{src, err}
	}()
	select {
	case r := <-done:
		return r.src, r.err
	case <-ctx.Done():
		go func() {
			if r := <-done; r.src != nil {
				r.src.Close()
			}
		}()
		return nil, fmt.Errorf("camera: opening %s: %w", target, ctx.Err())
	}
}

// Decode checks the whole file with Go's decoders (a truncated JPEG is an
// error, where libjpeg would pad it with grey), then, when the binary has
// OpenCV, takes the pixels from libjpeg-turbo as TensorFlow's pipelines do:
// Go's JPEG chroma upsampling differs enough to cost MoveNet accuracy
// (94.7 % vs 96.0 % with Google's classifier on yoga_cg/test, single pass).
// Images over camera.DefaultMaxPixels are refused before decoding.
func Decode(data []byte) (*image.RGBA, error) { return NewDecoder(0)(data) }

// NewDecoder is Decode with a pixel limit (0: camera.DefaultMaxPixels),
// checked from the header before either decoder runs.
func NewDecoder(maxPixels int) camera.DecodeFunc {
	goDecode := camera.NewDecoder(maxPixels)
	return func(data []byte) (*image.RGBA, error) {
		img, err := goDecode(data)
		if err != nil {
			return nil, err
		}
		if native, ok := decodeNative(data); ok && native.Rect.Size() == img.Rect.Size() {
			return native, nil
		}
		return img, nil
	}
}

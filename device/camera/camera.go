// Package camera owns where frames come from: still images and folders of
// them (pure Go), and, through gocv in files built with -tags opencv, video
// files, V4L2 devices, GStreamer pipelines (libcamera on a Raspberry Pi) and
// RTSP streams. Every Source hands out *image.RGBA frames it owns.
package camera

import (
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"strconv"
	"strings"
	"time"
)

// Frame is one image from a Source. Img is valid until the next call to Next.
type Frame struct {
	Img  *image.RGBA
	Time time.Time // capture time; for replays, derived from the file's timeline
	Seq  uint64    // 0-based index of the frame within the source
	Name string    // file the frame came from
}

// Source yields frames until io.EOF.
type Source interface {
	Next(ctx context.Context) (Frame, error)
	Close() error
}

// Sentinel errors. A SkipError is per item and not fatal: call Next again.
var (
	// ErrDisconnected means a live camera stopped delivering frames (unplugged,
	// driver reset); reopen it with backoff.
	ErrDisconnected = errors.New("camera: disconnected")
	// ErrNotBuilt means the binary has no OpenCV support.
	ErrNotBuilt = errors.New("camera: built without OpenCV (rebuild with -tags opencv)")
)

// SkipError reports one input that could not be used (an undecodable image);
// the Source carries on with the next one.
type SkipError struct {
	Name string
	Err  error
}

func (e *SkipError) Error() string { return fmt.Sprintf("camera: skipped %s: %v", e.Name, e.Err) }
func (e *SkipError) Unwrap() error { return e.Err }

// Opts configure Open.
type Opts struct {
	// FPS sets the timeline of image replays (frame i at Start + i/FPS) and
	// the requested rate of live cameras. 0 means 10 for images.
	FPS float64
	// Start is the time of the first replayed frame (zero: the Unix epoch).
	Start time.Time
	// Width and Height request a capture size from live cameras (0: driver default).
	Width, Height int
	// MaxPixels caps image size: larger still images are refused before
	// decoding, larger camera and video frames are downscaled at capture
	// (0: DefaultMaxPixels).
	MaxPixels int
	// MaxImageBytes caps an image file (0: storage.ImageLimit's default).
	MaxImageBytes int64
}

// Kind classifies a source spec.
type Kind int

const (
	KindImages    Kind = iota // an image file or a folder of images
	KindVideo                 // a video file
	KindDevice                // a V4L2 device: index or /dev/videoN
	KindGStreamer             // a GStreamer pipeline ending in appsink
	KindURL                   // rtsp://, http:// … streams
)

// LibcameraPipeline reads a Raspberry Pi camera on Bookworm, where
// /dev/video0 is a raw Unicam node that OpenCV cannot use directly.
const LibcameraPipeline = "libcamerasrc ! video/x-raw,width=640,height=480,format=BGRx ! " +
	"videoconvert ! video/x-raw,format=BGR ! appsink drop=1 max-buffers=1"

// Classify says what kind of source spec is: "libcamera", a device index or
// node, a GStreamer pipeline (contains "!"), a URL, a folder or image file,
// or a video file.
func Classify(spec string) (Kind, string) {
	switch {
	case spec == "libcamera":
		return KindGStreamer, LibcameraPipeline
	case strings.Contains(spec, "!"):
		return KindGStreamer, spec
	case strings.Contains(spec, "://"):
		return KindURL, spec
	case strings.HasPrefix(spec, "/dev/video"):
		return KindDevice, spec
	}
	if _, err := strconv.Atoi(spec); err == nil {
		return KindDevice, spec
	}
	if st, err := os.Stat(spec); err == nil && st.IsDir() {
		return KindImages, spec
	}
	if isImageName(spec) {
		return KindImages, spec
	}
	return KindVideo, spec
}

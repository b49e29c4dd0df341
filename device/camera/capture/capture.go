//go:build opencv

package capture

import (
	"context"
	"fmt"
	"image"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"gocv.io/x/gocv"

	"github.com/yogamirror/yogamirror/device/camera"
)

// Capture reads frames through OpenCV's VideoCapture: video files, V4L2
// devices, GStreamer pipelines and network streams.
type Capture struct {
	vc       *gocv.VideoCapture
	kind     camera.Kind
	target   string
	bgr, rgb gocv.Mat
	small    gocv.Mat // bgr scaled down to maxPixels, when it is larger
	img      *image.RGBA
	// maxPixels caps the frames handed out: larger ones are downscaled
	// here, so a 8K stream or a huge video cannot take the device's memory
	// further down the pipeline.
	maxPixels int
	seq       uint64
	start     time.Time
	expected  int // frames the container announces (files), 0 if unknown
	live      bool
	now       func() time.Time
	w         worker
}

func openCapture(kind camera.Kind, target string, o camera.Opts) (camera.Source, error) {
	if kind == camera.KindVideo {
		if _, err := os.Stat(target); err != nil {
			return nil, fmt.Errorf("camera: video file: %w", err)
		}
	}
	vc, err := openVideoCapture(kind, target)
	if err != nil {
		return nil, err
	}
	if !vc.IsOpened() {
		vc.Close()
		return nil, fmt.Errorf("camera: cannot open %s %s", kindName(kind), target)
	}
	if kind == camera.KindDevice {
		if o.Width > 0 && o.Height > 0 {
			vc.Set(gocv.VideoCaptureFrameWidth, float64(o.Width))
			vc.Set(gocv.VideoCaptureFrameHeight, float64(o.Height))
		}
		if o.FPS > 0 {
			vc.Set(gocv.VideoCaptureFPS, o.FPS)
		}
	}
	c := &Capture{
		vc: vc, kind: kind, target: target, bgr: gocv.NewMat(), rgb: gocv.NewMat(), small: gocv.NewMat(),
		maxPixels: o.MaxPixels, start: o.Start, live: kind != camera.KindVideo, now: time.Now,
	}
	if kind == camera.KindVideo {
		c.expected = int(vc.Get(gocv.VideoCaptureFrameCount))
		if c.start.IsZero() {
			c.start = time.Unix(0, 0).UTC()
		}
	}
	c.w.start(c.read, c.release)
	return c, nil
}

func openVideoCapture(kind camera.Kind, target string) (*gocv.VideoCapture, error) {
	var (
		vc  *gocv.VideoCapture
		err error
	)
	switch kind {
	case camera.KindDevice:
		idx, convErr := strconv.Atoi(strings.TrimPrefix(target, "/dev/video"))
		if convErr != nil {
			return nil, fmt.Errorf("camera: bad device %q", target)
		}
		vc, err = gocv.VideoCaptureDeviceWithAPI(idx, gocv.VideoCaptureV4L2)
	case camera.KindGStreamer:
		vc, err = gocv.VideoCaptureFileWithAPI(target, gocv.VideoCaptureGstreamer)
	case camera.KindVideo, camera.KindURL:
		vc, err = gocv.VideoCaptureFileWithAPI(target, gocv.VideoCaptureFFmpeg)
	default:
		return nil, fmt.Errorf("camera: %s is not a capture source", target)
	}
	if err != nil {
		return nil, fmt.Errorf("camera: cannot open %s %s: %w", kindName(kind), target, err)
	}
	return vc, nil
}

func kindName(k camera.Kind) string {
	switch k {
	case camera.KindVideo:
		return "video file"
	case camera.KindDevice:
		return "V4L2 device"
	case camera.KindGStreamer:
		return "GStreamer pipeline"
	case camera.KindURL:
		return "stream"
	}
	return "images"
}

// Next reads the next frame. Files end with io.EOF (or an error saying the
// file ended early); live sources that stop delivering give
// camera.ErrDisconnected. A read blocked inside OpenCV (a FIFO that never
// delivers, a hung driver or stream) does not hold Next past ctx.
func (c *Capture) Next(ctx context.Context) (camera.Frame, error) { return c.w.next(ctx) }

// read runs on the worker goroutine.
func (c *Capture) read() (camera.Frame, error) {
	if !c.vc.Read(&c.bgr) || c.bgr.Empty() {
		if c.live {
			return camera.Frame{}, fmt.Errorf("%w: %s %s", camera.ErrDisconnected, kindName(c.kind), c.target)
		}
		if c.expected > 0 && int(c.seq) < c.expected-1 {
			return camera.Frame{}, fmt.Errorf("camera: %s ended after %d of %d frames (truncated?): %w", c.target, c.seq, c.expected, io.ErrUnexpectedEOF)
		}
		return camera.Frame{}, io.EOF
	}
	f := camera.Frame{Seq: c.seq, Name: c.target}
	if c.live {
		f.Time = c.now()
	} else {
		f.Time = c.start.Add(time.Duration(c.vc.Get(gocv.VideoCapturePosMsec) * float64(time.Millisecond)))
	}
	c.seq++
	if err := c.toRGBA(); err != nil {
		return f, err
	}
	f.Img = c.img
	return f, nil
}

// toRGBA converts the BGR mat, downscaled to the pixel limit when it is
// larger, into the reused RGBA image.
func (c *Capture) toRGBA() error {
	src := c.bgr
	if w, h, ok := fitPixels(src.Cols(), src.Rows(), c.maxPixels); !ok {
		gocv.Resize(src, &c.small, image.Pt(w, h), 0, 0, gocv.InterpolationArea)
		src = c.small
	}
	switch src.Channels() {
	case 3:
		gocv.CvtColor(src, &c.rgb, gocv.ColorBGRToRGBA)
	case 4:
		gocv.CvtColor(src, &c.rgb, gocv.ColorBGRAToRGBA)
	case 1:
		gocv.CvtColor(src, &c.rgb, gocv.ColorGrayToBGRA)
	default:
		return fmt.Errorf("camera: %s: frame with %d channels", c.target, src.Channels())
	}
	w, h := c.rgb.Cols(), c.rgb.Rows()
	if c.img == nil || c.img.Rect.Dx() != w || c.img.Rect.Dy() != h {
		c.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	data, err := c.rgb.DataPtrUint8()
	if err != nil {
		return fmt.Errorf("camera: %s: %w", c.target, err)
	}
	copy(c.img.Pix, data)
	return nil
}

// Close releases the capture and its mats. When a read is stuck in
// OpenCV, they are released by the worker once it returns, and Close does
// not wait for it.
func (c *Capture) Close() error { return c.w.close() }

// release runs on the worker goroutine, after its last read.
func (c *Capture) release() error {
	c.bgr.Close()
	c.rgb.Close()
	c.small.Close()
	return c.vc.Close()
}

// Decoder names the pixel decoder Decode uses (part of keypoint cache keys).
const Decoder = "opencv"

// decodeNative decodes with OpenCV (libjpeg-turbo, libpng, libwebp).
func decodeNative(data []byte) (*image.RGBA, bool) {
	m, err := gocv.IMDecode(data, gocv.IMReadColor)
	if err != nil || m.Empty() {
		m.Close()
		return nil, false
	}
	defer m.Close()
	rgba := gocv.NewMat()
	defer rgba.Close()
	gocv.CvtColor(m, &rgba, gocv.ColorBGRToRGBA)
	px, err := rgba.DataPtrUint8()
	if err != nil {
		return nil, false
	}
	img := image.NewRGBA(image.Rect(0, 0, rgba.Cols(), rgba.Rows()))
	copy(img.Pix, px)
	return img, true
}

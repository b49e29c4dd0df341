//go:build !opencv

package capture

import (
	"image"

	"github.com/yogamirror/yogamirror/device/camera"
)

func openCapture(kind camera.Kind, target string, o camera.Opts) (camera.Source, error) {
	return nil, camera.ErrNotBuilt
}

// Decoder names the pixel decoder Decode uses (part of keypoint cache keys).
const Decoder = "go"

// decodeNative is unavailable without OpenCV: Go's decoders are used.
func decodeNative(data []byte) (*image.RGBA, bool) { return nil, false }

// WriteVideo needs OpenCV.
func WriteVideo(path string, fps float64, frames []image.Image) error { return camera.ErrNotBuilt }

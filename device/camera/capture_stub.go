//go:build !opencv

package camera

import "image"

func openCapture(kind Kind, target string, o Opts) (Source, error) {
	return nil, ErrNotBuilt
}

// Decoder names the pixel decoder Decode uses (part of keypoint cache keys).
const Decoder = "go"

// decodeNative is unavailable without OpenCV: Go's decoders are used.
func decodeNative(data []byte) (*image.RGBA, bool) { return nil, false }

package capture

import (
	"math"

	"github.com/yogamirror/yogamirror/device/camera"
)

// fitPixels returns the largest size with w:h's aspect ratio and at most
// maxPixels pixels (0: camera.DefaultMaxPixels), and whether w×h already
// fits.
func fitPixels(w, h, maxPixels int) (int, int, bool) {
	if maxPixels <= 0 {
		maxPixels = camera.DefaultMaxPixels
	}
	if int64(w)*int64(h) <= int64(maxPixels) {
		return w, h, true
	}
	s := math.Sqrt(float64(maxPixels) / (float64(w) * float64(h)))
	nw, nh := max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
	return nw, nh, false
}

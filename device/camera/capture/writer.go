//go:build opencv

package capture

import (
	"fmt"
	"image"

	"gocv.io/x/gocv"
)

// WriteVideo encodes frames as an MJPG .avi at fps, for tests and demos
// that need a real video file (every frame the size of the first).
func WriteVideo(path string, fps float64, frames []image.Image) error {
	if len(frames) == 0 {
		return fmt.Errorf("capture: %s: no frames", path)
	}
	b := frames[0].Bounds()
	vw, err := gocv.VideoWriterFile(path, "MJPG", fps, b.Dx(), b.Dy(), true)
	if err != nil {
		return fmt.Errorf("capture: %s: %w", path, err)
	}
	defer vw.Close()
	for i, img := range frames {
		if img.Bounds().Size() != b.Size() {
			return fmt.Errorf("capture: %s: frame %d is %v, want %v", path, i, img.Bounds().Size(), b.Size())
		}
		if err := writeFrame(vw, img); err != nil {
			return fmt.Errorf("capture: %s: frame %d: %w", path, i, err)
		}
	}
	return nil
}

func writeFrame(vw *gocv.VideoWriter, img image.Image) error {
	m, err := gocv.ImageToMatRGB(img)
	if err != nil {
		return err
	}
	defer m.Close()
	return vw.Write(m)
}

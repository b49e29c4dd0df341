//go:build tflite

package movenet

import (
	"image"
	"image/draw"
	"testing"
)

// BenchmarkMoveNet compares the MoveNet invoke alone with the whole
// per-image path (resampling into the input tensor, invoke, mapping the
// keypoints back; decoding excluded), for a single pass and for a still
// image with refinement. Read the ratio off ns/op; allocs/op is per frame.
func BenchmarkMoveNet(b *testing.B) {
	src := loadImage(b, "data/tf_pose_test_images/image1.png")
	img := image.NewRGBA(src.Bounds()) // as the camera hands frames over
	draw.Draw(img, img.Rect, src, src.Bounds().Min, draw.Src)
	b.Run("invoke", func(b *testing.B) {
		e := testEstimator(b, Video, -1)
		in, _ := e.it.Uint8Input(0)
		for k := range in {
			in[k] = uint8(k)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			if err := e.it.Invoke(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("frame", func(b *testing.B) { // what the daemon does per frame
		e := testEstimator(b, Video, -1)
		e.Estimate(img)
		b.ReportAllocs()
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			if _, err := e.Estimate(img); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("still+refine", func(b *testing.B) { // what detect/eval/train do per photo
		e := testEstimator(b, Still, 2)
		b.ReportAllocs()
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			if _, err := e.Estimate(img); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("prepare", func(b *testing.B) { // resampling alone
		e := testEstimator(b, Video, -1)
		r := FullRegion(img.Rect.Dx(), img.Rect.Dy())
		b.ReportAllocs()
		b.ResetTimer()
		for n := 0; n < b.N; n++ {
			e.samp.fill(img, r, e.rgb)
		}
	})
}

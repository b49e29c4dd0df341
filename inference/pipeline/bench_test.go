//go:build tflite

package pipeline

import (
	"context"
	"image"
	"image/color"
	"image/draw"
	_ "image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/displaytest"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/movenet"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/inference/tflite"
	"github.com/yogamirror/yogamirror/telemetry/eventlog"
)

// loopSource replays one real photo n times at 10 fps.
type loopSource struct {
	img  *image.RGBA
	n, i int
}

func (s *loopSource) Next(ctx context.Context) (camera.Frame, error) {
	if s.i >= s.n {
		return camera.Frame{}, context.Canceled
	}
	f := camera.Frame{Img: s.img, Time: time.Unix(0, 0).Add(time.Duration(s.i) * 100 * time.Millisecond), Seq: uint64(s.i)}
	s.i++
	return f, nil
}

func (s *loopSource) Close() error { return nil }

// BenchmarkFrame runs the daemon's per-frame path — MoveNet (video mode),
// the classifier, the tracker, a 128×64 mono screen and the event log — and
// reports what everything except the MoveNet invoke costs (resampling,
// keypoint mapping, classification, tracking, sinks), absolute and as a
// share of the invoke measured inside the same frames (target ≤ 10 %), with
// allocations per frame.
func BenchmarkFrame(b *testing.B) {
	f, err := os.Open(testkit.Path(b, "data/tf_pose_test_images/image1.png"))
	if err != nil {
		b.Fatal(err)
	}
	src, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	img := image.NewRGBA(src.Bounds())
	draw.Draw(img, img.Rect, src, src.Bounds().Min, draw.Src)
	est, err := movenet.New(movenet.Opts{Model: testkit.MoveNet(b), Mode: movenet.Video})
	if err != nil {
		b.Fatal(err)
	}
	defer est.Close()
	model, labels := testkit.YogaClassifier(b)
	cls, err := classify.Load(classify.Opts{Path: model, Labels: labels, TFLite: tflite.Options{Delegate: tflite.DelegateCPU}, TopK: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer cls.Close()
	tr, _ := session.New(session.Opts{})
	mono := true
	screen, err := display.NewScreen(displaytest.NewPanel(128, 64, color.GrayModel), display.ScreenOpts{Mono: &mono})
	if err != nil {
		b.Fatal(err)
	}
	log, err := eventlog.Open(filepath.Join(b.TempDir(), "events.jsonl"), "bench")
	if err != nil {
		b.Fatal(err)
	}
	defer log.Close()
	source := &loopSource{img: img, n: b.N}
	p, err := New(Opts{
		Open:      func(context.Context) (camera.Source, error) { return source, nil },
		Estimator: est, Classifier: cls, Tracker: tr,
		States: []StateSink{screen}, Events: []EventSink{log}, Stamper: &seqStamper{},
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	p.Run(context.Background())
	b.StopTimer()
	st := p.Stats()
	frame := st.Estimate.Total + st.Classify.Total + st.Track.Total + st.Sinks.Total
	over := frame - st.Invoke.Total
	perFrame := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(max(st.Frames, 1)) }
	b.ReportMetric(perFrame(st.Invoke.Total), "invoke-ms/frame")
	b.ReportMetric(perFrame(over), "rest-ms/frame")
	b.ReportMetric(100*over.Seconds()/st.Invoke.Total.Seconds(), "rest-%-of-invoke")
}

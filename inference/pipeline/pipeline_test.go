package pipeline

import (
	"context"
	"errors"
	"image"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/device/camera/cameratest"
	"github.com/yogamirror/yogamirror/inference/pose"
	"github.com/yogamirror/yogamirror/inference/session"
)

// Frames carry their pose in the first pixel: 0 empty, 1 tree, 2 chair.
var labels = []string{"", "tree", "chair"}

func frame(kind uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.SetRGBA(0, 0, color.RGBA{kind, 0, 0, 255})
	return img
}

type fakeEstimator struct{ delay time.Duration }

func (f fakeEstimator) Estimate(img image.Image) (pose.Pose, error) {
	time.Sleep(f.delay)
	return pose.Pose{Width: int(img.(*image.RGBA).Pix[0])}, nil
}

type fakeClassifier struct{}

func (fakeClassifier) Classify(p pose.Pose) (pose.Prediction, error) {
	if p.Width == 0 {
		return pose.Prediction{}, nil
	}
	return pose.Prediction{Person: true, Classes: []pose.Class{{Label: labels[p.Width], Score: 0.95}}}, nil
}

type recorder struct {
	mu     sync.Mutex
	events []session.Event
	states int
	fail   bool
}

func (r *recorder) Publish(ctx context.Context, e session.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
	if r.fail {
		return errors.New("sink down")
	}
	return nil
}

func (r *recorder) Show(s session.State) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.states++
	return nil
}

func (r *recorder) types() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []string
	for _, e := range r.events {
		s = append(s, string(e.Type))
	}
	return strings.Join(s, " ")
}

type seqStamper struct{ n uint64 }

func (s *seqStamper) Stamp(e session.Event) (session.Event, error) {
	s.n++
	e.Seq, e.ID = s.n, "id"
	return e, nil
}

var t0 = time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)

func demoSession() []cameratest.Step {
	return cameratest.Timeline(t0, 10,
		[]*image.RGBA{frame(1), frame(0), frame(2)},
		[]time.Duration{20 * time.Second, 5 * time.Second, 20 * time.Second})
}

func newPipeline(t *testing.T, o Opts) *Pipeline {
	t.Helper()
	tr, err := session.New(session.Opts{HoldTarget: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	o.Tracker, o.Classifier = tr, fakeClassifier{}
	if o.Estimator == nil {
		o.Estimator = fakeEstimator{}
	}
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestReplayEveryFrame(t *testing.T) {
	rec, bad := &recorder{}, &recorder{fail: true}
	src := &cameratest.Source{Steps: demoSession()}
	beats := 0
	p := newPipeline(t, Opts{
		Open:      func(context.Context) (camera.Source, error) { return src, nil },
		States:    []StateSink{rec},
		Events:    []EventSink{bad, rec},
		Stamper:   &seqStamper{},
		Heartbeat: func() { beats++ },
	})
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	want := "session_started pose_started hold_completed pose_ended pose_started hold_completed pose_ended session_ended"
	if got := rec.types(); got != want {
		t.Fatalf("events %s\nwant %s", got, want)
	}
	st := p.Stats()
	if st.Frames != 450 || st.Dropped != 0 || beats != 450 || rec.states != 451 || !src.Closed {
		t.Fatalf("stats %+v, beats %d, states %d, closed %v", st, beats, rec.states, src.Closed)
	}
	if st.SinkErrors != 8 {
		t.Errorf("failing sink counted %d errors, want 8 (and the loop carried on)", st.SinkErrors)
	}
	for i, e := range rec.events {
		if e.Seq != uint64(i+1) {
			t.Errorf("event %d has seq %d", i, e.Seq)
		}
	}
}

// TestLiveDropsFrames feeds a camera faster than the estimator: the loop
// must drop frames, never queue them.
func TestLiveDropsFrames(t *testing.T) {
	steps := cameratest.Timeline(t0, 10, []*image.RGBA{frame(1)}, []time.Duration{20 * time.Second})
	var produced int
	gate := make(chan struct{})
	src := &slowSource{steps: steps, every: time.Millisecond, produced: &produced, done: gate}
	ctx, cancel := context.WithCancel(context.Background())
	p := newPipeline(t, Opts{
		Open:      func(context.Context) (camera.Source, error) { return src, nil },
		Live:      true,
		Estimator: fakeEstimator{delay: 10 * time.Millisecond},
	})
	go func() { <-gate; time.Sleep(50 * time.Millisecond); cancel() }()
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	st := p.Stats()
	if st.Dropped == 0 || st.Frames+st.Dropped > len(steps) || st.Frames >= len(steps) {
		t.Fatalf("processed %d, dropped %d of %d produced", st.Frames, st.Dropped, len(steps))
	}
	t.Logf("processed %d, dropped %d of %d", st.Frames, st.Dropped, len(steps))
}

// slowSource yields steps every `every`, then blocks until cancelled.
type slowSource struct {
	steps    []cameratest.Step
	i        int
	every    time.Duration
	produced *int
	done     chan struct{}
}

func (s *slowSource) Next(ctx context.Context) (camera.Frame, error) {
	if s.i >= len(s.steps) {
		close(s.done)
		<-ctx.Done()
		return camera.Frame{}, ctx.Err()
	}
	time.Sleep(s.every)
	st := s.steps[s.i]
	s.i++
	*s.produced++
	return camera.Frame{Img: st.Img, Time: st.Time, Seq: uint64(s.i)}, nil
}

func (s *slowSource) Close() error { return nil }

// TestCameraLossReopens unplugs the camera twice: the loop reopens it with
// backoff, keeps beating the watchdog while waiting, and carries on.
func TestCameraLossReopens(t *testing.T) {
	steps := demoSession()
	opens := 0
	var mu sync.Mutex
	beats, resets := 0, 0
	resetDone := make(chan struct{}, 2)
	ctx, cancel := context.WithCancel(context.Background())
	p := newPipeline(t, Opts{
		Open: func(context.Context) (camera.Source, error) {
			mu.Lock()
			opens++
			n := opens
			mu.Unlock()
			if n == 4 {
				// The camera goes for good only once the loop has carried on
				// with the reopened one (its backoffs take no time, so the
				// reader would otherwise outrun the loop).
				select {
				case <-resetDone:
				case <-time.After(10 * time.Second):
				}
			}
			switch n {
			case 2:
				return nil, errors.New("no such device")
			case 1, 3:
				part := steps[:100]
				if opens == 3 {
					part = steps[100:200]
				}
				return &cameratest.Source{Steps: append(append([]cameratest.Step{}, part...), cameratest.Step{Err: camera.ErrDisconnected})}, nil
			}
			cancel()
			return nil, errors.New("gone for good")
		},
		Live:      true,
		Estimator: resettable{resets: &resets, done: resetDone},
		Clock:     newFakeClock(t0, true), // backoffs take no real time
		Heartbeat: func() { mu.Lock(); beats++; mu.Unlock() },
	})
	if err := p.Run(ctx); err != nil {
		t.Fatal(err)
	}
	st := p.Stats()
	if st.Reopens < 3 || st.Frames == 0 || opens < 4 {
		t.Fatalf("stats %+v after %d opens", st, opens)
	}
	if resets == 0 {
		t.Error("the estimator's tracking was not reset after the camera came back")
	}
	if beats <= st.Frames {
		t.Errorf("%d watchdog beats for %d frames: none while waiting for the camera", beats, st.Frames)
	}
}

func TestControl(t *testing.T) {
	rec := &recorder{}
	ctrl := make(chan Control, 1)
	src := &cameratest.Source{Steps: demoSession()[:100]}
	ctrl <- Control{StartSession: true}
	p := newPipeline(t, Opts{
		Open:    func(context.Context) (camera.Source, error) { return src, nil },
		Events:  []EventSink{rec},
		Control: ctrl,
	})
	if err := p.Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := rec.types(); got != "session_started pose_started pose_ended session_ended" {
		t.Fatalf("events %s", got)
	}
}

// liveThenSilent delivers frames of a tree pose at 10 fps of the clock's
// time (it moves the clock on, as a real camera's frames mark time), each
// once the loop has processed the last, then closes silent and blocks as a
// stalled camera does.
type liveThenSilent struct {
	n, i      int
	clock     *fakeClock
	processed chan struct{} // the loop's heartbeats
	silent    chan struct{}
}

func (s *liveThenSilent) Next(ctx context.Context) (camera.Frame, error) {
	if s.i > 0 {
		<-s.processed
	}
	if s.i >= s.n {
		close(s.silent)
		<-ctx.Done()
		return camera.Frame{}, ctx.Err()
	}
	s.i++
	s.clock.Advance(100 * time.Millisecond)
	return camera.Frame{Img: frame(1), Time: s.clock.Now(), Seq: uint64(s.i)}, nil
}

func (s *liveThenSilent) Close() error { return nil }

type resettable struct {
	fakeEstimator
	resets *int
	done   chan struct{} // told of each reset, when not nil
}

func (r resettable) Reset() {
	*r.resets++
	if r.done != nil {
		select {
		case r.done <- struct{}{}:
		default:
		}
	}
}

// TestStalledCamera: when a live camera goes silent the hold still ends
// after its grace (the loop ticks the tracker), and the watchdog stops
// being fed, so systemd can restart a stuck service.
func TestStalledCamera(t *testing.T) {
	rec := &recorder{}
	var beats, resets int
	var mu sync.Mutex
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clock := newFakeClock(t0, false)
	src := &liveThenSilent{n: 40, clock: clock, processed: make(chan struct{}, 1), silent: make(chan struct{})}
	p := newPipeline(t, Opts{
		Open:      func(context.Context) (camera.Source, error) { return src, nil },
		Live:      true,
		Estimator: resettable{resets: &resets},
		Events:    []EventSink{rec},
		Heartbeat: func() { mu.Lock(); beats++; mu.Unlock(); src.processed <- struct{}{} },
		Clock:     clock,
	})
	done := make(chan error)
	go func() { done <- p.Run(ctx) }()
	<-src.silent
	// Half a second of silence at a time, each once the loop waits again
	// for a frame: the 2 s grace runs out after a few.
	for i := 0; !strings.Contains(rec.types(), "pose_ended"); i++ {
		if i == 20 {
			t.Fatalf("no pose_ended after %v of silence: %s", time.Duration(i)*idleTick, rec.types())
		}
		clock.BlockUntilWaiting()
		clock.Advance(idleTick)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	st := p.Stats()
	if beats != st.Frames {
		t.Errorf("%d beats for %d frames: the silent camera was fed to the watchdog", beats, st.Frames)
	}
	if got := rec.types(); got != "session_started pose_started pose_ended session_ended" {
		t.Errorf("events %s", got)
	}
	if resets != 0 {
		t.Errorf("estimator reset %d times without a reopen", resets)
	}
}

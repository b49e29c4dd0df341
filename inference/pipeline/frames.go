package pipeline

import (
	"context"
	"errors"
	"image"
	"sync"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
)

// frameSource hands the loop its next frame.
type frameSource interface {
	next(ctx context.Context) (camera.Frame, error)
	release() // the loop is done with the last frame
	close()
}

func (p *Pipeline) frames(ctx context.Context) frameSource {
	if p.o.Live {
		return newLatest(ctx, p)
	}
	return &replay{p: p}
}

// replay reads every frame in order in the loop's goroutine: nothing is
// dropped, and with Realtime the frames are paced to their timestamps.
type replay struct {
	p      *Pipeline
	src    camera.Source
	start  time.Time // wall clock of the first frame
	first  time.Time // its timestamp
	opened bool
}

func (r *replay) next(ctx context.Context) (camera.Frame, error) {
	if !r.opened {
		src, err := r.p.o.Open(ctx)
		if err != nil {
			return camera.Frame{}, err
		}
		r.src, r.opened = src, true
	}
	for {
		f, err := r.src.Next(ctx)
		var skip *camera.SkipError
		if errors.As(err, &skip) {
			r.p.stats.Skipped++
			r.p.logError("skipping input", err)
			continue
		}
		if err != nil {
			return f, err
		}
		if r.p.o.Realtime {
			if err := r.pace(ctx, f.Time); err != nil {
				return f, err
			}
		}
		return f, nil
	}
}

func (r *replay) pace(ctx context.Context, t time.Time) error {
	if r.start.IsZero() {
		r.start, r.first = r.p.o.Clock.Now(), t
		return nil
	}
	wait := r.start.Add(t.Sub(r.first)).Sub(r.p.o.Clock.Now())
	if wait <= 0 {
		return nil
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-r.p.o.Clock.After(wait):
		return nil
	}
}

func (r *replay) release() {}

func (r *replay) close() {
	if r.src != nil {
		r.src.Close()
	}
}

// latest reads a live camera in the background and keeps only the newest
// frame: when the loop is slower than the camera, older frames are dropped,
// never queued. Frames are copied into a small pool of buffers because a
// Source may reuse its image on the next read.
type latest struct {
	p      *Pipeline
	mu     sync.Mutex
	ready  chan struct{} // signalled when a frame or error is published
	frame  camera.Frame
	has    bool
	err    error
	held   *image.RGBA // the buffer the loop is using
	free   []*image.RGBA
	done   chan struct{}
	cancel context.CancelFunc
}

func newLatest(ctx context.Context, p *Pipeline) *latest {
	ctx, cancel := context.WithCancel(ctx)
	l := &latest{p: p, ready: make(chan struct{}, 1), done: make(chan struct{}), cancel: cancel}
	go l.read(ctx)
	return l
}

// read opens the camera (retrying with backoff), reads until it fails, and
// starts over; it stops when ctx ends.
func (l *latest) read(ctx context.Context) {
	defer close(l.done)
	backoff := l.p.o.MinBackoff
	for ctx.Err() == nil {
		src, err := l.p.o.Open(ctx)
		if err == nil {
			backoff = l.p.o.MinBackoff
			err = l.readFrom(ctx, src)
			src.Close()
			l.p.resetPending.Store(true)
		}
		if ctx.Err() != nil {
			return
		}
		l.p.reopens.Add(1)
		if n, ok := l.p.readLog.allow(l.p.o.Clock.Now()); ok {
			l.p.o.Logger.Warn("camera lost; reopening", "err", err, "suppressed", n)
		}
		if !l.sleep(ctx, backoff) {
			return
		}
		backoff = min(2*backoff, l.p.o.MaxBackoff)
	}
}

// sleep waits, beating the watchdog: waiting for a camera is not a stall.
func (l *latest) sleep(ctx context.Context, d time.Duration) bool {
	clock := l.p.o.Clock
	deadline := clock.Now().Add(d)
	for now := clock.Now(); now.Before(deadline); now = clock.Now() {
		l.p.o.Heartbeat()
		select {
		case <-ctx.Done():
			return false
		case <-clock.After(min(deadline.Sub(now), time.Second)):
		}
	}
	return true
}

func (l *latest) readFrom(ctx context.Context, src camera.Source) error {
	for {
		f, err := src.Next(ctx)
		var skip *camera.SkipError
		switch {
		case errors.As(err, &skip):
			continue
		case err != nil:
			return err
		}
		l.publish(f)
	}
}

func (l *latest) publish(f camera.Frame) {
	l.mu.Lock()
	buf := l.take(f.Img.Rect)
	copy(buf.Pix, f.Img.Pix)
	if l.has {
		l.p.dropped.Add(1)
		l.free = append(l.free, l.frame.Img)
	}
	f.Img = buf
	l.frame, l.has = f, true
	l.mu.Unlock()
	select {
	case l.ready <- struct{}{}:
	default:
	}
}

// take returns a free buffer of the right size (called with mu held).
func (l *latest) take(r image.Rectangle) *image.RGBA {
	for i, b := range l.free {
		if b.Rect == r {
			l.free = append(l.free[:i], l.free[i+1:]...)
			return b
		}
	}
	return image.NewRGBA(r)
}

func (l *latest) next(ctx context.Context) (camera.Frame, error) {
	for {
		l.mu.Lock()
		if l.has {
			f := l.frame
			l.has, l.held = false, f.Img
			l.mu.Unlock()
			return f, nil
		}
		l.mu.Unlock()
		select {
		case <-ctx.Done():
			return camera.Frame{}, ctx.Err()
		case <-l.ready:
		case <-l.p.o.Clock.After(idleTick):
			return camera.Frame{}, errIdle
		}
	}
}

// errIdle: no frame for idleTick; the loop can do other work.
var errIdle = errors.New("pipeline: no frame yet")

const idleTick = 500 * time.Millisecond

func (l *latest) release() {
	l.mu.Lock()
	if l.held != nil {
		l.free = append(l.free, l.held)
		l.held = nil
	}
	l.mu.Unlock()
}

// close stops the reader, waiting a little for it: a read blocked inside a
// driver is abandoned rather than holding up shutdown.
func (l *latest) close() {
	l.cancel()
	select {
	case <-l.done:
	case <-l.p.o.Clock.After(3 * time.Second):
		l.p.o.Logger.Warn("camera read did not return; leaving it behind")
	}
}

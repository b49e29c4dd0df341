package capture

import (
	"context"
	"sync"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
)

// worker runs the calls into OpenCV that can block forever — a read from a
// FIFO nobody writes, a camera driver that hangs, a stream that stops
// answering — on a goroutine of its own, so Next honours its context and
// shutdown never waits on C. Only the worker touches the capture: a read
// abandoned by Next finishes in the background, and the capture is
// released after it.
type worker struct {
	reqs    chan struct{}
	res     chan result
	quit    chan struct{}
	exited  chan struct{}
	once    sync.Once
	pending bool // a read was asked for and its result not yet taken
	err     error
}

type result struct {
	f   camera.Frame
	err error
}

// closeWait is how long Close waits for an idle or finishing worker to
// release the device, so a reopen finds it free.
const closeWait = time.Second

func (w *worker) start(read func() (camera.Frame, error), release func() error) {
	w.reqs, w.res = make(chan struct{}), make(chan result)
	w.quit, w.exited = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(w.exited)
		defer func() { w.err = release() }()
		for {
			select {
			case <-w.quit:
				return
			case <-w.reqs:
			}
			f, err := read()
			select {
			case w.res <- result{f, err}:
			case <-w.quit:
				return
			}
		}
	}()
}

// next asks for a read (unless one is still in flight from a call that
// gave up) and waits for it or for ctx.
func (w *worker) next(ctx context.Context) (camera.Frame, error) {
	if err := ctx.Err(); err != nil {
		return camera.Frame{}, err
	}
	if !w.pending {
		select {
		case w.reqs <- struct{}{}:
			w.pending = true
		case <-ctx.Done():
			return camera.Frame{}, ctx.Err()
		}
	}
	select {
	case r := <-w.res:
		w.pending = false
		return r.f, r.err
	case <-ctx.Done():
		return camera.Frame{}, ctx.Err()
	}
}

// close stops the worker, waiting at most closeWait for it to release.
func (w *worker) close() error {
	w.once.Do(func() { close(w.quit) })
	select {
	case <-w.exited:
		return w.err
	case <-time.After(closeWait):
		return nil // stuck in OpenCV: it releases everything when the call returns
	}
}

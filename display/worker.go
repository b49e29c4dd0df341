package display

import "sync"

// worker is an Async Screen's drawing goroutine. It holds at most one
// Content waiting: the frame loop never queues behind the panel.
type worker struct {
	sc   *Screen
	wake chan struct{} // buffered 1: "pending changed"
	done chan struct{} // closed when the goroutine ends

	// Guarded by sc.mu.
	pending Content
	has     bool  // pending is waiting
	busy    bool  // a draw is in progress
	err     error // the last failed draw, for the next Show
	idle    *sync.Cond
}

func startWorker(sc *Screen) *worker {
	w := &worker{sc: sc, wake: make(chan struct{}, 1), done: make(chan struct{}), idle: sync.NewCond(&sc.mu)}
	go w.run()
	return w
}

// hand replaces the waiting Content with c. Caller holds sc.mu.
func (w *worker) hand(c Content) {
	w.pending, w.has = c, true
	select {
	case w.wake <- struct{}{}:
	default: // already signalled
	}
}

func (w *worker) run() {
	defer close(w.done)
	for range w.wake {
		w.sc.mu.Lock()
		c, ok := w.pending, w.has
		w.has, w.busy = false, ok
		w.sc.mu.Unlock()
		if !ok {
			continue
		}
		err := w.sc.draw(c)
		w.sc.mu.Lock()
		w.busy = false
		if err != nil {
			w.err = err
			w.sc.stats.Errors++
			if w.sc.last == c {
				w.sc.drawn = false // redraw on the next Show
			}
		} else {
			w.sc.stats.Draws++
		}
		w.idle.Broadcast()
		w.sc.mu.Unlock()
	}
}

// drop forgets a Content not yet drawn.
func (w *worker) drop() {
	w.sc.mu.Lock()
	w.has = false
	w.idle.Broadcast()
	w.sc.mu.Unlock()
}

// flush waits until nothing is waiting or drawing.
func (w *worker) flush() {
	w.sc.mu.Lock()
	for w.has || w.busy {
		w.idle.Wait()
	}
	w.sc.mu.Unlock()
}

// stop drops what waits, lets a draw in progress finish and ends the
// goroutine. Called once, by Close.
func (w *worker) stop() {
	w.drop()
	close(w.wake)
	<-w.done
}

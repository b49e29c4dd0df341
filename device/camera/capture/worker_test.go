package capture

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
)

// A read stuck in C must not hold Next past its context nor Close past
// closeWait; the capture is released once the read returns, never during.
func TestWorkerAbandonsAStuckRead(t *testing.T) {
	unblock := make(chan struct{})
	released := make(chan struct{})
	reading := false
	var w worker
	w.start(func() (camera.Frame, error) {
		reading = true
		<-unblock
		reading = false
		return camera.Frame{Seq: 7}, nil
	}, func() error {
		if reading {
			t.Error("released during a read")
		}
		close(released)
		return nil
	})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := w.next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("next on a stuck read: %v, want the context's error", err)
	}
	start := time.Now()
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < closeWait/2 {
		t.Errorf("close returned after %v with a read in flight", d)
	}
	select {
	case <-released:
		t.Fatal("released while the read was still in C")
	default:
	}
	close(unblock)
	select {
	case <-released:
	case <-time.After(time.Minute):
		t.Fatal("never released after the read returned")
	}
}

// A result abandoned by one Next is handed to the next call.
func TestWorkerHandsOverALateRead(t *testing.T) {
	unblock := make(chan struct{})
	var w worker
	w.start(func() (camera.Frame, error) { <-unblock; return camera.Frame{Seq: 3}, nil }, func() error { return nil })
	defer w.close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	w.next(ctx) // gives up at once
	ctx2, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	if _, err := w.next(ctx2); err == nil {
		t.Fatal("read returned before it was unblocked")
	}
	close(unblock)
	f, err := w.next(context.Background())
	if err != nil || f.Seq != 3 {
		t.Fatalf("next = %+v, %v; want the late frame 3", f, err)
	}
}

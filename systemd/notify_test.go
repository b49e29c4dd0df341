package systemd

import (
	"testing"
	"time"
)

func TestBeatIsRateLimited(t *testing.T) {
	var sent []string
	n := NewNotifierFunc(func(s string) error { sent = append(sent, s); return nil }, time.Hour)
	for i := 0; i < 100; i++ {
		n.Beat()
	}
	if len(sent) != 1 || sent[0] != "WATCHDOG=1" {
		t.Fatalf("sent %v, want one WATCHDOG=1", sent)
	}
	off := NewNotifierFunc(func(s string) error { t.Fatalf("sent %q with the watchdog off", s); return nil }, 0)
	off.Beat()
	n.Ready()
	n.Stopping()
	if sent[1] != "READY=1" || sent[2] != "STOPPING=1" {
		t.Fatalf("sent %v", sent)
	}
}

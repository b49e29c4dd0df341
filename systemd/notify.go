// Package systemd holds the service's unit file and example configuration
// (beside this file) and the sd_notify side of running under systemd:
// READY, STOPPING, STATUS, and watchdog keep-alives from the frame loop.
package systemd

import (
	"sync"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// Notifier talks to systemd when the service runs with Type=notify; without
// NOTIFY_SOCKET every call is a cheap no-op.
type Notifier struct {
	mu       sync.Mutex
	interval time.Duration // WATCHDOG=1 spacing: half of WatchdogSec, 0 when off
	last     time.Time
	notify   func(state string) error
}

// NewNotifier reads the watchdog interval systemd set for this process.
func NewNotifier() *Notifier {
	n := &Notifier{notify: func(s string) error { _, err := daemon.SdNotify(false, s); return err }}
	if d, err := daemon.SdWatchdogEnabled(false); err == nil && d > 0 {
		n.interval = d / 2
	}
	return n
}

// NewNotifierFunc sends through f (for tests) with the given watchdog interval.
func NewNotifierFunc(f func(state string) error, watchdog time.Duration) *Notifier {
	return &Notifier{notify: f, interval: watchdog / 2}
}

// Ready says start-up is done (models loaded, camera delivering).
func (n *Notifier) Ready() error { return n.notify(daemon.SdNotifyReady) }

// Stopping says shutdown has begun.
func (n *Notifier) Stopping() error { return n.notify(daemon.SdNotifyStopping) }

// Status sets the one-line status `systemctl status` shows.
func (n *Notifier) Status(s string) error { return n.notify("STATUS=" + s) }

// Beat sends WATCHDOG=1 when half the watchdog interval has passed since
// the last one. The frame loop calls it every frame; when the loop stalls,
// the beats stop and systemd restarts the service.
func (n *Notifier) Beat() {
	if n.interval <= 0 {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	now := time.Now()
	if now.Sub(n.last) < n.interval {
		return
	}
	n.last = now
	n.notify(daemon.SdNotifyWatchdog)
}

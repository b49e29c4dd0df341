// Package delivery is the promise that every session event reaches the
// broker: the local event log is written first (fsync'd) and is the source
// of truth, then the MQTT outbox, and the hand-off mark between the two
// (the seq and outbox entry of the last event the outbox accepted, and how
// far it had been delivered) lets a restart re-queue what a crash lost,
// and whatever happened to the outbox file — deleted, truncated, garbled,
// rolled back — every logged event after the delivered mark, saying so in
// the log (see handoff).
// It opens the MQTT publisher, moving a corrupt outbox aside instead of
// staying down, and on shutdown gives the broker a few seconds to take what
// is queued.
package delivery

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry/mqtt"
	"github.com/yogamirror/yogamirror/telemetry/outbox"
)

// DrainGrace bounds how long Close waits for queued events to reach the
// broker; what is left stays in the outbox for the next start.
const DrainGrace = 5 * time.Second

// Opts configure Open.
type Opts struct {
	MQTT    mqtt.Opts // MQTT.StateDir holds the outbox and the hand-off mark
	LogPath string    // the local event log, written before Publish is called
	Logger  *slog.Logger
}

// Delivery is the pipeline's MQTT event sink.
type Delivery struct {
	pub *mqtt.Publisher
	h   *handoff
	log *slog.Logger
}

// Open starts the publisher and re-queues the logged events the outbox
// missed.
func Open(ctx context.Context, o Opts) (*Delivery, error) {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	pub, err := mqtt.New(o.MQTT)
	if errors.Is(err, outbox.ErrCorrupt) {
		// Keep the device working: move the damaged queue aside (counted as
		// a recovery in the new one) and start afresh.
		o.Logger.Error("outbox corrupt; moving it aside", "err", err)
		if _, rerr := outbox.Recover(filepath.Join(o.MQTT.StateDir, mqtt.OutboxFile)); rerr != nil {
			return nil, fmt.Errorf("%w (and recovery failed: %v)", err, rerr)
		}
		pub, err = mqtt.New(o.MQTT)
	}
	if err != nil {
		return nil, err
	}
	d := &Delivery{pub: pub, log: o.Logger}
	h, r, err := newHandoff(ctx, pub, filepath.Join(o.MQTT.StateDir, HandoffFile), o.LogPath)
	if err != nil {
		pub.Close(ctx)
		return nil, err
	}
	switch {
	case r.lost:
		o.Logger.Error("the MQTT outbox lost queued events (deleted, truncated, corrupt or rolled back); "+
			"queued them again from the event log", "events", r.requeued, "after_seq", r.from, "log", o.LogPath)
	case r.requeued > 0:
		o.Logger.Warn("queued again for MQTT: logged events the outbox missed in a crash", "events", r.requeued)
	}
	d.h = h
	return d, nil
}

// Publisher is the MQTT publisher (state sink, commands, stats).
func (d *Delivery) Publisher() *mqtt.Publisher { return d.pub }

// Publish hands a logged event to the outbox.
func (d *Delivery) Publish(ctx context.Context, e session.Event) error {
	return d.h.Publish(ctx, e)
}

// Close delivers the outbox within DrainGrace, then says "offline".
// Publisher.Close drains only while connected, so when events are queued
// and the publisher is between reconnect attempts (a broker that has just
// come back), it first waits, within the same grace, for the connection.
func (d *Delivery) Close() error { return d.CloseBy(time.Now().Add(DrainGrace)) }

// CloseBy is Close with the grace ending at deadline (a daemon stopping on
// SIGTERM has a few seconds in all). Saying "offline" may take up to a
// second more.
func (d *Delivery) CloseBy(deadline time.Time) error {
	ctx, cancel := context.WithDeadline(context.Background(), deadline)
	defer cancel()
	if st := d.pub.Stats(); st.Queued > 0 && !st.Connected {
		d.log.Info("waiting for the broker to deliver queued events", "queued", st.Queued, "limit", time.Until(deadline).Round(time.Millisecond))
		if err := d.pub.WaitConnected(ctx); err != nil {
			d.log.Warn("broker unreachable; queued events stay on disk for the next start", "queued", st.Queued)
		}
	}
	err := d.pub.Close(ctx)
	if queued, _ := d.pub.Outbox(); err == nil {
		err = d.h.closed(queued)
	}
	return err
}

// MarkSeq is the seq of the last event the outbox accepted, from the
// hand-off mark in stateDir (0 without one): with the event log, what the
// stamper resumes above when its own counter file is lost.
func MarkSeq(stateDir string) (uint64, error) {
	m, _, err := ReadMark(filepath.Join(stateDir, HandoffFile))
	return m.Accepted, err
}

// Disabled is called when MQTT is off: the events logged meanwhile are not
// MQTT's, so enabling it again later must not send them all.
func Disabled(stateDir string) error {
	err := os.Remove(filepath.Join(stateDir, HandoffFile))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delivery: %w", err)
	}
	return nil
}

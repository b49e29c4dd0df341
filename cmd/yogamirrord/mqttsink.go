package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/yogamirror/yogamirror/telemetry/mqtt"
	"github.com/yogamirror/yogamirror/telemetry/outbox"
)

// openMQTT starts the publisher (when a broker is configured) and its
// crash-proof hand-off from the event log at logPath.
func (d *daemon) openMQTT(ctx context.Context, logPath string) error {
	mark := filepath.Join(d.c.StateDir, HandoffFile)
	var err error
	var n int
	if d.c.MQTT.Broker == "" {
		// Events logged meanwhile are not MQTT's: enabling it again later
		// must not send them all.
		if err := os.Remove(mark); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	o := d.c.mqttOpts(version)
	o.Logger = d.log.With("component", "mqtt")
	d.mqtt, err = mqtt.New(o)
	if errors.Is(err, outbox.ErrCorrupt) {
		// Keep the device working: move the damaged queue aside (counted as
		// a recovery in the new one) and start afresh.
		d.log.Error("outbox corrupt; moving it aside", "err", err)
		if _, rerr := outbox.Recover(filepath.Join(d.c.StateDir, mqtt.OutboxFile)); rerr != nil {
			return fmt.Errorf("%w (and recovery failed: %v)", err, rerr)
		}
		d.mqtt, err = mqtt.New(o)
	}
	if err != nil {
		return err
	}
	d.closers = append(d.closers, d.closeMQTT)
	d.handoff, n, err = newHandoff(ctx, d.mqtt, mark, logPath)
	if n > 0 {
		d.log.Warn("queued again for MQTT: logged events the outbox missed in a crash", "events", n)
	}
	return err
}

// mqttDrainGrace bounds how long shutdown waits for queued events to reach
// the broker; what is left stays in the outbox for the next start.
const mqttDrainGrace = 5 * time.Second

// closeMQTT delivers the outbox within mqttDrainGrace, then says "offline".
// Publisher.Close drains only while connected, so when events are queued
// and the publisher is between reconnect attempts (a broker that has just
// come back), it first waits, within the same grace, for the connection.
func (d *daemon) closeMQTT() error {
	ctx, cancel := context.WithTimeout(context.Background(), mqttDrainGrace)
	defer cancel()
	if st := d.mqtt.Stats(); st.Queued > 0 && !st.Connected {
		d.log.Info("waiting for the broker to deliver queued events", "queued", st.Queued, "limit", mqttDrainGrace)
		if err := d.mqtt.WaitConnected(ctx); err != nil {
			d.log.Warn("broker unreachable; queued events stay on disk for the next start", "queued", st.Queued)
		}
	}
	return d.mqtt.Close(ctx)
}

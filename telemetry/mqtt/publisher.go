// Package mqtt publishes a mirror's telemetry to an MQTT broker with paho
// (github.com/eclipse/paho.mqtt.golang) and receives its commands.
//
// Durability is owned by telemetry/outbox, not by paho: Publish appends the
// event to the on-disk outbox (fsync'd) and returns without touching the
// network. One goroutine owns the connection; while connected it drains the
// outbox in order with QoS 1 and deletes entries only after their PUBACK,
// so after a broker outage, a lost connection or a crash the unacknowledged
// entries are sent again (consumers de-duplicate by event_id; order holds).
// paho runs with a memory store, a clean session and no auto-reconnect:
// the Publisher reconnects itself with exponential backoff and jitter, and
// never hands paho a publish while the connection is down, so nothing is
// queued twice.
//
// State is retained, latest-wins and coalesced (Show never blocks).
// The status topic carries "online" (retained, on connect) and "offline"
// (retained, as the last will and on Close). Commands arrive on the cmd
// topic and come out of Commands(); rejected ones are reported on the error
// topic. Home Assistant discovery is published on connect and again when
// Home Assistant announces "online".
package mqtt

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/homeassistant"
	"github.com/yogamirror/yogamirror/telemetry/outbox"
)

// File names in Opts.StateDir.
const (
	OutboxFile = "outbox.db"
	DailyFile  = "daily.json"
)

// Stats are counters for the daemon's periodic log line.
type Stats struct {
	Connected        bool
	Queued           int    // events waiting in the outbox
	Dropped          uint64 // events dropped by the outbox overflow policy, ever
	Acked            uint64 // event publishes acknowledged since New
	Connects         uint64 // successful connections since New
	CommandsRejected uint64
}

// Publisher is the MQTT sink. Publish, Show, Commands and Stats are safe for
// concurrent use.
type Publisher struct {
	o      Opts
	topics telemetry.Topics
	ha     *homeassistant.Opts // nil when discovery is off
	box    *outbox.Outbox
	client paho.Client
	log    *slog.Logger

	lost     chan error    // connection lost (from paho)
	haOnline chan struct{} // Home Assistant said "online"
	rejected chan telemetry.CommandError
	st       stateBox

	cmdMu     sync.Mutex
	cmds      chan telemetry.Command
	cmdClosed bool

	closing  chan struct{} // closed by Close
	closeCtx context.Context
	done     chan struct{} // closed when the loop has finished
	once     sync.Once

	connected, discoveryRemoved    atomic.Bool
	acked, connects, rejectedCount atomic.Uint64

	// Owned by the loop goroutine.
	lastState   *telemetry.State
	lastStateAt time.Time
	haDebounce  debounce
	errWindow   time.Time // start of the current rate-limit second
	errCount    int
}

// New validates o, opens the outbox and starts connecting in the
// background; it does not wait for the broker.
func New(o Opts) (*Publisher, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	o.setDefaults()
	topics, err := telemetry.NewTopics(o.BaseTopic, o.DeviceID)
	if err != nil {
		return nil, fmt.Errorf("mqtt: %w", err)
	}
	p := &Publisher{o: o, topics: topics, log: o.Logger, haDebounce: debounce{every: o.DiscoveryDebounce},
		lost: make(chan error, 1), haOnline: make(chan struct{}, 1),
		rejected: make(chan telemetry.CommandError, 16), cmds: make(chan telemetry.Command, 16),
		closing: make(chan struct{}), done: make(chan struct{})}
	if !o.DisableDiscovery {
		p.ha = &homeassistant.Opts{Prefix: o.DiscoveryPrefix, Topics: topics, Name: o.DeviceName, SWVersion: o.SWVersion, Routines: o.Routines}
		if _, err := homeassistant.Configs(*p.ha); err != nil {
			return nil, fmt.Errorf("mqtt: %w", err)
		}
	}
	if p.client, err = p.newClient(); err != nil {
		return nil, err
	}
	moved, err := p.st.load(filepath.Join(o.StateDir, DailyFile), o.Location)
	if err != nil {
		return nil, fmt.Errorf("mqtt: %w", err)
	}
	if moved != "" {
		p.log.Error("mqtt: daily counters corrupt; moved aside, counting from zero", "moved_to", moved)
	}
	p.box, err = outbox.Open(outbox.Opts{Path: filepath.Join(o.StateDir, OutboxFile),
		MaxEntries: o.MaxQueued, MaxBytes: o.MaxQueuedBytes})
	if err != nil {
		return nil, fmt.Errorf("mqtt: %w", err)
	}
	go p.run()
	return p, nil
}

// Topics returns the topic layout in use.
func (p *Publisher) Topics() telemetry.Topics { return p.topics }

// Publish stores a stamped event durably in the outbox (fsync'd before it
// returns) for in-order delivery; it never waits for the network. A
// session_ended event is never dropped by the overflow policy and updates
// the daily counters.
func (p *Publisher) Publish(ctx context.Context, e session.Event) error {
	_, err := p.Enqueue(ctx, e)
	return err
}

// Enqueue is Publish returning the event's outbox entry ID, which the
// hand-off records to notice an outbox that lost appends (see
// outbox.Stats.LastID).
func (p *Publisher) Enqueue(ctx context.Context, e session.Event) (uint64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	w, err := telemetry.NewEvent(p.topics.DeviceID, e)
	if err != nil {
		return 0, fmt.Errorf("mqtt: %w", err)
	}
	b, err := json.Marshal(w)
	if err != nil {
		return 0, fmt.Errorf("mqtt: %w", err)
	}
	id, err := p.box.Append(e.Type == session.SessionEnded, b)
	if err != nil {
		return 0, fmt.Errorf("mqtt: event %s: %w", e.ID, err)
	}
	if e.Type == session.SessionEnded {
		// The event is safely queued: a failure to save the daily counter
		// must not make the caller publish it again.
		if err := p.st.recordSession(w, p.o.Location); err != nil {
			p.log.Error("mqtt: daily counter", "err", err)
		}
	}
	return id, nil
}

// Outbox describes the queue: entries waiting and the last entry ID it
// ever assigned.
func (p *Publisher) Outbox() (queued int, lastID uint64) {
	s := p.box.Stats()
	return s.Count, s.LastID
}

// QueuedIDs are the event_ids of the events waiting in the outbox.
func (p *Publisher) QueuedIDs() (map[string]bool, error) {
	entries, err := p.box.Peek(math.MaxInt)
	if err != nil {
		return nil, fmt.Errorf("mqtt: %w", err)
	}
	ids := make(map[string]bool, len(entries))
	for _, e := range entries {
		if w, err := telemetry.DecodeEvent(e.Payload); err == nil {
			ids[w.EventID] = true
		}
	}
	return ids, nil
}

// SetProblems puts the device's health problems into the retained state
// (published at once); nil clears them.
func (p *Publisher) SetProblems(ps []telemetry.Problem) { p.st.setProblems(ps) }

// Show records the latest state; it is published retained, coalesced, when
// connected. It never blocks.
func (p *Publisher) Show(s session.State) error {
	p.st.show(s)
	return nil
}

// Commands delivers validated commands from the cmd topic. It is closed by
// Close. Commands arriving while the channel is full are rejected with an
// error message rather than blocking MQTT.
func (p *Publisher) Commands() <-chan telemetry.Command { return p.cmds }

// WaitConnected waits until the Publisher is connected or ctx ends.
func (p *Publisher) WaitConnected(ctx context.Context) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !p.connected.Load() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("mqtt: not connected: %w", ctx.Err())
		case <-tick.C:
		}
	}
	return nil
}

// Stats returns the counters.
func (p *Publisher) Stats() Stats {
	s := p.box.Stats()
	return Stats{Connected: p.connected.Load(), Queued: s.Count, Dropped: s.Dropped,
		Acked: p.acked.Load(), Connects: p.connects.Load(), CommandsRejected: p.rejectedCount.Load()}
}

// Close delivers what it can of the outbox within ctx, publishes "offline"
// (retained) and disconnects, then closes the outbox and the Commands
// channel. Events not delivered stay on disk for the next run.
func (p *Publisher) Close(ctx context.Context) error {
	p.once.Do(func() {
		p.closeCtx = ctx
		close(p.closing)
	})
	<-p.done
	p.cmdMu.Lock()
	if !p.cmdClosed {
		p.cmdClosed = true
		close(p.cmds)
	}
	p.cmdMu.Unlock()
	if err := p.box.Close(); err != nil {
		return fmt.Errorf("mqtt: %w", err)
	}
	return nil
}

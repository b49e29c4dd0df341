package mqtt

import (
	"encoding/json"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/yogamirror/yogamirror/telemetry"
)

// run owns the connection: connect with backoff, serve the session until
// the connection is lost, repeat; on Close, flush and say goodbye.
func (p *Publisher) run() {
	defer close(p.done)
	bo := backoff{min: p.o.BackoffMin, max: p.o.BackoffMax}
	failures := 0
	for {
		select {
		case <-p.closing:
			return // not connected: nothing can be flushed
		default:
		}
		err := p.await(p.client.Connect(), p.o.ConnectTimeout+time.Second)
		if err != nil {
			failures++
			p.logConnectFailure(failures, err)
			if closed := p.sleep(bo.next()); closed {
				return
			}
			continue
		}
		failures = 0
		bo.reset()
		p.connected.Store(true)
		p.connects.Add(1)
		p.log.Info("mqtt: connected", "broker", p.o.Broker)
		closed := p.session()
		p.connected.Store(false)
		if closed {
			p.finish()
			return
		}
	}
}

func (p *Publisher) logConnectFailure(n int, err error) {
	if n == 1 || n%10 == 0 { // the first failure and then every tenth
		p.log.Warn("mqtt: cannot connect", "broker", p.o.Broker, "attempts", n, "err", err)
	}
}

// sleep waits d, returning true if Close was called meanwhile.
func (p *Publisher) sleep(d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return false
	case <-p.closing:
		return true
	}
}

var always = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// session serves one connection. It returns true when Close was called
// (still connected), false when the connection was lost.
func (p *Publisher) session() bool {
	if err := p.onConnect(); err != nil {
		p.log.Warn("mqtt: after connect", "err", err)
		p.client.Disconnect(100)
		return false
	}
	var stateTimer, drainRetry <-chan time.Time
	for {
		var drainNow <-chan struct{}
		if p.box.Len() > 0 && drainRetry == nil {
			drainNow = always // ready, but select still serves the other cases fairly
		}
		select {
		case err := <-p.lost:
			if p.client.IsConnectionOpen() {
				continue // the loss of an earlier connection, reported late
			}
			p.log.Warn("mqtt: connection lost", "err", err)
			return false
		case <-p.closing:
			return true
		case <-drainNow:
			if err := p.drainBatch(); err != nil {
				// Usually the connection is gone and p.lost follows;
				// otherwise try again (duplicates are fine).
				drainRetry = time.After(p.o.BackoffMin)
			}
		case <-drainRetry:
			drainRetry = nil
		case <-p.box.Ready():
		case <-p.st.dirty:
			stateTimer = p.armState(stateTimer, p.pushState(false))
		case <-stateTimer:
			stateTimer = p.armState(nil, p.pushState(false))
		case <-p.haOnline:
			p.publishDiscovery()
		case ce := <-p.rejected:
			p.publishRejection(ce)
		}
	}
}

func (p *Publisher) armState(cur <-chan time.Time, wait time.Duration) <-chan time.Time {
	if wait <= 0 || cur != nil {
		return cur
	}
	return time.After(wait)
}

// onConnect announces the device, subscribes, publishes discovery and the
// current state. The outbox drains afterwards, in the session loop.
func (p *Publisher) onConnect() error {
	if err := p.await(p.client.Publish(p.topics.Status, 1, true, telemetry.Online), p.o.AckTimeout); err != nil {
		return err
	}
	if err := p.await(p.client.Subscribe(p.topics.Cmd, 1, p.onCommand), p.o.AckTimeout); err != nil {
		return err
	}
	if p.ha != nil {
		if err := p.await(p.client.Subscribe(statusTopic(p.ha), 1, p.onHAStatus), p.o.AckTimeout); err != nil {
			return err
		}
		p.publishDiscovery()
	}
	p.lastState = nil
	p.pushState(true)
	return nil
}

// finish runs on Close while connected: deliver the outbox within Close's
// context, publish "offline", disconnect.
func (p *Publisher) finish() {
	for p.box.Len() > 0 && p.closeCtx.Err() == nil {
		if err := p.drainBatch(); err != nil {
			p.log.Warn("mqtt: flush on close", "err", err, "left", p.box.Len())
			break
		}
	}
	if err := p.await(p.client.Publish(p.topics.Status, 1, true, telemetry.Offline), p.o.AckTimeout); err != nil {
		p.log.Warn("mqtt: publish offline", "err", err)
	}
	p.client.Disconnect(250)
}

// drainBatch publishes up to Window of the oldest events in order, waits
// for their PUBACKs and deletes the acknowledged prefix. It stops issuing
// at the first publish paho refuses, so nothing later overtakes it.
func (p *Publisher) drainBatch() error {
	entries, err := p.box.Peek(p.o.Window)
	if err != nil || len(entries) == 0 {
		return err
	}
	var acked []uint64
	var firstErr error
	tokens := make([]paho.Token, 0, len(entries))
	for _, e := range entries {
		t := p.client.Publish(p.topics.Event, 1, false, e.Payload)
		tokens = append(tokens, t)
		if done(t) && t.Error() != nil {
			break
		}
	}
	for i, t := range tokens {
		if firstErr = p.await(t, p.o.AckTimeout); firstErr != nil {
			break
		}
		acked = append(acked, entries[i].ID)
	}
	if len(acked) > 0 {
		if err := p.box.Delete(acked...); err != nil {
			return err // they will be sent again: duplicates, never losses
		}
		p.acked.Add(uint64(len(acked)))
	}
	return firstErr
}

func done(t paho.Token) bool {
	select {
	case <-t.Done():
		return true
	default:
		return false
	}
}

func (p *Publisher) publishDiscovery() {
	if p.discoveryRemoved.Load() {
		return
	}
	msgs, err := homeassistantConfigs(p.ha)
	if err != nil {
		p.log.Error("mqtt: discovery", "err", err)
		return
	}
	for _, m := range msgs {
		p.client.Publish(m.Topic, 1, true, m.Payload)
	}
}

// publishRejection reports a rejected command on the error topic, at most
// five per second so a flood of bad commands cannot flood the broker.
func (p *Publisher) publishRejection(ce telemetry.CommandError) {
	now := p.o.Now()
	if now.Sub(p.lastErrorAt) < 200*time.Millisecond {
		return
	}
	p.lastErrorAt = now
	b, err := json.Marshal(ce)
	if err == nil {
		p.client.Publish(p.topics.Error, 1, false, b)
	}
}

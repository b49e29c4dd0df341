package mqtt

import (
	"errors"
	"time"

	"github.com/yogamirror/yogamirror/telemetry"
)

// run owns the connection: connect with backoff, serve the session until
// the connection is lost, repeat; on Close, flush and say goodbye.
func (p *Publisher) run() {
	defer close(p.done)
	bo := backoff{min: p.o.BackoffMin, max: p.o.BackoffMax}
	for failures := 0; ; {
		err := p.connect()
		if errors.Is(err, errClosing) {
			return
		}
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

// connect makes one attempt (paho bounds it by ConnectTimeout). When Close
// comes meanwhile, it still waits for the attempt, and if that succeeded,
// says goodbye properly so the retained status does not stay "online".
func (p *Publisher) connect() error {
	select {
	case <-p.closing:
		return errClosing
	default:
	}
	t := p.client.Connect()
	limit := 2*p.o.ConnectTimeout + time.Second
	err := p.await(t, limit)
	if errors.Is(err, errClosing) {
		if t.WaitTimeout(limit) && t.Error() == nil {
			p.finish()
		}
		return errClosing
	}
	if err != nil && p.client.IsConnectionOpen() { // paho overran its timeout
		p.client.Disconnect(0)
	}
	return err
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

// session serves one connection. It returns true when Close was called
// (still connected), false when the connection was lost.
func (p *Publisher) session() bool {
	if err := p.onConnect(); err != nil {
		p.log.Warn("mqtt: after connect", "err", err)
		p.client.Disconnect(100)
		return false
	}
	always := make(chan struct{})
	close(always)
	var stateTimer, drainRetry, haTimer <-chan time.Time
	p.haDebounce.reset()
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
			republish, wait := p.haDebounce.request(p.o.Now())
			if republish {
				p.publishDiscovery()
			} else if wait > 0 {
				haTimer = time.After(wait)
			}
		case <-haTimer:
			haTimer = nil
			if p.haDebounce.due(p.o.Now()) {
				p.publishDiscovery()
			}
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

// onConnect subscribes to commands, then announces the device ("online"
// means it takes commands: one sent on seeing it is not lost), publishes
// discovery and the current state. The outbox drains afterwards, in the
// session loop.
func (p *Publisher) onConnect() error {
	if err := p.await(p.client.Subscribe(p.topics.Cmd, 1, p.onCommand), p.o.AckTimeout); err != nil {
		return err
	}
	if err := p.await(p.client.Publish(p.topics.Status, 1, true, telemetry.Online), p.o.AckTimeout); err != nil {
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
	t := p.client.Publish(p.topics.Status, 1, true, telemetry.Offline)
	if !t.WaitTimeout(p.offlineGrace()) || t.Error() != nil {
		p.log.Warn("mqtt: offline not acknowledged", "err", t.Error())
	}
	p.client.Disconnect(250)
}

// offlineGrace is how long "offline" may take: what is left of Close's
// context, but at least a second even when it has expired (a stale
// "online" would mislead every consumer), at most AckTimeout.
func (p *Publisher) offlineGrace() time.Duration {
	d := time.Second
	if dl, ok := p.closeCtx.Deadline(); ok && time.Until(dl) > d {
		d = time.Until(dl)
	} else if !ok {
		d = p.o.AckTimeout
	}
	return min(d, p.o.AckTimeout)
}

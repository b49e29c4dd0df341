package mqtt

import (
	"encoding/json"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/yogamirror/yogamirror/telemetry"
)

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
// ten per second so a flood of bad commands cannot flood the broker.
func (p *Publisher) publishRejection(ce telemetry.CommandError) {
	now := p.o.Now()
	if now.Sub(p.errWindow) >= time.Second {
		p.errWindow, p.errCount = now, 0
	}
	if p.errCount >= 10 {
		return
	}
	p.errCount++
	b, err := json.Marshal(ce)
	if err == nil {
		p.client.Publish(p.topics.Error, 1, false, b)
	}
}

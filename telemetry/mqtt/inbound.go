package mqtt

import (
	"errors"
	"fmt"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/homeassistant"
)

var (
	errRetainedCommand = errors.New("mqtt: retained commands are ignored (publish commands without the retain flag)")
	errCommandsBusy    = errors.New("mqtt: command queue full, command dropped")
)

// onCommand runs on paho's router goroutine: it must not block.
func (p *Publisher) onCommand(c paho.Client, m paho.Message) {
	if n := len(m.Payload()); n > telemetry.MaxCommandBytes {
		// paho has read the whole message already (the broker's
		// message_size_limit is what keeps big ones out); nothing more is
		// done with it than counting and saying so.
		p.reject("", fmt.Errorf("%w: payload is %d bytes, limit %d", telemetry.ErrBadCommand, n, telemetry.MaxCommandBytes))
		return
	}
	if len(m.Payload()) == 0 {
		return // how retained messages are cleared, see below
	}
	if m.Retained() {
		// A retained command would run again on every reconnect: refuse it
		// and clear it from the broker.
		p.reject(telemetry.CommandID(m.Payload()), errRetainedCommand)
		go c.Publish(m.Topic(), 1, true, []byte{}) // handlers must not block

		return
	}
	cmd, err := telemetry.ParseCommand(m.Payload())
	if err != nil {
		p.reject(telemetry.CommandID(m.Payload()), err)
		return
	}
	p.cmdMu.Lock()
	defer p.cmdMu.Unlock()
	if p.cmdClosed {
		return
	}
	select {
	case p.cmds <- cmd:
	default:
		p.reject(cmd.ID, errCommandsBusy)
	}
}

// Reject reports a command that parsed but cannot be carried out (a pose
// the classifier does not know, a routine the mirror does not have) on the
// error topic, like a malformed one; id is the command's.
func (p *Publisher) Reject(id string, err error) { p.reject(id, err) }

// reject queues an error message for the loop to publish; when errors
// arrive faster than they are published, the extra ones are only counted.
func (p *Publisher) reject(id string, err error) {
	p.rejectedCount.Add(1)
	ce := telemetry.NewCommandError(p.topics.DeviceID, p.o.Now(), id, err)
	select {
	case p.rejected <- ce:
	default:
	}
}

func (p *Publisher) onHAStatus(_ paho.Client, m paho.Message) {
	if string(m.Payload()) != telemetry.Online {
		return
	}
	select {
	case p.haOnline <- struct{}{}:
	default:
	}
}

func statusTopic(o *homeassistant.Opts) string { return homeassistant.StatusTopic(o.Prefix) }

func homeassistantConfigs(o *homeassistant.Opts) ([]homeassistant.Message, error) {
	return homeassistant.Configs(*o)
}

// RemoveDiscovery deletes this device's Home Assistant entities (empty
// retained configs) and stops publishing discovery. It needs a connection
// (see WaitConnected) and waits for the broker's acknowledgements; use it
// when decommissioning a mirror, then Close.
func (p *Publisher) RemoveDiscovery() error {
	p.discoveryRemoved.Store(true)
	o := p.ha
	if o == nil {
		o = &homeassistant.Opts{Prefix: p.o.DiscoveryPrefix, Topics: p.topics}
	}
	msgs, err := homeassistant.Removals(*o)
	if err != nil {
		return fmt.Errorf("mqtt: %w", err)
	}
	for _, m := range msgs {
		t := p.client.Publish(m.Topic, 1, true, m.Payload)
		if err := p.await(t, p.o.AckTimeout); err != nil {
			return fmt.Errorf("mqtt: remove discovery %s: %w", m.Topic, err)
		}
	}
	return nil
}

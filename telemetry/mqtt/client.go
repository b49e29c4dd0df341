package mqtt

import (
	"errors"
	"math/rand/v2"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/yogamirror/yogamirror/telemetry"
)

// newClient configures paho: memory store, clean session and no automatic
// reconnection (the loop reconnects and the outbox owns durability), the
// last will "offline" retained on the status topic.
func (p *Publisher) newClient() (paho.Client, error) {
	tlsCfg, err := p.o.tlsConfig()
	if err != nil {
		return nil, err
	}
	pw, err := p.o.password()
	if err != nil {
		return nil, err
	}
	po := paho.NewClientOptions().AddBroker(p.o.Broker).
		SetClientID("yogamirror-"+p.o.DeviceID).
		SetCleanSession(true).SetStore(paho.NewMemoryStore()).
		SetAutoReconnect(false).SetConnectRetry(false).
		SetKeepAlive(p.o.KeepAlive).SetPingTimeout(p.o.KeepAlive/2+time.Second).
		SetConnectTimeout(p.o.ConnectTimeout).SetWriteTimeout(p.o.ConnectTimeout).
		SetOrderMatters(true).
		SetBinaryWill(p.topics.Status, []byte(telemetry.Offline), 1, true).
		SetConnectionLostHandler(func(_ paho.Client, err error) {
			select {
			case p.lost <- err:
			default:
			}
		})
	if tlsCfg != nil {
		po.SetTLSConfig(tlsCfg)
	}
	if p.o.Username != "" {
		po.SetUsername(p.o.Username).SetPassword(pw)
	}
	return paho.NewClient(po), nil
}

// errClosing reports that Close interrupted a wait.
var errClosing = errors.New("mqtt: closing")

// await waits for a token or for limit. Once Close is called, Close's
// context also ends the wait.
func (p *Publisher) await(t paho.Token, limit time.Duration) error {
	timer := time.NewTimer(limit)
	defer timer.Stop()
	closing := p.closing
	var ctxDone <-chan struct{}
	for {
		select {
		case <-t.Done():
			return t.Error()
		case <-timer.C:
			return errors.New("mqtt: no answer from the broker within " + limit.String())
		case <-closing:
			closing, ctxDone = nil, p.closeCtx.Done()
		case <-ctxDone:
			return errClosing
		}
	}
}

// backoff doubles from min to max with ±25 % jitter, so a fleet of mirrors
// does not reconnect in lockstep after a broker restart.
type backoff struct {
	min, max, cur time.Duration
}

func (b *backoff) next() time.Duration {
	if b.cur < b.min {
		b.cur = b.min
	} else if b.cur *= 2; b.cur > b.max {
		b.cur = b.max
	}
	jitter := time.Duration(rand.Int64N(int64(b.cur)/2+1)) - b.cur/4
	return b.cur + jitter
}

func (b *backoff) reset() { b.cur = 0 }

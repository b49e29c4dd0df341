package mqtttest

import (
	"crypto/tls"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// WaitLimit bounds every wait in this package. It guards against hangs; it
// is not a speed assertion.
const WaitLimit = 30 * time.Second

// Message is one received message.
type Message struct {
	Topic     string
	Payload   []byte
	Retained  bool
	Duplicate bool
	QoS       byte
}

// ClientOpts say how a test client connects.
type ClientOpts struct {
	URL      string
	ClientID string // default: unique per client
	TLS      *tls.Config
	Username string
	Password string
	// Clean makes a clean session; by default the Recorder keeps a
	// persistent session so that QoS 1 messages published while it is
	// reconnecting (after a broker restart) are queued for it.
	Clean bool
}

var clientSeq atomic.Int64

func (o ClientOpts) paho(prefix string) *paho.ClientOptions {
	id := o.ClientID
	if id == "" {
		id = fmt.Sprintf("%s-%d-%d", prefix, time.Now().UnixNano()%1e9, clientSeq.Add(1))
	}
	po := paho.NewClientOptions().AddBroker(o.URL).SetClientID(id).
		SetCleanSession(o.Clean).SetAutoReconnect(true).SetConnectRetry(true).
		SetConnectRetryInterval(50 * time.Millisecond).SetMaxReconnectInterval(200 * time.Millisecond).
		SetConnectTimeout(5 * time.Second).SetOrderMatters(true)
	if o.TLS != nil {
		po.SetTLSConfig(o.TLS)
	}
	if o.Username != "" {
		po.SetUsername(o.Username).SetPassword(o.Password)
	}
	return po
}

// Recorder subscribes with QoS 1 and records every message in arrival order.
type Recorder struct {
	mu      sync.Mutex
	msgs    []Message
	changed chan struct{}
	client  paho.Client
}

// Subscribe connects, subscribes to the filters (QoS 1) and records. It is
// disconnected at tb.Cleanup.
func Subscribe(tb testing.TB, o ClientOpts, filters ...string) *Recorder {
	tb.Helper()
	r := &Recorder{changed: make(chan struct{}, 1)}
	subs := map[string]byte{}
	for _, f := range filters {
		subs[f] = 1
	}
	subscribed := make(chan paho.Token, 1)
	var first atomic.Bool
	first.Store(true)
	// A persistent session keeps its subscriptions across reconnects and
	// broker restarts; subscribing again would replay retained messages.
	po := o.paho("rec").SetOnConnectHandler(func(c paho.Client) {
		if first.Swap(false) || o.Clean {
			t := c.SubscribeMultiple(subs, r.record)
			select {
			case subscribed <- t:
			default:
			}
		}
	})
	po.SetDefaultPublishHandler(r.record) // queued messages may arrive before the route exists
	r.client = paho.NewClient(po)
	wait(tb, r.client.Connect(), "recorder connect")
	select {
	case t := <-subscribed:
		wait(tb, t, "recorder subscribe")
	case <-time.After(WaitLimit):
		tb.Fatalf("mqtttest: recorder not subscribed within %v", WaitLimit)
	}
	tb.Cleanup(r.Close)
	return r
}

func (r *Recorder) record(_ paho.Client, m paho.Message) {
	r.mu.Lock()
	r.msgs = append(r.msgs, Message{Topic: m.Topic(), Payload: append([]byte(nil), m.Payload()...),
		Retained: m.Retained(), Duplicate: m.Duplicate(), QoS: m.Qos()})
	r.mu.Unlock()
	select {
	case r.changed <- struct{}{}:
	default:
	}
}

// Messages returns a copy of everything recorded, optionally only on topic.
func (r *Recorder) Messages(topic ...string) []Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Message
	for _, m := range r.msgs {
		if len(topic) == 0 || m.Topic == topic[0] {
			out = append(out, m)
		}
	}
	return out
}

// WaitConnected waits until the Recorder's connection is up (after a broker
// restart, for instance).
func (r *Recorder) WaitConnected(tb testing.TB) {
	tb.Helper()
	deadline := time.Now().Add(WaitLimit)
	for !r.client.IsConnectionOpen() {
		if time.Now().After(deadline) {
			tb.Fatalf("mqtttest: recorder not reconnected within %v", WaitLimit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Len is the number of messages recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.msgs)
}

// WaitFor waits until cond holds for the recorded messages and returns
// them; after WaitLimit it fails the test, saying what it waited for.
func (r *Recorder) WaitFor(tb testing.TB, what string, cond func([]Message) bool) []Message {
	tb.Helper()
	deadline := time.After(WaitLimit)
	for {
		msgs := r.Messages()
		if cond(msgs) {
			return msgs
		}
		select {
		case <-r.changed:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			tb.Fatalf("mqtttest: waited %v for %s; got %d messages", WaitLimit, what, len(msgs))
		}
	}
}

// Close disconnects.
func (r *Recorder) Close() { r.client.Disconnect(100) }

// Retained returns the retained message on topic, if any, without timing
// guesses: it subscribes, then publishes a marker on a private topic and
// returns once the marker is back (the broker sends retained messages
// before anything published after the subscription).
func Retained(tb testing.TB, o ClientOpts, topic string) (payload []byte, ok bool) {
	tb.Helper()
	o.Clean = true
	c := paho.NewClient(o.paho("ret").SetConnectRetry(false))
	wait(tb, c.Connect(), "connect")
	defer c.Disconnect(50)
	got := make(chan []byte, 16)
	marker := fmt.Sprintf("mqtttest/marker/%d", clientSeq.Add(1))
	done := make(chan struct{})
	wait(tb, c.Subscribe(topic, 1, func(_ paho.Client, m paho.Message) {
		if m.Retained() {
			got <- append([]byte(nil), m.Payload()...)
		}
	}), "subscribe "+topic)
	wait(tb, c.Subscribe(marker, 1, func(paho.Client, paho.Message) { close(done) }), "subscribe marker")
	wait(tb, c.Publish(marker, 1, false, "x"), "publish marker")
	select {
	case <-done:
	case <-time.After(WaitLimit):
		tb.Fatalf("mqtttest: marker not received within %v", WaitLimit)
	}
	select {
	case p := <-got:
		return p, true
	default:
		return nil, false
	}
}

// Publish sends one message and waits for it to be acknowledged.
func Publish(tb testing.TB, o ClientOpts, topic string, qos byte, retained bool, payload []byte) {
	tb.Helper()
	o.Clean = true
	c := paho.NewClient(o.paho("pub").SetConnectRetry(false))
	wait(tb, c.Connect(), "connect")
	defer c.Disconnect(50)
	wait(tb, c.Publish(topic, qos, retained, payload), "publish "+topic)
}

func wait(tb testing.TB, t paho.Token, what string) {
	tb.Helper()
	if !t.WaitTimeout(WaitLimit) {
		tb.Fatalf("mqtttest: %s: no answer within %v", what, WaitLimit)
	}
	if err := t.Error(); err != nil {
		tb.Fatalf("mqtttest: %s: %v", what, err)
	}
}

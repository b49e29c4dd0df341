package mqtt

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/outbox"

	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// TestEventsSurviveBrokerRestarts publishes a stream while the broker is
// stopped and restarted three times: the subscriber gets every event, in
// order, exactly once after de-duplication by event_id.
func TestEventsSurviveBrokerRestarts(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	o := testOpts(t, b.URL())
	p := start(t, o)
	topic := p.Topics().Event
	rec := mqtttest.Subscribe(t, mqtttest.ClientOpts{URL: b.URL(), ClientID: "rec-restarts"}, topic)
	src := newEventSource(t, o.StateDir)
	waitConnected(t, p)

	for round := 0; round < 3; round++ {
		src.publish(t, p, 60) // connected
		b.Stop(t)
		src.publish(t, p, 20) // broker down: Publish must not block
		b.Restart(t)
		n := uint64(round + 2)
		waitStats(t, p, "a new connection", func(s Stats) bool { return s.Connects >= n })
	}
	src.publish(t, p, 40)
	distinct := countDistinct(t, topic)
	msgs := rec.WaitFor(t, "every event", func(m []mqtttest.Message) bool { return distinct(m) >= len(src.sent) })
	checkInOrderOnce(t, uniqueEvents(t, msgs), src.sent)
	t.Logf("%d events, %d messages received (%d duplicates), %d connects",
		len(src.sent), len(msgs), len(msgs)-len(src.sent), p.Stats().Connects)
	waitStats(t, p, "an empty outbox", func(s Stats) bool { return s.Queued == 0 && s.Acked >= uint64(len(src.sent)) })
}

// TestBrokerDownFromStart starts with no broker: events wait in the outbox,
// survive a restart of the Publisher itself, and go out once the broker
// is up.
func TestBrokerDownFromStart(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	o := testOpts(t, b.URL())
	topic := "yogamirror/" + device + "/event"
	// A persistent session, created before the outage, queues for the
	// subscriber whatever the Publisher sends before it reconnects.
	rec := mqtttest.Subscribe(t, mqtttest.ClientOpts{URL: b.URL(), ClientID: "rec-down"}, topic)
	b.Stop(t)

	p1, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	src := newEventSource(t, o.StateDir)
	src.publish(t, p1, 25)
	closeWithin(t, p1, 100*time.Millisecond) // nothing to flush to: events stay on disk

	p2 := start(t, o)
	if q := p2.Stats().Queued; q != 25 {
		t.Fatalf("after restart %d events queued, want 25", q)
	}
	src.publish(t, p2, 25)
	b.Restart(t)
	distinct := countDistinct(t, topic)
	msgs := rec.WaitFor(t, "every event", func(m []mqtttest.Message) bool { return distinct(m) >= len(src.sent) })
	checkInOrderOnce(t, uniqueEvents(t, msgs), src.sent)
}

// waitStats waits until cond holds for the Publisher's Stats.
func waitStats(t *testing.T, p *Publisher, what string, cond func(Stats) bool) {
	t.Helper()
	deadline := time.Now().Add(mqtttest.WaitLimit)
	for !cond(p.Stats()) {
		if time.Now().After(deadline) {
			t.Fatalf("waited for %s: Stats = %+v", what, p.Stats())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCloseFlushesThenSaysOffline(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	o := testOpts(t, b.URL())
	p := start(t, o)
	rec := mqtttest.Subscribe(t, mqtttest.ClientOpts{URL: b.URL()}, p.Topics().Event, p.Topics().Status)
	waitConnected(t, p)
	src := newEventSource(t, o.StateDir)
	src.publish(t, p, 300)
	closeWithin(t, p, mqtttest.WaitLimit)

	msgs := rec.WaitFor(t, "offline", func(m []mqtttest.Message) bool {
		return len(m) > 0 && string(m[len(m)-1].Payload) == telemetry.Offline
	})
	checkInOrderOnce(t, uniqueEvents(t, onTopic(msgs, p.Topics().Event)), src.sent)
	if n := queued(t, o); n != 0 {
		t.Errorf("%d events left in the outbox after a flush with time to spare", n)
	}
}

// TestCloseWithExpiredContext: nothing may be lost, and the status still
// ends "offline".
func TestCloseWithExpiredContext(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	c := mqtttest.ClientOpts{URL: b.URL()}
	o := testOpts(t, b.URL())
	p := start(t, o)
	rec := mqtttest.Subscribe(t, c, p.Topics().Event)
	waitConnected(t, p)
	src := newEventSource(t, o.StateDir)
	src.publish(t, p, 200)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if s, _ := mqtttest.Retained(t, c, p.Topics().Status); string(s) != telemetry.Offline {
		t.Errorf("status = %q, want offline", s)
	}
	// Every event is either delivered or still on disk (possibly both: an
	// unacknowledged batch is sent again on the next run).
	left := queued(t, o)
	distinct := countDistinct(t, p.Topics().Event)
	msgs := rec.WaitFor(t, "every event not left on disk", func(m []mqtttest.Message) bool {
		return distinct(m) >= len(src.sent)-left
	})
	t.Logf("%d delivered before Close, %d kept on disk", distinct(msgs), left)
}

func onTopic(msgs []mqtttest.Message, topic string) []mqtttest.Message {
	var out []mqtttest.Message
	for _, m := range msgs {
		if m.Topic == topic {
			out = append(out, m)
		}
	}
	return out
}

// queued reopens a closed Publisher's outbox and counts its entries.
func queued(t *testing.T, o Opts) int {
	t.Helper()
	q, err := outbox.Open(outbox.Opts{Path: filepath.Join(o.StateDir, OutboxFile)})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	return q.Len()
}

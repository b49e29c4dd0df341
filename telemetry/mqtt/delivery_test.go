package mqtt

import (
	"testing"
	"time"

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
	}
	src.publish(t, p, 40)
	distinct := countDistinct(t, topic)
	msgs := rec.WaitFor(t, "every event", func(m []mqtttest.Message) bool { return distinct(m) >= len(src.sent) })
	checkInOrderOnce(t, uniqueEvents(t, msgs), src.sent)
	t.Logf("%d events, %d messages received (%d duplicates), %d connects",
		len(src.sent), len(msgs), len(msgs)-len(src.sent), p.Stats().Connects)
	if s := p.Stats(); s.Connects < 4 {
		t.Errorf("Stats = %+v: want at least 4 connections", s)
	}
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

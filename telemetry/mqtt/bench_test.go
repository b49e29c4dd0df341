package mqtt

import (
	"flag"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

var nodelay = flag.Bool("nodelay", false, "benchmarks: run mosquitto with set_tcp_nodelay true")

// brokerOpts: mosquitto's default leaves Nagle's algorithm on, which with
// the client's delayed ACKs stalls some PUBACKs by 40 ms; -nodelay measures
// a broker configured with set_tcp_nodelay true.
func brokerOpts() mqtttest.Opts {
	if *nodelay {
		return mqtttest.Opts{Extra: []string{"set_tcp_nodelay true"}}
	}
	return mqtttest.Opts{}
}

// waitLen waits until the recorder holds n messages (polling: cheap and
// precise to a millisecond, unlike copying the messages for each check).
func waitLen(b *testing.B, rec *mqtttest.Recorder, n int) {
	deadline := time.Now().Add(5 * time.Minute)
	for rec.Len() < n {
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d messages after 5 minutes", rec.Len(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkEndToEnd is the sustained rate of events through the whole
// path: Publish (fsync'd outbox append), drain with QoS 1, PUBACK, delete,
// mosquitto, a QoS 1 subscriber. Reports events/s.
func BenchmarkEndToEnd(b *testing.B) {
	br := mqtttest.Start(b, brokerOpts())
	o := testOpts(b, br.URL())
	o.DisableDiscovery = true
	p := start(b, o)
	rec := mqtttest.Subscribe(b, mqtttest.ClientOpts{URL: br.URL(), Clean: true}, p.Topics().Event)
	waitConnected(b, p)
	src := newEventSource(b, o.StateDir)
	b.ResetTimer()
	t0 := time.Now()
	src.publish(b, p, b.N)
	waitLen(b, rec, b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "events/s")
}

// BenchmarkDrainBacklog is the rate at which a backlog accumulated during
// an outage is delivered by a Publisher started once the broker is back
// (connect, then QoS 1 with a window of Opts.Window, one fsync'd delete per
// batch). Reports events/s.
func BenchmarkDrainBacklog(b *testing.B) {
	br := mqtttest.Start(b, brokerOpts())
	o := testOpts(b, br.URL())
	o.DisableDiscovery = true
	rec := mqtttest.Subscribe(b, mqtttest.ClientOpts{URL: br.URL(), ClientID: "bench-backlog"}, "yogamirror/+/event")
	br.Stop(b)
	p1, err := New(o)
	if err != nil {
		b.Fatal(err)
	}
	src := newEventSource(b, o.StateDir)
	src.publish(b, p1, b.N)
	closeWithin(b, p1, time.Second)
	br.Restart(b)
	rec.WaitConnected(b)
	b.ResetTimer()
	t0 := time.Now()
	start(b, o)
	waitLen(b, rec, b.N)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(t0).Seconds(), "events/s")
}

package mqtt

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

const device = "mirror-1"

// testOpts are fast-reconnecting options for a test broker.
func testOpts(t testing.TB, broker string) Opts {
	return Opts{
		Broker: broker, DeviceID: device, StateDir: t.TempDir(),
		BackoffMin: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond,
		ConnectTimeout: 3 * time.Second, AckTimeout: 5 * time.Second, KeepAlive: 5 * time.Second,
		StateInterval: 10 * time.Millisecond, SWVersion: "test",
	}
}

func start(t testing.TB, o Opts) *Publisher {
	t.Helper()
	p, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { closeWithin(t, p, 5*time.Second) })
	return p
}

func closeWithin(t testing.TB, p *Publisher, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	if err := p.Close(ctx); err != nil {
		t.Error(err)
	}
}

func waitConnected(t testing.TB, p *Publisher) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), mqtttest.WaitLimit)
	defer cancel()
	if err := p.WaitConnected(ctx); err != nil {
		t.Fatal(err)
	}
}

// eventSource stamps a stream of events like the pipeline does.
type eventSource struct {
	st   *telemetry.Stamper
	n    int
	sent []string // event ids in publish order
}

func newEventSource(t testing.TB, dir string) *eventSource {
	st, err := telemetry.NewStamper(telemetry.StamperOpts{Path: dir + "/" + telemetry.SeqFileName})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &eventSource{st: st}
}

func (s *eventSource) publish(t testing.TB, p *Publisher, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		s.n++
		e, err := s.st.Stamp(session.Event{Type: session.PoseStarted, Time: time.Now(),
			Session: "s1", Pose: fmt.Sprintf("pose-%d", s.n), TargetS: 30})
		if err != nil {
			t.Fatal(err)
		}
		if err := p.Publish(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		s.sent = append(s.sent, e.ID)
	}
}

// uniqueEvents decodes event messages and returns the event ids in order of
// first arrival (consumers de-duplicate by event_id).
func uniqueEvents(t testing.TB, msgs []mqtttest.Message) []telemetry.Event {
	t.Helper()
	seen := map[string]bool{}
	var out []telemetry.Event
	for _, m := range msgs {
		e, err := telemetry.DecodeEvent(m.Payload)
		if err != nil {
			t.Fatalf("%s: %v", m.Payload, err)
		}
		if !seen[e.EventID] {
			seen[e.EventID] = true
			out = append(out, e)
		}
	}
	return out
}

// checkInOrderOnce fails unless got is exactly want, in order.
func checkInOrderOnce(t testing.TB, got []telemetry.Event, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("received %d distinct events, published %d", len(got), len(want))
	}
	for i := range want {
		if got[i].EventID != want[i] {
			t.Fatalf("event %d = %s, want %s (out of order or foreign)", i, got[i].EventID, want[i])
		}
		if i > 0 && got[i].Seq <= got[i-1].Seq {
			t.Fatalf("seq %d after %d", got[i].Seq, got[i-1].Seq)
		}
	}
}

func countDistinct(t testing.TB, topic string) func([]mqtttest.Message) int {
	return func(msgs []mqtttest.Message) int {
		var ev []mqtttest.Message
		for _, m := range msgs {
			if m.Topic == topic {
				ev = append(ev, m)
			}
		}
		return len(uniqueEvents(t, ev))
	}
}

// logTo is a debug logger writing into buf.
func logTo(buf *testkit.LockedBuffer) *slog.Logger {
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// waitLog waits for text in the log (e.g. a connection failure).
func waitLog(t testing.TB, buf *testkit.LockedBuffer, text string) {
	t.Helper()
	deadline := time.Now().Add(mqtttest.WaitLimit)
	for !strings.Contains(buf.String(), text) {
		if time.Now().After(deadline) {
			t.Fatalf("log never said %q:\n%s", text, buf.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func decodeState(t testing.TB, b []byte) telemetry.State {
	t.Helper()
	var s telemetry.State
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("state %s: %v", b, err)
	}
	return s
}

package mqtt

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// TestCorruptDailyIsMovedAside: a garbled daily.json no longer keeps the
// publisher (and so the daemon) down: it is moved aside, logged, and the
// count starts again.
func TestCorruptDailyIsMovedAside(t *testing.T) {
	o := testOpts(t, "tcp://127.0.0.1:1") // no broker needed
	path := filepath.Join(o.StateDir, DailyFile)
	testkit.WriteFile(t, path, []byte(`{"day":"2026-03-14","sessi`))
	var logs bytes.Buffer
	o.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	start(t, o)
	moved, _ := filepath.Glob(path + ".corrupt-*")
	if len(moved) != 1 {
		t.Fatalf("daily.json not moved aside: %v", moved)
	}
	if got, _ := os.ReadFile(moved[0]); string(got) != `{"day":"2026-03-14","sessi` {
		t.Errorf("moved file holds %q", got)
	}
	if !strings.Contains(logs.String(), "daily counters corrupt; moved aside") {
		t.Errorf("no log line about it:\n%s", logs.String())
	}
}

// TestProblemsInTheRetainedState: a health problem goes out at once in the
// retained state and leaves it when cleared.
func TestProblemsInTheRetainedState(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	c := mqtttest.ClientOpts{URL: b.URL()}
	p := start(t, testOpts(t, b.URL()))
	waitConnected(t, p)
	rec := mqtttest.Subscribe(t, c, p.Topics().State)
	p.Show(session.State{Time: time.Now(), Pose: "tree"})
	full := []telemetry.Problem{{Component: "eventlog", Reason: "eventlog: write events.jsonl: no space left on device"}}
	p.SetProblems(full)
	rec.WaitFor(t, "state with the problem", func(m []mqtttest.Message) bool {
		return len(m) > 0 && slices.Equal(decodeState(t, m[len(m)-1].Payload).Problems, full)
	})
	if st, _ := mqtttest.Retained(t, c, p.Topics().State); !bytes.Contains(st, []byte(`"problems":[{"component":"eventlog"`)) {
		t.Errorf("retained state %s lacks the problem", st)
	}
	p.SetProblems(nil)
	rec.WaitFor(t, "state without problems", func(m []mqtttest.Message) bool {
		return len(m) > 0 && !bytes.Contains(m[len(m)-1].Payload, []byte("problems"))
	})
}

package mqtt

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

func TestRetainedStatusAndState(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	c := mqtttest.ClientOpts{URL: b.URL()}
	o := testOpts(t, b.URL())
	o.Location = time.UTC
	p := start(t, o)
	waitConnected(t, p)
	if s, _ := mqtttest.Retained(t, c, p.Topics().Status); string(s) != telemetry.Online {
		t.Fatalf("status = %q, want online", s)
	}

	now := time.Now().UTC()
	src := newEventSource(t, o.StateDir)
	ended, err := src.st.Stamp(session.Event{Type: session.SessionEnded, Time: now, Session: "s1",
		Summary: &session.Summary{Start: now.Add(-12 * time.Minute), End: now, DurationS: 720}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Publish(context.Background(), ended); err != nil {
		t.Fatal(err)
	}
	rec := mqtttest.Subscribe(t, c, p.Topics().State)
	p.Show(session.State{Time: now, Person: true, Pose: "tree", HeldS: 12, TargetS: 30, SessionActive: true})
	msgs := rec.WaitFor(t, "state with the tree pose", func(m []mqtttest.Message) bool {
		return len(m) > 0 && decodeState(t, m[len(m)-1].Payload).Pose == "tree"
	})
	got := decodeState(t, msgs[len(msgs)-1].Payload)
	if !got.SessionActive || got.HeldS != 12 || got.SessionsToday != 1 || got.LastSessionMin != 12 {
		t.Errorf("state = %+v, want session active, held 12, 1 session today of 12 min", got)
	}
	closeWithin(t, p, 5*time.Second)
	if s, _ := mqtttest.Retained(t, c, p.Topics().Status); string(s) != telemetry.Offline {
		t.Errorf("status after Close = %q, want offline", s)
	}
	if st, ok := mqtttest.Retained(t, c, p.Topics().State); !ok || decodeState(t, st).Pose != "tree" {
		t.Errorf("retained state after Close = %s", st)
	}

	// The daily counter survives a restart of the Publisher.
	p2 := start(t, o)
	p2.Show(session.State{Time: now})
	rec.WaitFor(t, "state after restart", func(m []mqtttest.Message) bool {
		s := decodeState(t, m[len(m)-1].Payload)
		return s.Pose == "" && s.SessionsToday == 1
	})
}

func TestMain(m *testing.M) {
	testkit.Main(m, map[string]func(string) int{"last-will": lastWillChild})
}

// lastWillChild, the child of TestLastWillAfterSIGKILL, connects to the
// broker at url and waits to be killed.
func lastWillChild(url string) int {
	dir, err := os.MkdirTemp("", "lastwill")
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	o := Opts{
		Broker: url, DeviceID: device, StateDir: dir, KeepAlive: 5 * time.Second,
		ConnectTimeout: 3 * time.Second, SWVersion: "test",
	}
	p, err := New(o)
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	if err := p.WaitConnected(context.Background()); err != nil {
		fmt.Println("error:", err)
		return 2
	}
	fmt.Println("connected")
	select {} // until killed
}

func TestLastWillAfterSIGKILL(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	status := "yogamirror/" + device + "/status"
	rec := mqtttest.Subscribe(t, mqtttest.ClientOpts{URL: b.URL()}, status)

	cmd := testkit.Child("last-will", b.URL())
	cmd.Stderr = os.Stderr
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "connected" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child said %q", sc.Text())
	}
	rec.WaitFor(t, "online", func(m []mqtttest.Message) bool {
		return len(m) > 0 && string(m[len(m)-1].Payload) == telemetry.Online
	})
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	rec.WaitFor(t, "the last will", func(m []mqtttest.Message) bool {
		return string(m[len(m)-1].Payload) == telemetry.Offline
	})
	if s, _ := mqtttest.Retained(t, mqtttest.ClientOpts{URL: b.URL()}, status); string(s) != telemetry.Offline {
		t.Errorf("retained status = %q, want offline", s)
	}
}

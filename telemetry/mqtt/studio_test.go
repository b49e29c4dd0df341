package mqtt

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// The shipped mosquitto example (telemetry/mosquitto).
const (
	studioConf = "../mosquitto/yogamirror.conf"
	studioACL  = "../mosquitto/yogamirror.acl"
)

// studioLimits are the shipped config's size limits, for the test broker.
func studioLimits(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(studioConf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, "message_size_limit ") || strings.HasPrefix(l, "max_packet_size ") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 2 {
		t.Fatalf("%s: found %q, want message_size_limit and max_packet_size", studioConf, lines)
	}
	return lines
}

// TestStudioBroker runs mosquitto with the shipped ACL and size limits,
// two mirrors and the admin, each with its own password: mirror A cannot
// command mirror B nor read its commands, an oversized command never
// reaches B, and the admin's commands do.
func TestStudioBroker(t *testing.T) {
	users := map[string]string{"mirror-a": "pw-a", "mirror-b": "pw-b", "yogamirror-admin": "pw-admin"}
	b := mqtttest.Start(t, mqtttest.Opts{PasswordFile: mqtttest.Passwords(t, users), ACLFile: abs(t, studioACL),
		Extra: studioLimits(t)})
	as := func(user string) mqtttest.ClientOpts {
		return mqtttest.ClientOpts{URL: b.URL(), Username: user, Password: users[user]}
	}
	mirror := func(id string) *Publisher {
		o := testOpts(t, b.URL())
		o.DeviceID, o.Username = id, id
		o.PasswordFile = filepath.Join(t.TempDir(), "pw")
		os.WriteFile(o.PasswordFile, []byte(users[id]), 0o600)
		p := start(t, o)
		waitConnected(t, p)
		return p
	}
	mirrorA, mirrorB := mirror("mirror-a"), mirror("mirror-b")
	// A's credentials, listening on its own and on B's command topic.
	snoop := mqtttest.Subscribe(t, as("mirror-a"), mirrorA.Topics().Cmd, mirrorB.Topics().Cmd)
	cmd := func(id string) []byte { return []byte(`{"cmd":"stop_session","id":"` + id + `"}`) }

	// Mirror A commands mirror B: the broker acknowledges and drops it.
	mqtttest.Publish(t, as("mirror-a"), mirrorB.Topics().Cmd, 1, false, cmd("from-a"))
	// A 1 MiB command from the admin: over max_packet_size, the broker
	// disconnects the sender and forwards nothing.
	big := []byte(fmt.Sprintf(`{"cmd":"start_session","id":"big","x":"%s"}`, strings.Repeat("x", 1<<20)))
	publishRefused(t, as("yogamirror-admin"), mirrorB.Topics().Cmd, big)
	// 17 KiB: under max_packet_size, over message_size_limit: dropped.
	mqtttest.Publish(t, as("yogamirror-admin"), mirrorB.Topics().Cmd, 1, false, big[:17<<10])
	// The admin's own command arrives — and, the broker handling each
	// client's publishes in order and these after the others were
	// acknowledged, would have arrived after them.
	mqtttest.Publish(t, as("yogamirror-admin"), mirrorB.Topics().Cmd, 1, false, cmd("from-admin"))
	select {
	case c := <-mirrorB.Commands():
		if c.ID != "from-admin" {
			t.Fatalf("mirror B's first command is %+v: another mirror or an oversized payload got through", c)
		}
	case <-time.After(mqtttest.WaitLimit):
		t.Fatal("the admin's command never reached mirror B")
	}
	if n := mirrorB.Stats().CommandsRejected; n != 0 {
		t.Errorf("mirror B rejected %d commands: something other than the admin's reached it", n)
	}
	// A reads its own commands, not B's: the admin's command to A comes
	// after the one to B on the same connection.
	mqtttest.Publish(t, as("yogamirror-admin"), mirrorA.Topics().Cmd, 1, false, cmd("to-a"))
	msgs := snoop.WaitFor(t, "the admin's command to A", func(m []mqtttest.Message) bool { return len(m) > 0 })
	for _, m := range msgs {
		if m.Topic != mirrorA.Topics().Cmd {
			t.Errorf("mirror A's credentials read %s: %s", m.Topic, m.Payload)
		}
	}
	// Mirror A cannot speak for B either.
	events := mqtttest.Subscribe(t, as("yogamirror-admin"), "yogamirror/+/event")
	fake, _ := json.Marshal(telemetry.Event{Schema: 1, EventID: "fake", DeviceID: "mirror-b", Type: "session_ended"})
	mqtttest.Publish(t, as("mirror-a"), mirrorB.Topics().Event, 1, false, fake)
	e := newEventSource(t, t.TempDir())
	real, _ := e.st.Stamp(session.Event{Type: session.SessionStarted, Time: time.Now(), Session: "s1"})
	if err := mirrorB.Publish(context.Background(), real); err != nil {
		t.Fatal(err)
	}
	got := events.WaitFor(t, "mirror B's own event", func(m []mqtttest.Message) bool { return len(m) > 0 })
	if len(got) != 1 || strings.Contains(string(got[0].Payload), `"fake"`) {
		t.Errorf("event topic of B carried %d messages, first %s: want only B's own", len(got), got[0].Payload)
	}
}

// publishRefused publishes a packet the broker refuses by disconnecting.
func publishRefused(t *testing.T, o mqtttest.ClientOpts, topic string, payload []byte) {
	t.Helper()
	po := paho.NewClientOptions().AddBroker(o.URL).SetClientID("admin-big").SetUsername(o.Username).SetPassword(o.Password).
		SetAutoReconnect(false).SetConnectTimeout(5 * time.Second)
	c := paho.NewClient(po)
	if tok := c.Connect(); !tok.WaitTimeout(mqtttest.WaitLimit) || tok.Error() != nil {
		t.Fatalf("admin connect: %v", tok.Error())
	}
	defer c.Disconnect(50)
	tok := c.Publish(topic, 1, false, payload)
	tok.WaitTimeout(5 * time.Second) // refused: no PUBACK, or an error
	if tok.Error() == nil && c.IsConnectionOpen() {
		t.Logf("the broker acknowledged the %d-byte publish", len(payload))
	}
}

func abs(t *testing.T, p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestHomeAssistantOnlineFlood: 5,000 "online" messages used to cause 633
// full discovery republishes; now the first is served at once and the rest
// coalesce into one per DiscoveryDebounce.
func TestHomeAssistantOnlineFlood(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	c := mqtttest.ClientOpts{URL: b.URL()}
	o := testOpts(t, b.URL())
	o.DiscoveryDebounce = 2 * time.Second
	topic := "homeassistant/sensor/" + device + "/pose/config"
	rec := mqtttest.Subscribe(t, c, topic)
	p := start(t, o)
	waitConnected(t, p)
	rec.WaitFor(t, "discovery on connect", func(m []mqtttest.Message) bool { return len(m) == 1 })
	pub := paho.NewClient(paho.NewClientOptions().AddBroker(b.URL()).SetClientID("ha-flood"))
	if tok := pub.Connect(); !tok.WaitTimeout(mqtttest.WaitLimit) || tok.Error() != nil {
		t.Fatal(tok.Error())
	}
	defer pub.Disconnect(50)
	start := time.Now()
	for range 5000 {
		pub.Publish("homeassistant/status", 0, false, "online")
	}
	flood := time.Since(start)
	// After the flood: the immediate republish, then at most one per 2 s.
	rec.WaitFor(t, "the trailing republish", func(m []mqtttest.Message) bool { return len(m) >= 3 })
	time.Sleep(o.DiscoveryDebounce + 500*time.Millisecond) // let any further ones come
	n := len(rec.Messages()) - 1
	limit := 2 + int(flood/o.DiscoveryDebounce)
	if n > limit {
		t.Errorf("%d republishes for 5000 \"online\" in %v, want at most %d", n, flood, limit)
	}
	t.Logf("5000 \"online\" in %v: %d discovery republishes (debounce %v)", flood.Round(time.Millisecond), n, o.DiscoveryDebounce)
}

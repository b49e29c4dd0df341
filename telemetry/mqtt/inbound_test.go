package mqtt

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/homeassistant"
	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

func TestDiscoveryRepublishedWhenHomeAssistantComesOnline(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	c := mqtttest.ClientOpts{URL: b.URL()}
	rec := mqtttest.Subscribe(t, c, "homeassistant/+/"+device+"/+/config")
	o := testOpts(t, b.URL())
	p := start(t, o)
	want, err := homeassistant.Configs(homeassistant.Opts{Topics: p.Topics(), SWVersion: o.SWVersion})
	if err != nil {
		t.Fatal(err)
	}
	rec.WaitFor(t, "discovery on connect", func(m []mqtttest.Message) bool { return len(m) >= len(want) })

	mqtttest.Publish(t, c, "homeassistant/status", 1, false, []byte("offline"))
	mqtttest.Publish(t, c, "homeassistant/status", 1, false, []byte("online"))
	msgs := rec.WaitFor(t, "discovery after HA online", func(m []mqtttest.Message) bool { return len(m) >= 2*len(want) })
	if len(msgs) != 2*len(want) {
		t.Errorf("%d config messages, want %d (offline must not trigger a republish)", len(msgs), 2*len(want))
	}
	for i, m := range msgs {
		w := want[i%len(want)]
		if m.Topic != w.Topic || !bytes.Equal(m.Payload, w.Payload) {
			t.Errorf("message %d = %s %s, want %s %s", i, m.Topic, m.Payload, w.Topic, w.Payload)
		}
	}
	for _, w := range want {
		if got, ok := mqtttest.Retained(t, c, w.Topic); !ok || !bytes.Equal(got, w.Payload) {
			t.Errorf("%s not retained", w.Topic)
		}
	}

	if err := p.RemoveDiscovery(); err != nil {
		t.Fatal(err)
	}
	for _, w := range want {
		if got, ok := mqtttest.Retained(t, c, w.Topic); ok {
			t.Errorf("%s still retained after RemoveDiscovery: %s", w.Topic, got)
		}
	}
}

func TestCommands(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{})
	c := mqtttest.ClientOpts{URL: b.URL()}
	cmdTopic := "yogamirror/" + device + "/cmd"
	errs := mqtttest.Subscribe(t, c, "yogamirror/"+device+"/error")
	// A retained command would replay on every reconnect: it is refused
	// and cleared.
	mqtttest.Publish(t, c, cmdTopic, 1, true, []byte(`{"cmd":"stop_session"}`))
	p := start(t, testOpts(t, b.URL()))
	waitConnected(t, p)
	send := func(payload string) { mqtttest.Publish(t, c, p.Topics().Cmd, 1, false, []byte(payload)) }

	hostile := []string{
		`{"cmd":"format_disk"}`,
		`{"cmd":"set_hold_target","target_s":-1}`,
		`{"cmd":"start_session","CMD":"x"}`,
		`not json at all`,
		strings.Repeat(`{"pose":`, 5000),
		"\xff\xfe\x00",
		`{"cmd":"set_hold_target","target_s":30,"pose":"tree","extra":{"$gt":""}}`,
	}
	send(`{"id":"c1","cmd":"start_session"}`)
	for _, h := range hostile {
		send(h)
	}
	send(`{"id":"c2","cmd":"set_hold_target","target_s":45,"pose":"tree"}`)

	want := []telemetry.Command{{ID: "c1", Type: telemetry.StartSession},
		{ID: "c2", Type: telemetry.SetHoldTarget, TargetS: 45, Pose: "tree"}}
	for _, w := range want {
		select {
		case got := <-p.Commands():
			if got != w {
				t.Errorf("command = %+v, want %+v", got, w)
			}
		case <-time.After(mqtttest.WaitLimit):
			t.Fatalf("command %+v never arrived", w)
		}
	}
	msgs := errs.WaitFor(t, "an error per rejected command", func(m []mqtttest.Message) bool {
		return len(m) >= len(hostile)+1
	})
	for _, m := range msgs {
		var ce telemetry.CommandError
		if err := json.Unmarshal(m.Payload, &ce); err != nil || ce.Type != "command_error" || ce.Error == "" || ce.DeviceID != device {
			t.Errorf("error message %s: %+v, %v", m.Payload, ce, err)
		}
	}
	if s := p.Stats(); s.CommandsRejected != uint64(len(hostile)+1) || !s.Connected {
		t.Errorf("Stats = %+v, want %d rejected and still connected", s, len(hostile)+1)
	}
	for deadline := time.Now().Add(mqtttest.WaitLimit); ; time.Sleep(20 * time.Millisecond) {
		got, ok := mqtttest.Retained(t, c, cmdTopic)
		if !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("retained command never cleared: %s", got)
		}
	}
	select {
	case extra := <-p.Commands():
		t.Errorf("unexpected command %+v", extra)
	default:
	}
}

package mqtt

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

func TestOptsValidation(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		o    Opts
		want []string // every problem is reported at once
	}{
		{name: "empty", o: Opts{}, want: []string{"broker", "device_id", "state_dir"}},
		{name: "bad scheme and id", o: Opts{Broker: "http://h:1", DeviceID: "a/b", StateDir: dir},
			want: []string{"broker", "device_id"}},
		{name: "no port", o: Opts{Broker: "tcp://h", DeviceID: "m", StateDir: dir}, want: []string{"host:port"}},
		{name: "TLS files on tcp", o: Opts{Broker: "tcp://h:1883", DeviceID: "m", StateDir: dir, CAFile: "ca.pem"},
			want: []string{"TLS settings"}},
		{name: "cert without key", o: Opts{Broker: "ssl://h:8883", DeviceID: "m", StateDir: dir, CertFile: "c.pem"},
			want: []string{"cert_file"}},
		{name: "password without user", o: Opts{Broker: "tcp://h:1", DeviceID: "m", StateDir: dir, PasswordFile: "pw"},
			want: []string{"username"}},
		{name: "credential without dir", o: Opts{Broker: "tcp://h:1", DeviceID: "m", StateDir: dir, Username: "u",
			PasswordCredential: "pw"}, want: []string{"CREDENTIALS_DIRECTORY"}},
		{name: "bad base topic", o: Opts{Broker: "tcp://h:1", DeviceID: "m", StateDir: dir, BaseTopic: "a/+"},
			want: []string{"base_topic"}},
		{name: "missing state dir", o: Opts{Broker: "tcp://h:1", DeviceID: "m", StateDir: dir + "/nope"},
			want: []string{"state_dir"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.o)
			if err == nil {
				t.Fatal("New accepted invalid options")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestNewFailsOnUnreadableSecrets(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		o    Opts
	}{
		{name: "missing password file", o: Opts{Username: "u", PasswordFile: dir + "/none"}},
		{name: "credential path escape", o: Opts{Username: "u", PasswordCredential: "../x", CredentialsDir: dir}},
		{name: "missing CA", o: Opts{Broker: "ssl://127.0.0.1:1", CAFile: dir + "/none"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.DeviceID, o.StateDir = "m", t.TempDir()
			if o.Broker == "" {
				o.Broker = "tcp://127.0.0.1:1"
			}
			if _, err := New(o); err == nil {
				t.Fatal("New succeeded")
			}
		})
	}
}

// TestPublishNeverWaitsForTheNetwork also checks the unstamped-event error:
// no broker listens on port 1.
func TestPublishNeverWaitsForTheNetwork(t *testing.T) {
	o := testOpts(t, "tcp://127.0.0.1:1")
	p := start(t, o)
	err := p.Publish(context.Background(), session.Event{Type: session.PoseStarted})
	if !errors.Is(err, telemetry.ErrNotStamped) {
		t.Errorf("unstamped event: err = %v, want ErrNotStamped", err)
	}
	src := newEventSource(t, o.StateDir)
	src.publish(t, p, 10)
	if s := p.Stats(); s.Queued != 10 || s.Connected {
		t.Errorf("Stats = %+v, want 10 queued, not connected", s)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := p.Publish(ctx, session.Event{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}

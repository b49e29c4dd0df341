package mqtttest

import (
	"strings"
	"testing"
)

func TestBrokerRestartKeepsRetainedAndSessions(t *testing.T) {
	b := Start(t, Opts{})
	c := ClientOpts{URL: b.URL()}
	rec := Subscribe(t, ClientOpts{URL: b.URL(), ClientID: "rec-persistent"}, "t/#")
	Publish(t, c, "t/retained", 1, true, []byte("kept"))
	rec.WaitFor(t, "first message", func(m []Message) bool { return len(m) == 1 })

	b.Restart(t)
	if p, ok := Retained(t, c, "t/retained"); !ok || string(p) != "kept" {
		t.Fatalf("retained after restart = %q, %v; want kept", p, ok)
	}
	Publish(t, c, "t/live", 1, false, []byte("after restart"))
	msgs := rec.WaitFor(t, "message after restart", func(m []Message) bool {
		return len(m) > 0 && m[len(m)-1].Topic == "t/live"
	})
	if string(msgs[len(msgs)-1].Payload) != "after restart" {
		t.Errorf("last = %+v", msgs[len(msgs)-1])
	}
	if _, ok := Retained(t, c, "t/none"); ok {
		t.Error("Retained found a message on a topic never published")
	}
}

func TestBrokerStopAndKill(t *testing.T) {
	b := Start(t, Opts{})
	b.Stop(t)
	if b.Running() {
		t.Fatal("running after Stop")
	}
	b.Restart(t)
	if !b.Running() {
		t.Fatal("not running after Restart")
	}
	b.Kill(t)
	if b.Running() {
		t.Fatal("running after Kill")
	}
	if !strings.Contains(b.Log(), "mosquitto version") {
		t.Errorf("log has no start-up line:\n%s", b.Log())
	}
}

func TestTLSAndPassword(t *testing.T) {
	pki := NewPKI(t)
	b := Start(t, Opts{TLS: pki, RequireClientCert: true, PasswordFile: PasswordFile(t, "mirror", "s3cret")})
	if !strings.HasPrefix(b.URL(), "ssl://") {
		t.Fatalf("URL = %s", b.URL())
	}
	c := ClientOpts{URL: b.URL(), TLS: pki.ClientTLS(t), Username: "mirror", Password: "s3cret"}
	Publish(t, c, "t/tls", 1, true, []byte("ok"))
	if p, ok := Retained(t, c, "t/tls"); !ok || string(p) != "ok" {
		t.Fatalf("retained over TLS = %q, %v", p, ok)
	}
}

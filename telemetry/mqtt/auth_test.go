package mqtt

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"

	"github.com/yogamirror/yogamirror/telemetry/mqtt/mqtttest"
)

// deliversOne checks that a publisher built from o connects and delivers
// an event the recorder sees.
func deliversOne(t *testing.T, o Opts, rec *mqtttest.Recorder) {
	t.Helper()
	p := start(t, o)
	src := newEventSource(t, o.StateDir)
	src.publish(t, p, 1)
	msgs := rec.WaitFor(t, "the event", func(m []mqtttest.Message) bool { return len(m) > 0 })
	checkInOrderOnce(t, uniqueEvents(t, msgs), src.sent)
}

// refused checks that a publisher built from o keeps failing to connect.
func refused(t *testing.T, o Opts, why string) {
	t.Helper()
	var log testkit.LockedBuffer
	o.Logger = logTo(&log)
	p := start(t, o)
	waitLog(t, &log, "cannot connect")
	if s := p.Stats(); s.Connects != 0 {
		t.Fatalf("%s: connected anyway (%+v)", why, s)
	}
}

func TestTLSWithClientCertificates(t *testing.T) {
	pki := mqtttest.NewPKI(t)
	b := mqtttest.Start(t, mqtttest.Opts{TLS: pki, RequireClientCert: true})
	rec := mqtttest.Subscribe(t, mqtttest.ClientOpts{URL: b.URL(), TLS: pki.ClientTLS(t)}, "yogamirror/+/event")
	good := testOpts(t, b.URL())
	good.CAFile, good.CertFile, good.KeyFile = pki.CAFile, pki.ClientCert, pki.ClientKey

	t.Run("CA and client certificate", func(t *testing.T) { deliversOne(t, good, rec) })
	t.Run("mqtts scheme", func(t *testing.T) {
		o := good
		o.StateDir, o.Broker = t.TempDir(), "mqtts://"+b.Addr()
		o.DeviceID = "mirror-mqtts"
		p := start(t, o)
		waitConnected(t, p)
	})
	t.Run("no client certificate", func(t *testing.T) {
		o := good
		o.StateDir, o.CertFile, o.KeyFile = t.TempDir(), "", ""
		refused(t, o, "without a client certificate")
	})
	t.Run("unknown CA", func(t *testing.T) {
		other := mqtttest.NewPKI(t)
		o := good
		o.StateDir, o.CAFile = t.TempDir(), other.CAFile
		refused(t, o, "with a CA that did not sign the broker")
	})
}

func TestUsernameAndPassword(t *testing.T) {
	b := mqtttest.Start(t, mqtttest.Opts{PasswordFile: mqtttest.PasswordFile(t, "mirror", "correct horse")})
	rec := mqtttest.Subscribe(t, mqtttest.ClientOpts{URL: b.URL(), Username: "mirror", Password: "correct horse"},
		"yogamirror/+/event")
	secret := func(t *testing.T, pw string) (dir, name string) {
		dir = t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "mqtt-password"), []byte(pw+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		return dir, "mqtt-password"
	}
	t.Run("password file", func(t *testing.T) {
		o := testOpts(t, b.URL())
		dir, name := secret(t, "correct horse")
		o.Username, o.PasswordFile = "mirror", filepath.Join(dir, name)
		deliversOne(t, o, rec)
	})
	t.Run("systemd credential", func(t *testing.T) {
		o := testOpts(t, b.URL())
		o.Username = "mirror"
		o.CredentialsDir, o.PasswordCredential = secret(t, "correct horse")
		p := start(t, o)
		waitConnected(t, p)
	})
	t.Run("wrong password", func(t *testing.T) {
		o := testOpts(t, b.URL())
		dir, name := secret(t, "battery staple")
		o.Username, o.PasswordFile = "mirror", filepath.Join(dir, name)
		refused(t, o, "with a wrong password")
	})
	t.Run("anonymous", func(t *testing.T) {
		refused(t, testOpts(t, b.URL()), "anonymously")
	})
}

// Package mqtttest runs a real mosquitto broker for tests: started on a free
// loopback port with a temporary config and persistence directory, stopped,
// killed and restarted on the same port with the same persistence, with TLS
// (a throw-away PKI) and password files, plus a Recorder that subscribes and
// records every message. The daemon's end-to-end tests use it too.
package mqtttest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Opts configure a Broker. The zero value is an anonymous plain-TCP broker.
type Opts struct {
	// PasswordFile (see PasswordFile and Passwords) turns anonymous access
	// off.
	PasswordFile string
	// ACLFile is a mosquitto ACL file (acl_file).
	ACLFile string
	// TLS makes the listener TLS with the PKI's server certificate.
	TLS *PKI
	// RequireClientCert asks TLS clients for a certificate signed by the CA.
	RequireClientCert bool
	// Extra lines for mosquitto.conf (global section).
	Extra []string
}

// Broker is a mosquitto process owned by a test.
type Broker struct {
	Port int
	Dir  string // config, log and persistence
	opts Opts
	cmd  *exec.Cmd
	done chan struct{} // closed when cmd exits
}

// Start starts mosquitto on a free loopback port and registers its Stop
// with tb.Cleanup. Without mosquitto it fails (skips under -short).
func Start(tb testing.TB, o Opts) *Broker {
	tb.Helper()
	bin := mosquittoPath(tb)
	b := &Broker{Dir: tb.TempDir(), opts: o}
	var err error
	for attempt := 0; attempt < 5; attempt++ { // another process may take the port first
		if b.Port, err = freePort(); err != nil {
			tb.Fatal(err)
		}
		if err = b.start(bin); err == nil {
			break
		}
	}
	if err != nil {
		tb.Fatalf("mqtttest: %v\n%s", err, b.Log())
	}
	tb.Cleanup(func() {
		if tb.Failed() {
			tb.Logf("mosquitto log:\n%s", b.Log())
		}
		b.stop(syscall.SIGTERM)
	})
	return b
}

func mosquittoPath(tb testing.TB) string {
	if p, err := exec.LookPath("mosquitto"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/mosquitto"); err == nil {
		return "/usr/sbin/mosquitto"
	}
	if testing.Short() {
		tb.Skip("-short: mosquitto is not installed")
	}
	tb.Fatal("mqtttest: mosquitto is not installed (apt-get install mosquitto mosquitto-clients)")
	return ""
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("mqtttest: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// Addr is host:port of the listener.
func (b *Broker) Addr() string { return "127.0.0.1:" + strconv.Itoa(b.Port) }

// URL is the broker URL for paho: ssl:// with TLS, tcp:// otherwise.
func (b *Broker) URL() string {
	if b.opts.TLS != nil {
		return "ssl://" + b.Addr()
	}
	return "tcp://" + b.Addr()
}

// Log returns mosquitto's log so far.
func (b *Broker) Log() string {
	out, _ := os.ReadFile(filepath.Join(b.Dir, "mosquitto.log"))
	return string(out)
}

// Running reports whether the process is alive.
func (b *Broker) Running() bool {
	if b.done == nil {
		return false
	}
	select {
	case <-b.done:
		return false
	default:
		return true
	}
}

// Stop terminates mosquitto cleanly (SIGTERM): it saves its persistence
// (retained messages, sessions, queued QoS 1 messages) before exiting.
func (b *Broker) Stop(tb testing.TB) {
	tb.Helper()
	if err := b.stop(syscall.SIGTERM); err != nil {
		tb.Fatal(err)
	}
}

// Kill stops mosquitto abruptly (SIGKILL), losing what it had not saved.
func (b *Broker) Kill(tb testing.TB) {
	tb.Helper()
	if err := b.stop(syscall.SIGKILL); err != nil {
		tb.Fatal(err)
	}
}

// Restart stops mosquitto if it runs (SIGTERM) and starts it again on the
// same port with the same configuration and persistence directory.
func (b *Broker) Restart(tb testing.TB) {
	tb.Helper()
	if err := b.stop(syscall.SIGTERM); err != nil {
		tb.Fatal(err)
	}
	if err := b.start(mosquittoPath(tb)); err != nil {
		tb.Fatalf("%v\n%s", err, b.Log())
	}
}

func (b *Broker) start(bin string) error {
	conf := filepath.Join(b.Dir, "mosquitto.conf")
	if err := os.WriteFile(conf, []byte(b.config()), 0o600); err != nil {
		return fmt.Errorf("mqtttest: %w", err)
	}
	cmd := exec.Command(bin, "-c", conf)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("mqtttest: start mosquitto: %w", err)
	}
	b.cmd, b.done = cmd, make(chan struct{})
	done := b.done
	go func() { cmd.Wait(); close(done) }()
	return b.waitListening(10 * time.Second)
}

// waitListening polls the port; it fails fast if mosquitto exits (e.g. the
// port was taken).
func (b *Broker) waitListening(limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-b.done:
			return errors.New("mqtttest: mosquitto exited during start-up")
		default:
		}
		if c, err := net.DialTimeout("tcp", b.Addr(), 100*time.Millisecond); err == nil {
			c.Close()
			return nil
		}
		time.Sleep(5 * time.Millisecond)
	}
	b.stop(syscall.SIGKILL)
	return fmt.Errorf("mqtttest: mosquitto not listening on %s after %v", b.Addr(), limit)
}

func (b *Broker) stop(sig syscall.Signal) error {
	if !b.Running() {
		return nil
	}
	if err := b.cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("mqtttest: signal mosquitto: %w", err)
	}
	// mosquitto notices a signal only when its event loop wakes up; on a
	// loaded machine that can take seconds with no client traffic, so a
	// connection now and then wakes it.
	limit := time.After(10 * time.Second)
	for {
		select {
		case <-b.done:
			return nil
		case <-limit:
			b.cmd.Process.Kill()
			<-b.done
			return errors.New("mqtttest: mosquitto ignored SIGTERM for 10s")
		case <-time.After(200 * time.Millisecond):
			if c, err := net.DialTimeout("tcp", b.Addr(), 100*time.Millisecond); err == nil {
				c.Close()
			}
		}
	}
}

func (b *Broker) config() string {
	lines := []string{
		"per_listener_settings false",
		"persistence true",
		"persistence_location " + b.Dir + "/",
		"log_dest file " + filepath.Join(b.Dir, "mosquitto.log"),
		"log_type error", "log_type warning", "log_type notice", "log_type information",
		"connection_messages true",
		// mosquitto's default of 1000 would silently drop messages queued
		// for a Recorder that reconnects after a long burst.
		"max_queued_messages 0",
	}
	if os.Geteuid() == 0 {
		lines = append(lines, "user root") // else mosquitto drops to user mosquitto and cannot write Dir
	}
	if b.opts.PasswordFile != "" {
		lines = append(lines, "allow_anonymous false", "password_file "+b.opts.PasswordFile)
	} else {
		lines = append(lines, "allow_anonymous true")
	}
	if b.opts.ACLFile != "" {
		lines = append(lines, "acl_file "+b.opts.ACLFile)
	}
	lines = append(lines, b.opts.Extra...)
	lines = append(lines, fmt.Sprintf("listener %d 127.0.0.1", b.Port))
	if p := b.opts.TLS; p != nil {
		lines = append(lines, "cafile "+p.CAFile, "certfile "+p.ServerCert, "keyfile "+p.ServerKey,
			fmt.Sprintf("require_certificate %t", b.opts.RequireClientCert))
	}
	return strings.Join(lines, "\n") + "\n"
}

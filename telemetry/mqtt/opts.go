package mqtt

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/telemetry"
)

// Opts configure a Publisher. Only Broker, DeviceID and StateDir are
// required.
type Opts struct {
	// Broker is the broker URL: tcp:// or mqtt:// (plain), ssl://, tls://,
	// mqtts:// or tcps:// (TLS), ws:// or wss:// (websockets, with a path).
	Broker    string
	DeviceID  string // [a-zA-Z0-9_-]{1,64}; the client id is "yogamirror-<id>"
	BaseTopic string // default telemetry.DefaultBase
	// StateDir holds outbox.db and daily.json (and, for the daemon's
	// Stamper, telemetry.SeqFileName). It must exist and be writable.
	StateDir string

	CAFile     string // PEM CA bundle for the broker; default: system roots
	CertFile   string // client certificate (PEM), with KeyFile
	KeyFile    string
	ServerName string // TLS server name when it differs from the URL host
	// InsecureSkipVerify disables broker certificate checks. For
	// debugging only: prefer CAFile.
	InsecureSkipVerify bool

	Username string
	// PasswordFile is read once at New (trailing newline removed).
	PasswordFile string
	// PasswordCredential names a systemd credential (LoadCredential=),
	// read from CredentialsDir/<name>; the daemon passes
	// $CREDENTIALS_DIRECTORY as CredentialsDir.
	PasswordCredential string
	CredentialsDir     string

	KeepAlive      time.Duration // default 30s
	ConnectTimeout time.Duration // default 10s
	BackoffMin     time.Duration // first reconnect delay, default 500ms
	BackoffMax     time.Duration // reconnect delay cap, default 60s
	AckTimeout     time.Duration // wait for a PUBACK before giving up on a batch, default 30s
	Window         int           // QoS 1 event publishes in flight, default 32
	// StateInterval spaces retained state updates that only change numbers
	// (hold seconds, confidence); pose, session, person and daily count
	// changes go out at once. Default 1s.
	StateInterval time.Duration

	MaxQueued      int   // outbox entries, default outbox.DefaultMaxEntries
	MaxQueuedBytes int64 // outbox payload bytes, default outbox.DefaultMaxBytes

	DisableDiscovery bool     // Home Assistant discovery is on by default
	DiscoveryPrefix  string   // default "homeassistant"
	Routines         []string // routine names: Home Assistant's routine select
	// DiscoveryDebounce spaces the republishes Home Assistant's "online"
	// triggers (default 10s; the first is immediate, see debounce).
	DiscoveryDebounce time.Duration
	DeviceName        string // Home Assistant device name
	SWVersion         string // device and origin sw_version

	Location *time.Location // the local day for "sessions today", default time.Local
	Logger   *slog.Logger   // default: discard
	Now      func() time.Time
}

func (o *Opts) setDefaults() {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.KeepAlive, 30*time.Second)
	def(&o.ConnectTimeout, 10*time.Second)
	def(&o.BackoffMin, 500*time.Millisecond)
	def(&o.BackoffMax, 60*time.Second)
	def(&o.AckTimeout, 30*time.Second)
	def(&o.StateInterval, time.Second)
	def(&o.DiscoveryDebounce, 10*time.Second)
	if o.BackoffMax < o.BackoffMin {
		o.BackoffMax = o.BackoffMin
	}
	if o.Window <= 0 {
		o.Window = 32
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// validate reports every problem at once.
func (o *Opts) validate() error {
	var errs []error
	add := func(key string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("mqtt: %s: %w", key, err))
		}
	}
	add("broker", checkBroker(o.Broker))
	add("device_id", telemetry.ValidateDeviceID(o.DeviceID))
	if o.BaseTopic != "" {
		add("base_topic", telemetry.ValidateBase(o.BaseTopic))
	}
	if o.StateDir == "" {
		add("state_dir", errors.New("required"))
	} else if fi, err := os.Stat(o.StateDir); err != nil || !fi.IsDir() {
		add("state_dir", fmt.Errorf("%s is not a directory", o.StateDir))
	}
	if (o.CertFile == "") != (o.KeyFile == "") {
		add("cert_file", errors.New("cert_file and key_file go together"))
	}
	if !tlsScheme(o.Broker) && (o.CAFile != "" || o.CertFile != "" || o.InsecureSkipVerify) {
		add("broker", errors.New("TLS settings given but the URL is not ssl://, mqtts://, tls://, tcps:// or wss://"))
	}
	if o.PasswordFile != "" && o.PasswordCredential != "" {
		add("password_file", errors.New("give password_file or password_credential, not both"))
	}
	if o.PasswordCredential != "" && o.CredentialsDir == "" {
		add("password_credential", errors.New("no credentials directory ($CREDENTIALS_DIRECTORY unset?)"))
	}
	if (o.PasswordFile != "" || o.PasswordCredential != "") && o.Username == "" {
		add("username", errors.New("a password needs a username"))
	}
	return errors.Join(errs...)
}

var schemes = map[string]bool{"tcp": false, "mqtt": false, "ws": false,
	"ssl": true, "tls": true, "mqtts": true, "tcps": true, "wss": true}

func checkBroker(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	if _, ok := schemes[u.Scheme]; !ok {
		return fmt.Errorf("%q: scheme must be tcp, mqtt, ssl, tls, mqtts, tcps, ws or wss", raw)
	}
	if u.Host == "" || u.Port() == "" {
		return fmt.Errorf("%q: want scheme://host:port", raw)
	}
	return nil
}

func tlsScheme(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && schemes[u.Scheme]
}

// tlsConfig builds the client TLS settings, or nil for plain schemes.
func (o *Opts) tlsConfig() (*tls.Config, error) {
	if !tlsScheme(o.Broker) {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: o.ServerName, InsecureSkipVerify: o.InsecureSkipVerify}
	if o.CAFile != "" {
		pem, err := storage.ReadFile(o.CAFile, storage.StateLimit("CA files"))
		if err != nil {
			return nil, fmt.Errorf("mqtt: ca_file: %w", err)
		}
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("mqtt: ca_file: no PEM certificate in %s", o.CAFile)
		}
	}
	if o.CertFile != "" {
		cert, err := loadKeyPair(o.CertFile, o.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("mqtt: client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{cert}
	}
	return cfg, nil
}

// password reads the password file or the systemd credential ("" when
// none is configured).
func (o *Opts) password() (string, error) {
	path := o.PasswordFile
	if o.PasswordCredential != "" {
		if strings.ContainsAny(o.PasswordCredential, `/\`) || o.PasswordCredential == ".." {
			return "", fmt.Errorf("mqtt: password_credential %q: not a plain name", o.PasswordCredential)
		}
		path = filepath.Join(o.CredentialsDir, o.PasswordCredential)
	}
	if path == "" {
		return "", nil
	}
	b, err := storage.ReadFile(path, storage.StateLimit("password files"))
	if err != nil {
		return "", fmt.Errorf("mqtt: password: %w", err)
	}
	pw := strings.TrimRight(string(b), "\r\n")
	if pw == "" {
		return "", fmt.Errorf("mqtt: password: %s is empty", path)
	}
	return pw, nil
}

// loadKeyPair is tls.LoadX509KeyPair through bounded reads.
func loadKeyPair(certFile, keyFile string) (tls.Certificate, error) {
	cert, err := storage.ReadFile(certFile, storage.StateLimit("certificate files"))
	if err != nil {
		return tls.Certificate{}, err
	}
	key, err := storage.ReadFile(keyFile, storage.StateLimit("key files"))
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.X509KeyPair(cert, key)
}

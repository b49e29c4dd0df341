package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/yogamirror/yogamirror/telemetry/mqtt"
)

// mqttConfig is the "mqtt" section; an empty broker turns MQTT off.
type mqttConfig struct {
	Broker             string  `yaml:"broker"`
	BaseTopic          string  `yaml:"base_topic"`
	Username           string  `yaml:"username"`
	PasswordFile       string  `yaml:"password_file"`
	PasswordCredential string  `yaml:"password_credential"` // systemd LoadCredential= name
	CAFile             string  `yaml:"ca_file"`
	CertFile           string  `yaml:"cert_file"`
	KeyFile            string  `yaml:"key_file"`
	ServerName         string  `yaml:"server_name"`
	KeepAliveS         float64 `yaml:"keepalive_s"`
	MaxQueued          int     `yaml:"max_queued"`
	MaxQueuedBytes     int64   `yaml:"max_queued_bytes"`
	Discovery          *bool   `yaml:"discovery"`
	DiscoveryPrefix    string  `yaml:"discovery_prefix"`
	DeviceName         string  `yaml:"device_name"`
}

func (m mqttConfig) validate() error {
	if m.Broker == "" {
		return nil
	}
	var errs []error
	u, err := url.Parse(m.Broker)
	if err != nil || u.Host == "" {
		errs = append(errs, fmt.Errorf("mqtt.broker: %q is not a URL like tcp://host:1883 or mqtts://host:8883", m.Broker))
	}
	if (m.CertFile == "") != (m.KeyFile == "") {
		errs = append(errs, errors.New("mqtt.cert_file: cert_file and key_file go together"))
	}
	if m.PasswordFile != "" && m.PasswordCredential != "" {
		errs = append(errs, errors.New("mqtt.password_file: set password_file or password_credential, not both"))
	}
	if m.KeepAliveS < 0 || m.MaxQueued < 0 || m.MaxQueuedBytes < 0 {
		errs = append(errs, errors.New("mqtt: keepalive_s, max_queued and max_queued_bytes must not be negative"))
	}
	return errors.Join(errs...)
}

func (c *Config) mqttOpts(version string) mqtt.Opts {
	m := c.MQTT
	return mqtt.Opts{
		Broker: m.Broker, DeviceID: c.DeviceID, BaseTopic: m.BaseTopic, StateDir: c.StateDir,
		CAFile: m.CAFile, CertFile: m.CertFile, KeyFile: m.KeyFile, ServerName: m.ServerName,
		Username: m.Username, PasswordFile: m.PasswordFile,
		PasswordCredential: m.PasswordCredential, CredentialsDir: os.Getenv("CREDENTIALS_DIRECTORY"),
		KeepAlive: seconds(m.KeepAliveS), MaxQueued: m.MaxQueued, MaxQueuedBytes: m.MaxQueuedBytes,
		DisableDiscovery: m.Discovery != nil && !*m.Discovery, DiscoveryPrefix: m.DiscoveryPrefix,
		DeviceName: m.DeviceName, SWVersion: version,
	}
}

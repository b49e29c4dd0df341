package main

import (
	"context"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// Flags given on the command line override the file; the others leave it
// alone (a zero flag default must never clobber a configured value).
func TestFlagsOverrideTheConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	yaml := "device_id: from-file\nsource: /videos/a.mp4\nfps: 5\nrealtime: true\ntracker:\n  hold_target_s: 45\nmqtt:\n  broker: tcp://hub:1883\n"
	if err := os.WriteFile(cfg, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := parseFlags([]string{"--config", cfg, "--device-id", "from-flag", "--hold-target", "20",
		"--realtime=false", "--state-dir", t.TempDir()}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	c, err := f.load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if c.DeviceID != "from-flag" || c.Tracker.HoldTargetS != 20 || *c.Realtime {
		t.Errorf("flags not applied: id %q, hold %g, realtime %v", c.DeviceID, c.Tracker.HoldTargetS, *c.Realtime)
	}
	if c.Source != "/videos/a.mp4" || c.FPS != 5 || c.MQTT.Broker != "tcp://hub:1883" {
		t.Errorf("unset flags changed the file's values: source %q, fps %g, broker %q", c.Source, c.FPS, c.MQTT.Broker)
	}
	// Every flag but --config, --max-config-kib (read before the file) and
	// --version has a place in the Config.
	f.fs.VisitAll(func(fl *flag.Flag) {
		if _, ok := f.apply[fl.Name]; !ok && fl.Name != "config" && fl.Name != "max-config-kib" && fl.Name != "version" {
			t.Errorf("flag --%s is not applied to the config", fl.Name)
		}
	})
}

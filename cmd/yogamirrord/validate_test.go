package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestConfigRefusesWhatBreaksTheDevice: values YAML decodes happily but
// that left the daemon never seeing a pose (and exiting 0) are errors,
// every one listed with its key path.
func TestConfigRefusesWhatBreaksTheDevice(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string
	}{
		{"enter nan", "tracker:\n  enter: .nan\n", []string{"tracker.enter: NaN is not a number"}},
		{"exit nan", "tracker:\n  exit: .nan\n", []string{"tracker.exit: NaN is not a number"}},
		{"min_person_score 7", "tracker:\n  min_person_score: 7\n", []string{"tracker.min_person_score: 7, want a keypoint score in [0, 1]"}},
		{"cues.min_score 9", "cues:\n  min_score: 9\n", []string{"cues.min_score: 9, want a keypoint score in [0, 1]"}},
		{"fps inf", "fps: .inf\n", []string{"fps: +Inf is not a number"}},
		{"hold target nan", "tracker:\n  hold_targets: {tree: .nan}\n", []string{"tracker.hold_targets.tree: NaN is not a number"}},
		{"exit above enter", "tracker:\n  enter: 0.5\n  exit: 0.7\n", []string{"need 0 < exit (0.7) < enter (0.5) < 1"}},
		{"enter 1", "tracker:\n  enter: 1\n", []string{"enter (1) < 1"}},
		{"negative exit", "tracker:\n  exit: -0.2\n", []string{"tracker.exit: -0.2, want a probability in [0, 1]"}},
		{"huge grace", "tracker:\n  grace_s: 1e300\n", []string{"tracker.grace_s: 1e+300, want seconds in [0, 3600]"}},
		{"keepalive nan", "mqtt:\n  keepalive_s: .nan\n", []string{"mqtt.keepalive_s: NaN"}},
		{"display max_fps nan", "display:\n  max_fps: .nan\n", []string{"display.max_fps: NaN"}},
		{"all at once", "tracker:\n  enter: .nan\n  min_person_score: 7\ncues:\n  min_score: 9\n",
			[]string{"tracker.enter: NaN", "tracker.min_person_score: 7", "cues.min_score: 9"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loadConfig(t, "--config", writeConfig(t, tc.yaml), "--state-dir", t.TempDir())
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, err)
				}
			}
		})
	}
	// The defaults and sane values still load.
	ok := "tracker:\n  enter: 0.7\n  exit: 0.3\n  min_person_score: 0.2\ncues:\n  min_score: 0.5\n"
	if err := loadConfig(t, "--config", writeConfig(t, ok), "--state-dir", t.TempDir()); err != nil {
		t.Fatal(err)
	}
}

// TestHugeConfigIsRefusedBeforeDecoding: 455k hold_targets kept yaml.v3
// busy for over 10 minutes (quadratic map decoding). The file is refused
// by its size, and with the size limit raised, by its entry count before
// any map is decoded.
func TestHugeConfigIsRefusedBeforeDecoding(t *testing.T) {
	var b strings.Builder
	b.WriteString("tracker:\n  hold_targets:\n")
	for i := range 455_000 {
		fmt.Fprintf(&b, "    p%d: 30\n", i)
	}
	path := writeConfig(t, b.String())
	t.Logf("config: %d bytes", b.Len())
	start := time.Now()
	err := loadConfig(t, "--config", path, "--state-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "over the 1 MiB limit for configuration files") {
		t.Fatalf("err %v, want the size limit", err)
	}
	sized := time.Since(start)
	start = time.Now()
	err = loadConfig(t, "--config", path, "--max-config-kib", "16384", "--state-dir", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "tracker.hold_targets (line 3): 455000 entries, the limit is 1000") {
		t.Fatalf("err %v, want the entry limit", err)
	}
	t.Logf("refused by size in %v, by entry count (16 MiB allowed) in %v", sized, time.Since(start))
}

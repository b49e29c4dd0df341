package systemd

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const (
	unitFile    = "yogamirrord.service"
	maxExposure = 2.5 // systemd-analyze security: 0 (locked down) … 10 (unprotected)
)

// analyze returns systemd-analyze's path. It is part of the systemd package
// (cross/setup.sh installs it); without it only -short runs pass.
func analyze(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if testing.Short() {
			t.Skip("systemd-analyze missing (apt-get install systemd)")
		}
		t.Fatal("systemd-analyze missing: apt-get install systemd (Debian 12 has 252; --offline needs ≥ 252)")
	}
	return p
}

func TestUnitSecurityExposure(t *testing.T) {
	unit, err := filepath.Abs(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(analyze(t), "security", "--offline=true", "--no-pager", unit)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("systemd-analyze security: %v\n%s%s", err, out, stderr.Bytes())
	}
	if stderr.Len() > 0 {
		t.Errorf("systemd-analyze complained about the unit:\n%s", stderr.Bytes())
	}
	m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no exposure level in:\n%s", out)
	}
	level, _ := strconv.ParseFloat(string(m[1]), 64)
	t.Logf("exposure %.1f", level)
	if level > maxExposure {
		t.Errorf("exposure %.1f, want ≤ %.1f; open items:\n%s", level, maxExposure, openItems(out))
	}
}

// openItems keeps the ✗ lines of a security report.
func openItems(report []byte) string {
	var b strings.Builder
	for _, l := range strings.Split(string(report), "\n") {
		if strings.HasPrefix(l, "✗") {
			b.WriteString(strings.Join(strings.Fields(l), " ") + "\n")
		}
	}
	return b.String()
}

// TestUnitVerify runs systemd-analyze verify (offline: no running systemd
// needed) on a copy whose ExecStart points at an executable that exists here.
func TestUnitVerify(t *testing.T) {
	sa := analyze(t)
	data, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "yogamirrord")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(dir, unitFile)
	if err := os.WriteFile(unit, bytes.ReplaceAll(data, []byte("/usr/bin/yogamirrord"), []byte(bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(sa, "verify", unit).CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// directives reads a unit file into key → values (in order).
func directives(t *testing.T, path string) map[string][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := map[string][]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, ok := strings.Cut(s.Text(), "=")
		if ok && !strings.HasPrefix(k, "#") && !strings.HasPrefix(k, "[") {
			d[strings.TrimSpace(k)] = append(d[strings.TrimSpace(k)], strings.TrimSpace(v))
		}
	}
	return d
}

func TestUnitDirectives(t *testing.T) {
	d := directives(t, unitFile)
	for _, tc := range []struct{ name, key, want string }{
		{"notify readiness", "Type", "notify"},
		{"only the main process notifies", "NotifyAccess", "main"},
		{"watchdog on", "WatchdogSec", "30s"},
		{"restarted on failure", "Restart", "on-failure"},
		{"reload is SIGHUP", "ExecReload", "/bin/kill -HUP $MAINPID"},
		{"static user", "User", "yogamirror"},
		{"state directory", "StateDirectory", "yogamirror"},
		{"configuration directory", "ConfigurationDirectory", "yogamirror"},
		{"config from /etc", "ExecStart", "/usr/bin/yogamirrord --config ${CONFIGURATION_DIRECTORY}/config.yaml"},
		{"devices closed", "DevicePolicy", "closed"},
		{"no W+X memory", "MemoryDenyWriteExecute", "yes"},
		{"no privileges", "NoNewPrivileges", "yes"},
		{"read-only system", "ProtectSystem", "strict"},
		{"private umask", "UMask", "0077"},
		{"native syscalls only", "SystemCallArchitectures", "native"},
		{"mqtt password credential", "LoadCredential", "yogamirror-mqtt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := d[tc.key]; !slices.Contains(got, tc.want) {
				t.Errorf("%s=%q, want %q", tc.key, got, tc.want)
			}
		})
	}
	for _, dev := range []string{"char-video4linux", "char-media", "char-dma_heap", "char-spi", "char-gpiochip", "char-fb", "char-alsa", "char-apex", "char-usb_device"} {
		if !slices.Contains(d["DeviceAllow"], dev+" rw") {
			t.Errorf("DeviceAllow lacks %s rw", dev)
		}
	}
	if len(d["TimeoutStartSec"]) == 0 || d["TimeoutStartSec"][0] == "infinity" {
		t.Errorf("TimeoutStartSec=%q: want a finite allowance for the first model download", d["TimeoutStartSec"])
	}
}

// TestSysusersCreatesUnitGroups: systemd fails a unit whose User= or
// SupplementaryGroups= name a missing account (status 216/GROUP), so
// sysusers.conf must create every one of them.
func TestSysusersCreatesUnitGroups(t *testing.T) {
	d := directives(t, unitFile)
	data, err := os.ReadFile("sysusers.conf")
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]bool{}
	for _, l := range strings.Split(string(data), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && (f[0] == "u" || f[0] == "g") {
			made[f[1]] = true
		}
	}
	want := append(strings.Fields(strings.Join(d["SupplementaryGroups"], " ")), d["User"]...)
	for _, g := range []string{"video", "render", "spi", "gpio", "audio"} {
		if !slices.Contains(want, g) {
			t.Errorf("SupplementaryGroups lacks %s", g)
		}
	}
	for _, g := range want {
		if !made[g] {
			t.Errorf("%s (in the unit) is not created by sysusers.conf", g)
		}
	}
}

package main

import (
	"context"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// load parses flags and the config file as the daemon does.
func load(t *testing.T, args ...string) (*Config, error) {
	t.Helper()
	f, err := parseFlags(append(args, "--state-dir", t.TempDir()), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	return f.load(context.Background())
}

var googleLabels = []string{"chair", "cobra", "dog", "tree", "warrior"}

// Bad routine files stop the daemon with every problem, each naming the
// file and line: an unknown pose (known only once the classifier is
// loaded), zero steps, a negative hold.
func TestBadRoutineFiles(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	testkit.WriteFile(t, cfg, []byte("device_id: m1\n"))
	routines := filepath.Join(dir, "routines")
	testkit.WriteFile(t, filepath.Join(routines, "a.yaml"), []byte("name: Lotus flow\nsteps:\n  - pose: tree\n    hold_s: 20\n  - pose: lotus\n    hold_s: 20\n"))
	testkit.WriteFile(t, filepath.Join(routines, "b.yaml"), []byte("name: Empty\nsteps: []\n"))
	testkit.WriteFile(t, filepath.Join(routines, "c.yaml"), []byte("name: Backwards\nsteps:\n  - pose: chair\n    hold_s: -10\n"))
	c, err := load(t, "--config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.loadRoutines(googleLabels)
	for _, want := range []string{
		filepath.Join(routines, "a.yaml") + `:5: step 2: unknown pose "lotus"`,
		filepath.Join(routines, "b.yaml") + ":2: steps: want a list of at least one step",
		filepath.Join(routines, "c.yaml") + ":4: hold_s: -10, want more than 0",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("loadRoutines: %v\nwant it to say %q", err, want)
		}
	}
}

// Routines in the config file are checked like the config: with the
// config's name and line, alongside its other problems.
func TestRoutinesInConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	testkit.WriteFile(t, cfg, []byte("fps: -1\nroutines:\n  start_hold_s: 99\n  list:\n    - name: X\n      steps:\n        - pose: tree\n          hold: 3\n"))
	_, err := load(t, "--config", cfg)
	for _, want := range []string{"fps: -1", "routines.start_hold_s: 99", cfg + `:8: unknown key "hold" in a step`, cfg + ":7: a step needs hold_s"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("load: %v\nwant %q", err, want)
		}
	}
}

func TestRoutineSelectionAndStart(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.yaml")
	testkit.WriteFile(t, cfg, []byte("routines:\n  default: Second\n  list:\n    - name: First\n      steps: [{pose: tree, hold_s: 5}]\n"+
		"    - name: Second\n      steps: [{pose: chair, hold_s: 5}]\n"))
	file := filepath.Join(dir, "elsewhere.yaml")
	testkit.WriteFile(t, file, []byte("name: From a file\nsteps: [{pose: cobra, hold_s: 5}]\n"))
	for _, tc := range []struct {
		args            []string
		selected, start string
		err             string
	}{
		{nil, "Second", "", ""},
		{[]string{"--routine", "First"}, "First", "First", ""},
		{[]string{"--routine", file}, "From a file", "From a file", ""},
		{[]string{"--routine", "Nope"}, "", "", "--routine Nope: not a routine's name"},
	} {
		c, err := load(t, append([]string{"--config", cfg}, tc.args...)...)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := c.loadRoutines(googleLabels)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%v: %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", tc.args, err)
		}
		start := ""
		if rs.start != nil {
			start = rs.start.Name
		}
		if rs.selected.Name != tc.selected || start != tc.start {
			t.Errorf("%v: selected %q, start %q; want %q, %q", tc.args, rs.selected.Name, start, tc.selected, tc.start)
		}
	}
}

func TestStartPoseMustBeKnown(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "config.yaml")
	testkit.WriteFile(t, cfg, []byte("routines:\n  start_pose: mountain\n  list:\n    - name: A\n      steps: [{pose: tree, hold_s: 5}]\n"))
	c, err := load(t, "--config", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.loadRoutines(googleLabels); err == nil || !strings.Contains(err.Error(), `routines.start_pose: "mountain" is not a pose`) {
		t.Errorf("loadRoutines: %v", err)
	}
	// Without routines the gesture has nothing to start: no complaint.
	c.routines = nil
	if _, err := c.loadRoutines(googleLabels); err != nil {
		t.Errorf("no routines: %v", err)
	}
}

// The example routines shipped in systemd/routines load and use only poses
// every classifier yogamirror ships or trains knows.
func TestExampleRoutines(t *testing.T) {
	c, err := load(t, "--config", "../../systemd/config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c.Routines.Dir = "../../systemd/routines"
	rs, err := c.loadRoutines(googleLabels)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs.list) != 2 {
		t.Fatalf("%d example routines, want 2", len(rs.list))
	}
}

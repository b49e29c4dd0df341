package main

import (
	"os"
	"path/filepath"
	"testing"
)

// A source checkout's binary finds build/models beside its bin/, wherever
// it is run from; an installed one (no build/ beside it) uses the daemon's.
func TestModelDirFor(t *testing.T) {
	repo := t.TempDir()
	for _, d := range []string{"bin", "build"} {
		if err := os.Mkdir(filepath.Join(repo, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	exe := filepath.Join(repo, "bin", "yogamirror")
	if err := os.WriteFile(exe, nil, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "yogamirror")
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	installed := filepath.Join(t.TempDir(), "usr", "bin", "yogamirror")
	for _, tc := range []struct{ env, exe, want string }{
		{"/models", exe, "/models"},
		{"", exe, filepath.Join(repo, "build", "models")},
		{"", link, filepath.Join(repo, "build", "models")},
		{"", installed, "/var/lib/yogamirror/models"},
		{"", "", "/var/lib/yogamirror/models"},
	} {
		if got := modelDirFor(tc.env, tc.exe); got != tc.want {
			t.Errorf("modelDirFor(%q, %q) = %q, want %q", tc.env, tc.exe, got, tc.want)
		}
	}
}

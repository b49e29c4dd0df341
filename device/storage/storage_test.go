package storage

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileReplacesAndLeavesNothingBehind(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "seq")
	for _, content := range []string{"1\n", "22\n"} {
		if err := WriteFile(path, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only seq", len(entries))
	}
}

func TestFailedWriteKeepsTheOldContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "model")
	if err := WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("encoder failed")
	err := WriteFrom(path, 0o644, func(w io.Writer) error {
		w.Write([]byte("half of the new"))
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want the encoder's", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q after a failed write, want the old one", got)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("a failed write left %d files, want 1", len(entries))
	}
}

func TestPendingStreamsAndCommitsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.jpg")
	p, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Abort()
	if !IsTemp(p.File().Name()) {
		t.Errorf("IsTemp(%q) = false for Create's own temporary file", p.File().Name())
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("final name exists before Commit: %v", err)
	}
	io.WriteString(p, "jpeg")
	if err := p.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := p.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	if got, _ := os.ReadFile(path); string(got) != "jpeg" {
		t.Errorf("content %q", got)
	}
}

func TestIsTemp(t *testing.T) {
	for name, want := range map[string]bool{
		".a.jpg.123.part": true, "dir/.seq.9.part": true,
		"a.part": false, ".part": false, "a.jpg": false,
	} {
		if got := IsTemp(name); got != want {
			t.Errorf("IsTemp(%q) = %v, want %v", name, got, want)
		}
	}
}

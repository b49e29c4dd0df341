package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

var testLimit = Limit{Max: 16, What: "test file", Raise: "--max-test"}

func TestReadFileRefusesWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "photo.jpg")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	zero := filepath.Join(dir, "model.tflite")
	if err := os.Symlink("/dev/zero", zero); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, path, want string }{
		{"fifo", fifo, "a FIFO"},
		{"symlink to /dev/zero", zero, "a character device"},
		{"/dev/zero", "/dev/zero", "a character device"},
		{"folder", dir, "a folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			done := make(chan error, 1)
			go func() { _, err := ReadFile(tc.path, testLimit); done <- err }()
			select {
			case err := <-done:
				if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
					t.Errorf("err %v, want ErrNotRegular naming %s and %q", err, tc.path, tc.want)
				}
			case <-time.After(30 * time.Second): // a blocked open never returns
				t.Fatal("ReadFile blocked")
			}
		})
	}
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	small, big := filepath.Join(dir, "small"), filepath.Join(dir, "big")
	os.WriteFile(small, []byte("exactly sixteen!"), 0o600)
	os.WriteFile(big, []byte("seventeen bytes!!"), 0o600)
	got, err := ReadFile(small, testLimit)
	if err != nil || string(got) != "exactly sixteen!" {
		t.Fatalf("ReadFile(small) = %q, %v", got, err)
	}
	_, err = ReadFile(big, testLimit)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err %v, want ErrTooLarge", err)
	}
	for _, want := range []string{big, "17 bytes", "16 bytes limit for test file", "raise it with --max-test"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if got, err := ReadFile(big, Limit{}); err != nil || len(got) != 17 {
		t.Errorf("no limit: %d bytes, %v", len(got), err)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), testLimit); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want ErrNotExist", err)
	}
}

// A file that grows after the size check is still cut at the limit.
func TestOpenStopsAGrowingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "growing.csv")
	os.WriteFile(path, []byte("0123456789"), 0o600)
	f, err := Open(path, testLimit)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := os.WriteFile(path, []byte(strings.Repeat("x", 4096)), 0o600); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 8192)
	total := 0
	for {
		n, err := f.Read(buf)
		total += n
		if err != nil {
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err %v after %d bytes, want ErrTooLarge", err, total)
			}
			break
		}
	}
	if int64(total) > testLimit.Max {
		t.Errorf("read %d bytes past a %d-byte limit", total, testLimit.Max)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{10: "10 bytes", 64 << 10: "64 KiB", 1536: "1.5 KiB",
		64 << 20: "64 MiB", 3 << 30: "3 GiB", 24<<30 + 1<<20: "24577 MiB"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

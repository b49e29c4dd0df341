package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// loadConfig runs the flags and config loader as run does, giving up
// (failing) if it blocks.
func loadConfig(t *testing.T, args ...string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		f, err := parseFlags(args, &bytes.Buffer{})
		if err == nil {
			_, err = f.load(context.Background())
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(time.Minute):
		t.Fatal("loading the configuration blocked")
		return nil
	}
}

// TestConfigFileReadsAreBounded: a FIFO or /dev/zero given as --config is
// refused without blocking or reading forever; an oversized file names the
// limit and the flag that raises it.
func TestConfigFileReadsAreBounded(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "config.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	os.WriteFile(big, []byte("device_id: a\n"+strings.Repeat("# padding\n", 200_000)), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		is   error
		want string
	}{
		{"fifo", []string{"--config", fifo}, storage.ErrNotRegular, "a FIFO"},
		{"dev zero", []string{"--config", "/dev/zero"}, storage.ErrNotRegular, "a character device"},
		{"over 1 MiB", []string{"--config", big}, storage.ErrTooLarge, "over the 1 MiB limit for configuration files; raise it with yogamirrord --max-config-kib"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := loadConfig(t, append(tc.args, "--state-dir", dir)...)
			if !errors.Is(err, tc.is) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err %v, want %v saying %q", err, tc.is, tc.want)
			}
		})
	}
	if err := loadConfig(t, "--config", big, "--max-config-kib", "4096", "--state-dir", dir); err != nil {
		t.Fatalf("with --max-config-kib 4096: %v", err)
	}
}

// Package eventlog is the device's local session log: every event, stamped,
// appended as one JSON line (the telemetry wire schema) and fsync'd before
// Publish returns, so a power cut loses at most the event being written.
package eventlog

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

// Log appends events to a JSON Lines file. Safe for concurrent use.
type Log struct {
	mu       sync.Mutex
	f        *os.File
	deviceID string
}

// Open opens (creating) the log for appending. A last line cut short by a
// crash is terminated, so it can't swallow the next event.
func Open(path, deviceID string) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	if err := terminate(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("eventlog: %s: %w", path, err)
	}
	return &Log{f: f, deviceID: deviceID}, nil
}

func terminate(f *os.File) error {
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, st.Size()-1); err != nil && err != io.EOF {
		return err
	}
	if last[0] == '\n' {
		return nil
	}
	_, err = f.Write([]byte("\n"))
	return err
}

// Publish appends one event and syncs it to disk.
func (l *Log) Publish(_ context.Context, e session.Event) error {
	line, err := telemetry.MarshalEvent(l.deviceID, e)
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.f.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	if err := l.f.Sync(); err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	return nil
}

// Close closes the file.
func (l *Log) Close() error { return l.f.Close() }

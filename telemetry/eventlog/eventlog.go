// Package eventlog is the device's local session log: every event, stamped,
// appended as one JSON line (the telemetry wire schema) and fsync'd before
// Publish returns, so a power cut loses at most the event being written.
// It is the source of truth the MQTT hand-off re-queues from (After) and
// the stamper resumes above (LastSeq).
//
// A line is either whole or not there: a last line cut short by a crash or
// a full disk is removed when the log is opened (Repaired says so), and a
// write that fails is cut back off the file at once, so the next event
// never lands glued to half of the previous one.
package eventlog

import (
	"bytes"
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
	path     string
	deviceID string
	size     int64 // the length of the whole lines written so far
	repaired string
	regular  bool // false for /dev/null or a pipe: no fsync, no cutting back
}

// Open opens (creating) the log for appending, after repairing a torn last
// line.
func Open(path, deviceID string) (*Log, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o640)
	if err != nil {
		return nil, fmt.Errorf("eventlog: %w", err)
	}
	l := &Log{f: f, path: path, deviceID: deviceID}
	if err := l.repair(); err != nil {
		f.Close()
		return nil, fmt.Errorf("eventlog: %s: %w", path, err)
	}
	return l, nil
}

// repair looks at what follows the last newline. A complete event (the
// newline alone was lost) gets its newline; anything else is the torn
// start of an event whose write never finished, and is cut off.
func (l *Log) repair() error {
	st, err := l.f.Stat()
	if err != nil {
		return err
	}
	if l.regular = st.Mode().IsRegular(); !l.regular {
		return nil // /dev/null, a pipe to another program: nothing to repair
	}
	size := st.Size()
	tail := make([]byte, min(size, block))
	if _, err := l.f.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return err
	}
	nl := bytes.LastIndexByte(tail, '\n')
	torn := tail[nl+1:]
	l.size = size
	switch {
	case len(torn) == 0:
		return nil
	case nl < 0 && size > block: // one line longer than a block: not ours to judge
		return l.terminate()
	}
	if _, err := telemetry.DecodeEvent(torn); err == nil {
		l.repaired = fmt.Sprintf("%s: the last event had no newline; added it", l.path)
		return l.terminate()
	}
	keep := size - int64(len(torn))
	if err := l.f.Truncate(keep); err != nil {
		return err
	}
	l.size = keep
	l.repaired = fmt.Sprintf("%s: removed a torn last line (%d bytes: a write cut short by a crash or a full disk)", l.path, len(torn))
	return l.f.Sync()
}

func (l *Log) terminate() error {
	n, err := l.f.Write([]byte("\n"))
	l.size += int64(n)
	if err != nil {
		return err
	}
	return l.f.Sync()
}

// Repaired describes what Open repaired, or "" when the log was whole.
func (l *Log) Repaired() string { return l.repaired }

// Publish appends one event and syncs it to disk. When the write or the
// sync fails (a full disk), what was written of the line is cut off again
// and the error returned: the event is not in the log.
func (l *Log) Publish(_ context.Context, e session.Event) error {
	line, err := telemetry.MarshalEvent(l.deviceID, e)
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, err = l.f.Write(append(line, '\n'))
	if err == nil && l.regular {
		err = l.f.Sync()
	}
	if err != nil && l.regular {
		if terr := l.f.Truncate(l.size); terr != nil {
			// Open repairs it next time; say so now.
			err = fmt.Errorf("%w (and cutting the partial line failed: %v)", err, terr)
		}
	}
	if err != nil {
		return fmt.Errorf("eventlog: %s: %w", l.path, err)
	}
	l.size += int64(len(line)) + 1
	return nil
}

// Close closes the file.
func (l *Log) Close() error { return l.f.Close() }

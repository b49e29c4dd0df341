package eventlog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/telemetry"
)

// block is how much of the log is read at a time from its end.
const block = 64 << 10

// After returns the logged events with a seq above seq, oldest first. It
// reads the log backwards in blocks and stops at the first event at or
// below seq, so a year-long log costs only its tail. Lines that do not
// parse (one cut short by a power cut) are skipped. A missing log is
// empty.
func After(path string, seq uint64) ([]telemetry.Event, error) {
	var out []telemetry.Event // newest first
	err := backwards(path, func(e telemetry.Event) bool {
		if e.Seq <= seq {
			return false
		}
		out = append(out, e)
		return true
	})
	slices.Reverse(out)
	return out, err
}

// LastSeq is the seq of the last event in the log (0 when it has none):
// what the stamper must stay above when its counter file is lost.
func LastSeq(path string) (uint64, error) {
	var last uint64
	err := backwards(path, func(e telemetry.Event) bool {
		last = e.Seq
		return false
	})
	return last, err
}

// backwards calls each for the log's events from the newest until it
// returns false.
func backwards(path string, each func(telemetry.Event) bool) error {
	f, err := storage.Open(path, storage.Limit{What: "event logs"})
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, storage.ErrNotRegular) {
		return nil // no log, or one that cannot be read back (--events /dev/null)
	}
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	defer f.Close()
	size, err := f.Size()
	if err != nil {
		return fmt.Errorf("eventlog: %w", err)
	}
	var carry []byte // the start of a line that began in an earlier block
	for end := size; end > 0; {
		start := max(0, end-block)
		buf := make([]byte, end-start, end-start+int64(len(carry)))
		if _, err := f.ReadAt(buf, start); err != nil {
			return fmt.Errorf("eventlog: %w", err)
		}
		lines := bytes.Split(append(buf, carry...), []byte{'\n'})
		carry, lines = lines[0], lines[1:]
		if start == 0 {
			lines, carry = append([][]byte{carry}, lines...), nil
		}
		for i := len(lines) - 1; i >= 0; i-- {
			e, err := telemetry.DecodeEvent(lines[i])
			if err != nil {
				continue
			}
			if !each(e) {
				return nil
			}
		}
		end = start
	}
	return nil
}

package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

// HandoffFile, in the state directory, holds the seq of the last event the
// MQTT outbox accepted.
const HandoffFile = "mqtt-handoff"

// Sink is what the hand-off feeds: the MQTT publisher's outbox.
type Sink interface {
	Publish(ctx context.Context, e session.Event) error
}

// handoff is the MQTT event sink made crash-proof against the local log.
// The pipeline writes each event to the log, then to the outbox: a SIGKILL
// or power cut between the two fsyncs would leave an event in the log that
// MQTT never gets. So after the outbox accepts an event, its seq is recorded
// in HandoffFile, and at start-up the logged events above that mark are
// queued again. A crash after the outbox but before the mark costs a
// duplicate (consumers de-duplicate by event_id), never a loss.
type handoff struct {
	sink Sink // the MQTT publisher
	path string
	// stuck is set once the outbox refused an event: the mark stays below
	// it, so the next start re-queues it with everything after it.
	stuck bool
}

// newHandoff re-queues the logged events the outbox may have missed, then
// returns the sink. Without a mark (the first start with MQTT) nothing
// older is sent: the mark starts at the log's end.
func newHandoff(ctx context.Context, sink Sink, markPath, logPath string) (*handoff, int, error) {
	h := &handoff{sink: sink, path: markPath}
	mark, ok, err := readMark(markPath)
	if err != nil {
		return nil, 0, err
	}
	missed, err := loggedAfter(logPath, mark)
	if err != nil {
		return nil, 0, err
	}
	if !ok {
		last := uint64(0)
		if len(missed) > 0 {
			last = missed[len(missed)-1].Seq
		}
		return h, 0, h.mark(last)
	}
	for _, w := range missed {
		if err := h.Publish(ctx, w.SessionEvent()); err != nil {
			return nil, 0, err
		}
	}
	return h, len(missed), nil
}

// Publish hands e to the outbox, then records its seq.
func (h *handoff) Publish(ctx context.Context, e session.Event) error {
	if err := h.sink.Publish(ctx, e); err != nil {
		h.stuck = true
		return err
	}
	if h.stuck {
		return nil
	}
	return h.mark(e.Seq)
}

func (h *handoff) mark(seq uint64) error {
	if err := storage.WriteFile(h.path, []byte(strconv.FormatUint(seq, 10)+"\n"), 0o640); err != nil {
		return fmt.Errorf("delivery: hand-off mark: %w", err)
	}
	return nil
}

func readMark(path string) (seq uint64, ok bool, err error) {
	b, err := storage.ReadFile(path, storage.StateLimit("the hand-off mark"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, false, nil
	}
	if err == nil {
		seq, err = strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	}
	if err != nil {
		return 0, false, fmt.Errorf("delivery: hand-off mark: %s: %w (delete it to skip re-sending)", path, err)
	}
	return seq, true, nil
}

// loggedAfter returns the logged events with a seq above mark, oldest
// first. It reads the log backwards in blocks and stops at the first event
// at or below mark, so a year-long log costs only its tail. Lines that do
// not parse (one cut short by a power cut) are skipped.
func loggedAfter(path string, mark uint64) ([]telemetry.Event, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("delivery: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("delivery: %w", err)
	}
	const block = 64 << 10
	var out []telemetry.Event // newest first
	var carry []byte          // the start of a line that began in an earlier block
	for end := st.Size(); end > 0; {
		start := max(0, end-block)
		buf := make([]byte, end-start, end-start+int64(len(carry)))
		if _, err := f.ReadAt(buf, start); err != nil {
			return nil, fmt.Errorf("delivery: %w", err)
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
			if e.Seq <= mark {
				slices.Reverse(out)
				return out, nil
			}
			out = append(out, e)
		}
		end = start
	}
	slices.Reverse(out)
	return out, nil
}

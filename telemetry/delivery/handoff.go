package delivery

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry/eventlog"
)

// HandoffFile, in the state directory, holds the hand-off mark.
const HandoffFile = "mqtt-handoff"

// Sink is what the hand-off feeds: the MQTT publisher's outbox.
type Sink interface {
	// Enqueue stores an event durably and returns its outbox entry ID.
	Enqueue(ctx context.Context, e session.Event) (uint64, error)
	// Outbox is the number of queued entries and the last ID ever assigned.
	Outbox() (queued int, lastID uint64)
	// QueuedIDs are the event_ids waiting in the outbox.
	QueuedIDs() (map[string]bool, error)
}

// Mark is the hand-off mark: where the log and the outbox stand.
type Mark struct {
	Accepted uint64 // seq of the last event the outbox accepted
	ID       uint64 // its outbox entry ID (0: unknown, a mark from an older version)
	// Delivered: every event up to this seq had left the outbox (PUBACK'd
	// or dropped by its overflow policy) when the mark was written. It
	// trails the broker a little; re-sending from it costs duplicates only.
	Delivered uint64
}

// handoff is the MQTT event sink made crash- and damage-proof against the
// local log, which is written (fsync'd) first and is the source of truth.
//
// After the outbox accepts an event its seq and entry ID are recorded in
// HandoffFile. At start-up:
//   - outbox intact (its last entry ID reaches the mark's): the logged
//     events above Accepted are queued again — a SIGKILL or power cut
//     between the log's fsync and the outbox's lost them;
//   - outbox lost appends (deleted, truncated, moved aside as corrupt, or
//     silently rolled back a commit by a damaged meta page: its last ID is
//     below the mark's): every logged event above Delivered that the
//     outbox does not hold is queued again, in order, and the daemon logs it.
//
// Either way the cost is at most a duplicate (consumers de-duplicate by
// event_id), never a loss.
type handoff struct {
	sink Sink
	path string
	m    Mark
	// stuck is set once the outbox refused an event: the mark stays below
	// it, so the next start re-queues it with everything after it.
	stuck bool
}

// recovery says what newHandoff did.
type recovery struct {
	requeued int
	lost     bool   // the outbox had lost appends
	from     uint64 // seq the log was replayed from
}

// newHandoff re-queues the logged events the outbox may have missed, then
// returns the sink. Without a mark (the first start with MQTT) nothing
// older is sent: the mark starts at the log's end.
func newHandoff(ctx context.Context, sink Sink, markPath, logPath string) (*handoff, recovery, error) {
	h := &handoff{sink: sink, path: markPath}
	m, ok, err := ReadMark(markPath)
	if err != nil {
		return nil, recovery{}, err
	}
	queued, lastID := sink.Outbox()
	if !ok {
		last, err := eventlog.LastSeq(logPath)
		if err != nil {
			return nil, recovery{}, err
		}
		h.m = Mark{Accepted: last, ID: lastID, Delivered: last}
		return h, recovery{}, h.write()
	}
	h.m = m
	r := recovery{lost: m.ID > 0 && lastID < m.ID, from: m.Accepted}
	have := map[string]bool{}
	if r.lost {
		// What the outbox accepted since Delivered may be gone: accept it
		// again from there.
		r.from = m.Delivered
		h.m.Accepted, h.m.ID = m.Delivered, lastID
		if have, err = sink.QueuedIDs(); err != nil {
			return nil, recovery{}, err
		}
	}
	missed, err := eventlog.After(logPath, r.from)
	if err != nil {
		return nil, recovery{}, err
	}
	if queued == 0 {
		h.m.Delivered = h.m.Accepted
	}
	for _, w := range missed {
		if have[w.EventID] {
			continue
		}
		if err := h.Publish(ctx, w.SessionEvent()); err != nil {
			return nil, recovery{}, err
		}
		r.requeued++
	}
	return h, r, h.write()
}

// Publish hands e to the outbox, then records its seq and entry ID. An
// outbox found empty first means everything accepted before has left it.
func (h *handoff) Publish(ctx context.Context, e session.Event) error {
	if queued, _ := h.sink.Outbox(); queued == 0 && !h.stuck {
		h.m.Delivered = h.m.Accepted
	}
	id, err := h.sink.Enqueue(ctx, e)
	if err != nil {
		h.stuck = true
		return err
	}
	if h.stuck {
		return nil
	}
	h.m.Accepted, h.m.ID = e.Seq, id
	return h.write()
}

// closed records, after the publisher has stopped, that an empty outbox
// delivered everything accepted.
func (h *handoff) closed(queued int) error {
	if queued > 0 || h.stuck || h.m.Delivered == h.m.Accepted {
		return nil
	}
	h.m.Delivered = h.m.Accepted
	return h.write()
}

func (h *handoff) write() error {
	line := fmt.Sprintf("%d %d %d\n", h.m.Accepted, h.m.ID, h.m.Delivered)
	if err := storage.WriteFile(h.path, []byte(line), 0o640); err != nil {
		return fmt.Errorf("delivery: hand-off mark: %w", err)
	}
	return nil
}

// ReadMark reads a hand-off mark file: "ACCEPTED ID DELIVERED", or the
// older single "ACCEPTED". ok is false when there is none.
func ReadMark(path string) (m Mark, ok bool, err error) {
	b, err := storage.ReadFile(path, storage.StateLimit("the hand-off mark"))
	if errors.Is(err, fs.ErrNotExist) {
		return m, false, nil
	}
	if err == nil {
		err = m.parse(strings.Fields(string(b)))
	}
	if err != nil {
		return m, false, fmt.Errorf("delivery: hand-off mark: %s: %w (delete it to skip re-sending)", path, err)
	}
	return m, true, nil
}

func (m *Mark) parse(f []string) error {
	if len(f) != 1 && len(f) != 3 {
		return fmt.Errorf("want 1 or 3 numbers, got %d fields", len(f))
	}
	var v [3]uint64
	for i, s := range f {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return err
		}
		v[i] = n
	}
	if len(f) == 1 {
		v[2] = v[0]
	}
	*m = Mark{Accepted: v[0], ID: v[1], Delivered: v[2]}
	return nil
}

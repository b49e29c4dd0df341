package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

// fakeOutbox is the MQTT publisher's place in the hand-off: a queue with
// entry IDs, whose content a test can lose.
type fakeOutbox struct {
	got    []session.Event // everything ever enqueued
	queued []session.Event
	lastID uint64
	fail   error
}

func (s *fakeOutbox) Enqueue(_ context.Context, e session.Event) (uint64, error) {
	if s.fail != nil {
		return 0, s.fail
	}
	s.got = append(s.got, e)
	s.queued = append(s.queued, e)
	s.lastID++
	return s.lastID, nil
}

func (s *fakeOutbox) Outbox() (int, uint64) { return len(s.queued), s.lastID }

func (s *fakeOutbox) QueuedIDs() (map[string]bool, error) {
	ids := map[string]bool{}
	for _, e := range s.queued {
		ids[e.ID] = true
	}
	return ids, nil
}

func testEvent(seq uint64) session.Event {
	t0 := time.Date(2026, 3, 14, 6, 30, 0, 0, time.UTC)
	e := session.Event{ID: fmt.Sprintf("%032x", seq), Seq: seq, Time: t0.Add(time.Duration(seq) * time.Second),
		Session: "s1", Type: session.HoldCompleted, Pose: "tree", HeldS: 30.25, TargetS: 30}
	if seq%5 == 0 {
		e = session.Event{ID: e.ID, Seq: seq, Time: e.Time, Session: "s1", Type: session.SessionEnded,
			Summary: &session.Summary{Start: t0, End: e.Time, DurationS: 600.5, Holds: 1, HeldS: 43.7,
				Poses: []session.PoseHold{{Pose: "tree", HeldS: 31.2, TargetS: 30, Completed: true}}}}
	}
	return e
}

// writeLog writes events with the given seqs as the event log does, plus
// tail verbatim (e.g. a line cut short).
func writeLog(t *testing.T, path string, seqs []uint64, tail string) {
	t.Helper()
	var b bytes.Buffer
	for _, s := range seqs {
		line, err := telemetry.MarshalEvent("mirror-1", testEvent(s))
		if err != nil {
			t.Fatal(err)
		}
		b.Write(append(line, '\n'))
	}
	b.WriteString(tail)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func seqRange(from, to uint64) []uint64 {
	var out []uint64
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

func TestHandoffRequeues(t *testing.T) {
	for _, tc := range []struct {
		name     string
		logged   []uint64 // nil: no log file
		tail     string
		mark     string // "": no mark file
		queued   []uint64
		lastID   uint64 // the outbox's last entry ID
		wantSent []uint64
		wantMark string
		wantLost bool
	}{
		{name: "first start keeps history back", logged: seqRange(1, 3), wantMark: "3 0 3\n"},
		{name: "first start without a log", wantMark: "0 0 0\n"},
		{name: "nothing missed", logged: seqRange(1, 3), mark: "3 9 3", lastID: 9, wantMark: "3 9 3\n"},
		{name: "crash between log and outbox", logged: []uint64{1, 2, 1003}, mark: "2 5 2", lastID: 5,
			wantSent: []uint64{1003}, wantMark: "1003 6 2\n"},
		{name: "line cut short by a power cut", logged: seqRange(1, 4), tail: `{"schema":1,"event_id":"ab` + "\n",
			mark: "2 2 2", lastID: 2, wantSent: []uint64{3, 4}, wantMark: "4 4 2\n"},
		{name: "mark above the log (a new log file)", logged: seqRange(1, 3), mark: "9 9 9", lastID: 9, wantMark: "9 9 9\n"},
		{name: "an older single-number mark", logged: seqRange(1, 4), mark: "3", wantSent: []uint64{4}, wantMark: "4 1 3\n"},
		// The outbox lost appends: everything after the delivered mark it
		// does not hold is queued again, in order.
		{name: "outbox deleted or truncated", logged: seqRange(1, 10), mark: "10 7 4", lastID: 0,
			wantSent: seqRange(5, 10), wantMark: "10 6 4\n", wantLost: true},
		{name: "outbox rolled back one commit", logged: seqRange(1, 10), mark: "10 7 4", queued: seqRange(5, 9), lastID: 6,
			wantSent: []uint64{10}, wantMark: "10 7 4\n", wantLost: true},
		{name: "outbox lost, nothing was pending", logged: seqRange(1, 10), mark: "10 7 10", lastID: 0,
			wantMark: "10 0 10\n", wantLost: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			logPath, markPath := filepath.Join(dir, "events.jsonl"), filepath.Join(dir, HandoffFile)
			if tc.logged != nil {
				writeLog(t, logPath, tc.logged, tc.tail)
			}
			if tc.mark != "" {
				if err := os.WriteFile(markPath, []byte(tc.mark), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			sink := &fakeOutbox{lastID: tc.lastID}
			for _, s := range tc.queued {
				sink.queued = append(sink.queued, testEvent(s))
			}
			_, r, err := newHandoff(context.Background(), sink, markPath, logPath)
			if err != nil {
				t.Fatal(err)
			}
			var sent []uint64
			for _, e := range sink.got {
				sent = append(sent, e.Seq)
			}
			if !slices.Equal(sent, tc.wantSent) || r.requeued != len(tc.wantSent) || r.lost != tc.wantLost {
				t.Errorf("re-queued %v (n=%d, lost %v), want %v (lost %v)", sent, r.requeued, r.lost, tc.wantSent, tc.wantLost)
			}
			if got, _ := os.ReadFile(markPath); string(got) != tc.wantMark {
				t.Errorf("mark %q, want %q", got, tc.wantMark)
			}
		})
	}
}

// The delivered mark follows the outbox: an empty outbox at the next
// Publish (or at close) means everything accepted before has left it.
func TestHandoffDeliveredMark(t *testing.T) {
	dir := t.TempDir()
	markPath := filepath.Join(dir, HandoffFile)
	sink := &fakeOutbox{}
	h, _, err := newHandoff(context.Background(), sink, markPath, filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	mark := func() string { b, _ := os.ReadFile(markPath); return string(b) }
	h.Publish(context.Background(), testEvent(1))
	h.Publish(context.Background(), testEvent(2))
	if got := mark(); got != "2 2 0\n" {
		t.Fatalf("broker down: mark %q, want 2 2 0", got)
	}
	sink.queued = nil // the broker acknowledged both
	h.Publish(context.Background(), testEvent(3))
	if got := mark(); got != "3 3 2\n" {
		t.Fatalf("after delivery: mark %q, want 3 3 2", got)
	}
	sink.queued = nil
	if err := h.closed(0); err != nil || mark() != "3 3 3\n" {
		t.Fatalf("closed with an empty outbox: mark %q, %v; want 3 3 3", mark(), err)
	}
}

func TestHandoffMarksOnlyAcceptedEvents(t *testing.T) {
	dir := t.TempDir()
	markPath := filepath.Join(dir, HandoffFile)
	sink := &fakeOutbox{}
	h, _, err := newHandoff(context.Background(), sink, markPath, filepath.Join(dir, "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Publish(context.Background(), testEvent(7)); err != nil {
		t.Fatal(err)
	}
	sink.fail = errors.New("disk full")
	if err := h.Publish(context.Background(), testEvent(8)); !errors.Is(err, sink.fail) {
		t.Fatalf("err %v, want the sink's", err)
	}
	if got, _ := os.ReadFile(markPath); string(got) != "7 1 0\n" {
		t.Errorf("mark %q after a refused event, want 7 1 0", got)
	}
}

func TestHandoffBadMark(t *testing.T) {
	dir := t.TempDir()
	markPath := filepath.Join(dir, HandoffFile)
	for _, bad := range []string{"seven", "1 2", "1 2 x"} {
		if err := os.WriteFile(markPath, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, _, err := newHandoff(context.Background(), &fakeOutbox{}, markPath, filepath.Join(dir, "events.jsonl")); err == nil {
			t.Errorf("a corrupt mark %q was accepted", bad)
		}
	}
}

// A re-queued event must be the logged one: same payload on the wire.
func TestHandoffRequeuesTheLoggedPayload(t *testing.T) {
	for _, seq := range []uint64{4, 5} { // a pose event, a session_ended
		want, err := telemetry.MarshalEvent("mirror-1", testEvent(seq))
		if err != nil {
			t.Fatal(err)
		}
		w, err := telemetry.DecodeEvent(want)
		if err != nil {
			t.Fatal(err)
		}
		got, err := telemetry.MarshalEvent("mirror-1", w.SessionEvent())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("seq %d:\n got %s\nwant %s", seq, got, want)
		}
	}
}

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

// recordingSink is the MQTT publisher's place in the hand-off.
type recordingSink struct {
	got  []session.Event
	fail error
}

func (s *recordingSink) Publish(_ context.Context, e session.Event) error {
	if s.fail != nil {
		return s.fail
	}
	s.got = append(s.got, e)
	return nil
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
		wantSent []uint64
		wantMark string
	}{
		{name: "first start keeps history back", logged: seqRange(1, 3), wantMark: "3\n"},
		{name: "first start without a log", wantMark: "0\n"},
		{name: "nothing missed", logged: seqRange(1, 3), mark: "3\n", wantMark: "3\n"},
		{name: "crash between log and outbox", logged: []uint64{1, 2, 1003}, mark: "2", wantSent: []uint64{1003}, wantMark: "1003\n"},
		{name: "line cut short by a power cut", logged: seqRange(1, 4), tail: `{"schema":1,"event_id":"ab` + "\n", mark: "2", wantSent: []uint64{3, 4}, wantMark: "4\n"},
		{name: "mark above the log (a new log file)", logged: seqRange(1, 3), mark: "9", wantMark: "9"},
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
			sink := &recordingSink{}
			_, n, err := newHandoff(context.Background(), sink, markPath, logPath)
			if err != nil {
				t.Fatal(err)
			}
			var sent []uint64
			for _, e := range sink.got {
				sent = append(sent, e.Seq)
			}
			if !slices.Equal(sent, tc.wantSent) || n != len(tc.wantSent) {
				t.Errorf("re-queued %v (n=%d), want %v", sent, n, tc.wantSent)
			}
			if got, _ := os.ReadFile(markPath); string(got) != tc.wantMark {
				t.Errorf("mark %q, want %q", got, tc.wantMark)
			}
		})
	}
}

// loggedAfter reads the log backwards in 64 KiB blocks: lines cut by a
// block boundary must come out whole, in order.
func TestLoggedAfterAcrossBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	writeLog(t, path, seqRange(1, 2000), "") // about 10 blocks
	for _, mark := range []uint64{0, 1, 700, 1500, 1999, 2000} {
		got, err := loggedAfter(path, mark)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []uint64
		for _, e := range got {
			seqs = append(seqs, e.Seq)
		}
		if want := seqRange(mark+1, 2000); !slices.Equal(seqs, want) {
			t.Errorf("after %d: got %d events (%v…), want %d", mark, len(seqs), seqs[:min(3, len(seqs))], len(want))
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

func TestHandoffMarksOnlyAcceptedEvents(t *testing.T) {
	dir := t.TempDir()
	markPath := filepath.Join(dir, HandoffFile)
	sink := &recordingSink{}
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
	if got, _ := os.ReadFile(markPath); string(got) != "7\n" {
		t.Errorf("mark %q after a refused event, want 7", got)
	}
}

func TestHandoffBadMark(t *testing.T) {
	dir := t.TempDir()
	markPath := filepath.Join(dir, HandoffFile)
	if err := os.WriteFile(markPath, []byte("seven"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := newHandoff(context.Background(), &recordingSink{}, markPath, filepath.Join(dir, "events.jsonl")); err == nil {
		t.Fatal("a corrupt mark was accepted")
	}
}

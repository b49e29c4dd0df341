package telemetry

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/inference/session"
)

var hexID = regexp.MustCompile(`^[0-9a-f]{32}$`)

func stampN(t *testing.T, s *Stamper, n int) []session.Event {
	t.Helper()
	var out []session.Event
	for i := 0; i < n; i++ {
		e, err := s.Stamp(session.Event{Type: session.PoseStarted})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func TestStamperAcrossRestartsAndCrashes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "event-seq")
	var last uint64
	ids := map[string]bool{}
	check := func(events []session.Event) {
		t.Helper()
		for _, e := range events {
			if e.Seq <= last {
				t.Fatalf("seq %d after %d: not strictly increasing", e.Seq, last)
			}
			if !hexID.MatchString(e.ID) || ids[e.ID] {
				t.Fatalf("event id %q is malformed or repeated", e.ID)
			}
			last, ids[e.ID] = e.Seq, true
		}
	}
	// "crash": the Stamper is dropped without Close, mid-block and at a
	// block boundary; then a clean Close; each restart resumes above.
	for i, n := range []int{3, 10, 7, 5} {
		s, err := NewStamper(StamperOpts{Path: path, Reserve: 5})
		if err != nil {
			t.Fatal(err)
		}
		check(stampN(t, s, n))
		if i == 2 {
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			before := last
			s2, err := NewStamper(StamperOpts{Path: path, Reserve: 5})
			if err != nil {
				t.Fatal(err)
			}
			next := stampN(t, s2, 1)
			check(next)
			if next[0].Seq != before+1 {
				t.Errorf("after a clean Close seq = %d, want %d (no gap)", next[0].Seq, before+1)
			}
		}
	}
	if len(ids) != 3+10+7+1+5 {
		t.Fatalf("%d events stamped, want 26", len(ids))
	}
}

func TestStamperKeepsExistingIdentity(t *testing.T) {
	s, err := NewStamper(StamperOpts{Path: filepath.Join(t.TempDir(), "seq")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := session.Event{ID: "given", Seq: 7}
	got, err := s.Stamp(e)
	if err != nil || got != e {
		t.Fatalf("Stamp(stamped) = %+v, %v; want unchanged", got, err)
	}
}

func TestStamperCorruptCounter(t *testing.T) {
	tests := []struct{ name, content string }{
		{name: "garbage", content: "not a number\n"},
		{name: "zero", content: "0\n"},
		{name: "empty", content: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "seq")
			if err := os.WriteFile(path, []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := NewStamper(StamperOpts{Path: path})
			if err == nil || !strings.Contains(err.Error(), "corrupt") {
				t.Fatalf("err = %v, want a corrupt-counter error", err)
			}
		})
	}
}

// TestStamperFloor: with the counter file deleted, corrupt or behind (an
// old backup), seq resumes above what the log and the hand-off mark show
// instead of restarting at 1, and Notice says so.
func TestStamperFloor(t *testing.T) {
	for _, tc := range []struct {
		name, content string // "-": no file
		floor, want   uint64
		notice        string
	}{
		{"new device", "-", 1, 1, ""},
		{"deleted", "-", 1043, 1043, "is missing; resuming at seq 1043"},
		{"corrupt", "junk\n", 1043, 1043, "is corrupt"},
		{"behind", "7\n", 1043, 1043, "says seq 7"},
		{"ahead", "2000\n", 1043, 2000, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), SeqFileName)
			if tc.content != "-" {
				os.WriteFile(path, []byte(tc.content), 0o644)
			}
			s, err := NewStamper(StamperOpts{Path: path, Floor: tc.floor})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			e, err := s.Stamp(session.Event{Type: session.SessionStarted})
			if err != nil || e.Seq != tc.want {
				t.Fatalf("first seq %d, %v; want %d", e.Seq, err, tc.want)
			}
			if n := s.Notice(); !strings.Contains(n, tc.notice) || (tc.notice == "") != (n == "") {
				t.Errorf("Notice() = %q, want %q", n, tc.notice)
			}
		})
	}
}

package outbox

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestLastIDRevealsLostAppends: bbolt opens a file whose first meta page
// is garbled from the other one, one commit older, without an error: the
// last Append is gone silently. LastID going below an ID Append returned
// is how the hand-off notices (as it does for a deleted or truncated file).
func TestLastIDRevealsLostAppends(t *testing.T) {
	for _, tc := range []struct {
		name   string
		damage func(path string) error
	}{
		{"first 256 bytes garbled", func(path string) error {
			f, err := os.OpenFile(path, os.O_RDWR, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			junk := make([]byte, 256)
			for i := range junk {
				junk[i] = byte(i*7 + 3)
			}
			_, err = f.WriteAt(junk, 0)
			return err
		}},
		{"truncated to 0 bytes", func(path string) error { return os.Truncate(path, 0) }},
		{"deleted", os.Remove},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "outbox.db")
			q, err := Open(Opts{Path: path})
			if err != nil {
				t.Fatal(err)
			}
			var last uint64
			for i := 0; i < 2; i++ { // two appends: the newest commit is on meta page 0
				if last, err = q.Append(i == 1, []byte(fmt.Sprintf("event %d", i))); err != nil {
					t.Fatal(err)
				}
			}
			if got := q.Stats().LastID; got != last {
				t.Fatalf("LastID %d, want %d", got, last)
			}
			q.Close()
			if err := tc.damage(path); err != nil {
				t.Fatal(err)
			}
			q, err = Open(Opts{Path: path})
			if err != nil {
				t.Fatalf("bbolt now refuses the file (%v): the hand-off's ErrCorrupt path covers it", err)
			}
			defer q.Close()
			if s := q.Stats(); s.LastID >= last {
				t.Errorf("after damage: LastID %d, count %d; want LastID below %d", s.LastID, s.Count, last)
			}
		})
	}
}

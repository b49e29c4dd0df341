package outbox

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

func open(t *testing.T, o Opts) *Outbox {
	t.Helper()
	q, err := Open(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q.Close() })
	return q
}

func appendN(t *testing.T, q *Outbox, from, n int, keep func(i int) bool) {
	t.Helper()
	for i := from; i < from+n; i++ {
		if _, err := q.Append(keep != nil && keep(i), payload(i)); err != nil {
			t.Fatalf("append %d: %v", i, err)
		}
	}
}

func payload(i int) []byte { return []byte(fmt.Sprintf("event-%06d", i)) }

// contents returns the queued payloads as strings, in order.
func contents(t *testing.T, q *Outbox) []string {
	t.Helper()
	es, err := q.Peek(1 << 30)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, string(e.Payload))
	}
	return out
}

func names(idx ...int) []string {
	var out []string
	for _, i := range idx {
		out = append(out, string(payload(i)))
	}
	return out
}

func TestOrderDeleteAndReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	q := open(t, Opts{Path: path})
	appendN(t, q, 0, 5, nil)
	es, err := q.Peek(2)
	if err != nil || len(es) != 2 || es[0].ID >= es[1].ID {
		t.Fatalf("Peek(2) = %+v, %v", es, err)
	}
	if err := q.Delete(es[0].ID, es[1].ID, 999); err != nil {
		t.Fatal(err)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	q = open(t, Opts{Path: path})
	select {
	case <-q.Ready():
	default:
		t.Error("Ready not signalled at Open with a non-empty queue")
	}
	appendN(t, q, 5, 1, nil)
	if got, want := contents(t, q), names(2, 3, 4, 5); !slices.Equal(got, want) {
		t.Errorf("after reopen = %v, want %v", got, want)
	}
	if s := q.Stats(); s.Count != 4 || s.Bytes != int64(4*len(payload(0))) {
		t.Errorf("Stats = %+v", s)
	}
	es, _ = q.Peek(1)
	if es[0].ID <= 2 {
		t.Errorf("IDs reused after reopen: %d", es[0].ID)
	}
}

func TestOverflowPolicy(t *testing.T) {
	size := int64(len(payload(0)))
	keepEvery3 := func(i int) bool { return i%3 == 0 }
	tests := []struct {
		name        string
		opts        Opts
		n           int
		keep        func(int) bool
		want        []string
		wantDropped uint64
		wantErrAt   int // index whose Append returns ErrDropped, -1 for none
	}{
		{name: "within bounds", opts: Opts{MaxEntries: 5}, n: 5, want: names(0, 1, 2, 3, 4), wantErrAt: -1},
		{name: "by count drops oldest", opts: Opts{MaxEntries: 3}, n: 5, want: names(2, 3, 4), wantDropped: 2, wantErrAt: -1},
		{name: "by bytes drops oldest", opts: Opts{MaxBytes: 3 * size}, n: 5, want: names(2, 3, 4), wantDropped: 2, wantErrAt: -1},
		{name: "summaries survive", opts: Opts{MaxEntries: 4}, n: 7, keep: keepEvery3,
			want: names(0, 3, 5, 6), wantDropped: 3, wantErrAt: -1},
		{name: "only summaries left drops the newcomer", opts: Opts{MaxEntries: 2}, n: 3,
			keep: func(i int) bool { return i < 2 }, want: names(0, 1), wantDropped: 1, wantErrAt: 2},
		{name: "summaries may exceed the bound", opts: Opts{MaxEntries: 2}, n: 4,
			keep: func(int) bool { return true }, want: names(0, 1, 2, 3), wantErrAt: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Path = filepath.Join(t.TempDir(), "q.db")
			q := open(t, tt.opts)
			for i := 0; i < tt.n; i++ {
				_, err := q.Append(tt.keep != nil && tt.keep(i), payload(i))
				if i == tt.wantErrAt && !errors.Is(err, ErrDropped) || i != tt.wantErrAt && err != nil {
					t.Fatalf("append %d: %v", i, err)
				}
			}
			if got := contents(t, q); !slices.Equal(got, tt.want) {
				t.Errorf("queue = %v, want %v", got, tt.want)
			}
			q.Close()
			q = open(t, tt.opts) // the drop counter persists
			if s := q.Stats(); s.Dropped != tt.wantDropped || s.DroppedBytes != tt.wantDropped*uint64(size) {
				t.Errorf("Stats = %+v, want %d dropped", s, tt.wantDropped)
			}
		})
	}
}

func TestTooLarge(t *testing.T) {
	q := open(t, Opts{Path: filepath.Join(t.TempDir(), "q.db"), MaxPayload: 8})
	if _, err := q.Append(false, make([]byte, 9)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
}

func TestLockedByAnotherOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "q.db")
	open(t, Opts{Path: path})
	_, err := Open(Opts{Path: path, LockTimeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "locked") {
		t.Fatalf("second Open: %v, want a locked error", err)
	}
}

func TestCorruptFile(t *testing.T) {
	tests := []struct {
		name     string
		damage   func(t *testing.T, path string)
		wantLost uint64
	}{
		{name: "not a database", damage: func(t *testing.T, path string) {
			testkit.WriteFile(t, path, bytes.Repeat([]byte("garbage!"), 4096))
		}},
		{name: "truncated", damage: func(t *testing.T, path string) {
			b := readFile(t, path)
			testkit.WriteFile(t, path, b[:100])
		}},
		{name: "garbage pages behind valid meta pages", damage: func(t *testing.T, path string) {
			b := readFile(t, path)
			for i := 2 * 4096; i < len(b); i++ {
				b[i] = byte(i*7 + 3)
			}
			testkit.WriteFile(t, path, b)
		}},
		{name: "flipped payload byte", wantLost: 4, damage: func(t *testing.T, path string) {
			b := readFile(t, path)
			i := bytes.Index(b, payload(2))
			if i < 0 {
				t.Fatal("payload not found in file")
			}
			b[i+3] ^= 0x40
			testkit.WriteFile(t, path, b)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "q.db")
			q := open(t, Opts{Path: path})
			appendN(t, q, 0, 5, nil)
			q.Close()
			tt.damage(t, path)

			_, err := Open(Opts{Path: path})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("Open(corrupt) = %v, want ErrCorrupt", err)
			}
			if testing.Verbose() {
				t.Logf("Open: %v", err)
			}
			moved, err := Recover(path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(moved); err != nil {
				t.Errorf("corrupt file not kept: %v", err)
			}
			q = open(t, Opts{Path: path})
			if s := q.Stats(); s.Count != 0 || s.Recoveries != 1 || s.Lost != tt.wantLost {
				t.Errorf("after Recover Stats = %+v, want empty, 1 recovery, %d lost", s, tt.wantLost)
			}
		})
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

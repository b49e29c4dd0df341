package eventlog

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

func TestMain(m *testing.M) {
	testkit.Main(m, map[string]func(string) int{"fill": fillChild})
}

func event(seq uint64) session.Event {
	t0 := time.Date(2026, 3, 14, 6, 30, 0, 0, time.UTC)
	return session.Event{ID: fmt.Sprintf("%032x", seq), Seq: seq, Time: t0.Add(time.Duration(seq) * time.Second),
		Session: "s1", Type: session.HoldCompleted, Pose: "tree", HeldS: 30.25, TargetS: 30}
}

func writeEvents(t *testing.T, path string, from, to uint64) {
	t.Helper()
	l, err := Open(path, "mirror-1")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for s := from; s <= to; s++ {
		if err := l.Publish(context.Background(), event(s)); err != nil {
			t.Fatal(err)
		}
	}
}

func seqs(es []telemetry.Event) []uint64 {
	var out []uint64
	for _, e := range es {
		out = append(out, e.Seq)
	}
	return out
}

func seqRange(from, to uint64) []uint64 {
	var out []uint64
	for s := from; s <= to; s++ {
		out = append(out, s)
	}
	return out
}

// After reads the log backwards in 64 KiB blocks: lines cut by a block
// boundary must come out whole, in order.
func TestAfterAcrossBlocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	var b bytes.Buffer
	for s := uint64(1); s <= 2000; s++ { // about 10 blocks
		line, _ := telemetry.MarshalEvent("mirror-1", event(s))
		b.Write(append(line, '\n'))
	}
	testkit.WriteFile(t, path, b.Bytes())
	for _, mark := range []uint64{0, 1, 700, 1500, 1999, 2000} {
		got, err := After(path, mark)
		if err != nil {
			t.Fatal(err)
		}
		if want := seqRange(mark+1, 2000); !slices.Equal(seqs(got), want) {
			t.Errorf("after %d: got %d events, want %d", mark, len(got), len(want))
		}
	}
	if last, err := LastSeq(path); err != nil || last != 2000 {
		t.Errorf("LastSeq = %d, %v; want 2000", last, err)
	}
	if last, err := LastSeq(filepath.Join(t.TempDir(), "none.jsonl")); err != nil || last != 0 {
		t.Errorf("LastSeq of no log = %d, %v; want 0", last, err)
	}
}

// TestOpenRepairsATornLastLine: a line cut short (a crash or a full disk
// mid-write) is removed, so the next event starts on a line of its own; a
// whole event that only lost its newline keeps its place.
func TestOpenRepairsATornLastLine(t *testing.T) {
	line, _ := telemetry.MarshalEvent("mirror-1", event(3))
	for _, tc := range []struct {
		name, tail, want string
		seqs             []uint64
	}{
		{"torn", string(line[:len(line)/2]), "removed a torn last line", []uint64{1, 2, 4}},
		{"newline lost", string(line), "had no newline", []uint64{1, 2, 3, 4}},
		{"whole", "", "", []uint64{1, 2, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "events.jsonl")
			writeEvents(t, path, 1, 2)
			f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(tc.tail)
			f.Close()
			l, err := Open(path, "mirror-1")
			if err != nil {
				t.Fatal(err)
			}
			if got := l.Repaired(); !strings.Contains(got, tc.want) || (tc.want == "") != (got == "") {
				t.Errorf("Repaired() = %q, want %q", got, tc.want)
			}
			l.Publish(context.Background(), event(4))
			l.Close()
			checkWhole(t, path, tc.seqs)
		})
	}
}

// checkWhole checks that every line of the log is an event, with seqs want.
func checkWhole(t *testing.T, path string, want []uint64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var got []uint64
	for i, l := range bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) {
		e, err := telemetry.DecodeEvent(l)
		if err != nil {
			t.Fatalf("line %d is not an event (%v): %q", i+1, err, l)
		}
		got = append(got, e.Seq)
	}
	if !slices.Equal(got, want) {
		t.Errorf("log holds seqs %v, want %v", got, want)
	}
}

// fillChild appends events until the file-size limit (set by the parent
// with RLIMIT_FSIZE, the way a full disk refuses writes) stops it, then
// reports how many went in and the error.
func fillChild(arg string) int {
	limit, _ := strconv.ParseUint(arg, 10, 64)
	signal.Ignore(syscall.SIGXFSZ) // get EFBIG instead of being killed
	path := os.Getenv("EVENTLOG_PATH")
	l, err := Open(path, "mirror-1")
	if err != nil {
		fmt.Println("open:", err)
		return 1
	}
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		fmt.Println("setrlimit:", err)
		return 1
	}
	for s := uint64(1); s < 1000; s++ {
		if err := l.Publish(context.Background(), event(s)); err != nil {
			fmt.Printf("%d %v\n", s-1, err)
			// Writing goes on failing while the disk is full.
			if err2 := l.Publish(context.Background(), event(s+1)); err2 == nil {
				fmt.Println("a write past the limit succeeded")
				return 1
			}
			return 0
		}
	}
	fmt.Println("never failed")
	return 1
}

// TestPublishOnAFullDisk: a write that fails part-way (here: a file-size
// limit cutting the line, as ENOSPC does) returns the error and leaves no
// partial line behind; after space comes back the log goes on whole.
func TestPublishOnAFullDisk(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	line, _ := telemetry.MarshalEvent("mirror-1", event(1))
	limit := 5*(len(line)+1) + len(line)/2 // the 6th line is cut in half
	cmd := testkit.Child("fill", strconv.Itoa(limit))
	cmd.Env = append(cmd.Env, "EVENTLOG_PATH="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	var n int
	var msg string
	fmt.Sscanf(string(out), "%d", &n)
	msg = string(out)
	if n != 5 || !strings.Contains(msg, "file too large") {
		t.Fatalf("child wrote %d events before failing, want 5: %s", n, msg)
	}
	checkWhole(t, path, seqRange(1, 5))
	l, err := Open(path, "mirror-1")
	if err != nil {
		t.Fatal(err)
	}
	if l.Repaired() != "" {
		t.Errorf("the failed write left something to repair: %s", l.Repaired())
	}
	if err := l.Publish(context.Background(), event(6)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	checkWhole(t, path, seqRange(1, 6))
}

// TestDevNull: --events /dev/null still works (nothing to repair or read
// back).
func TestDevNull(t *testing.T) {
	l, err := Open("/dev/null", "mirror-1")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.Publish(context.Background(), event(1)); err != nil {
		t.Fatal(err)
	}
	if last, err := LastSeq("/dev/null"); err != nil || last != 0 {
		t.Errorf("LastSeq(/dev/null) = %d, %v", last, err)
	}
}

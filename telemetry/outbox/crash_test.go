package outbox

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

func TestMain(m *testing.M) {
	testkit.Main(m, map[string]func(string) int{"append": appendChild})
}

// appendChild, the child of TestSIGKILLMidAppend, gets "FROM PATH": it
// appends from index FROM until it is killed, printing each index once its
// Append has returned.
func appendChild(arg string) int {
	fromS, path, _ := strings.Cut(arg, " ")
	from, err := strconv.Atoi(fromS)
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	q, err := Open(Opts{Path: path, MaxEntries: 1 << 20, MaxBytes: 1 << 30})
	if err != nil {
		fmt.Println("error:", err)
		return 2
	}
	for i := from; ; i++ {
		if _, err := q.Append(i%10 == 0, payload(i)); err != nil {
			fmt.Println("error:", err)
			return 2
		}
		fmt.Println(i) // stdout is unbuffered: the parent sees it at once
	}
}

// TestSIGKILLMidAppend kills a process appending as fast as it can and
// checks that every entry whose Append returned is on disk, in order.
func TestSIGKILLMidAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	acked := 0
	for round := 0; round < 3; round++ {
		acked = killAfter(t, path, acked, 100+37*round)
		q, err := Open(Opts{Path: path, MaxEntries: 1 << 20, MaxBytes: 1 << 30})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		got := contents(t, q)
		q.Close()
		if len(got) < acked || len(got) > acked+1 {
			t.Fatalf("round %d: %d entries on disk, %d acknowledged", round, len(got), acked)
		}
		t.Logf("round %d: %d acknowledged, %d on disk", round, acked, len(got))
		for i, p := range got {
			if p != string(payload(i)) {
				t.Fatalf("round %d: entry %d = %q, want %q", round, i, p, payload(i))
			}
		}
		acked = len(got) // the next child continues the sequence
	}
}

// killAfter starts a child that appends from index `from`, kills it with
// SIGKILL after n acknowledgements, and returns the number of entries
// acknowledged in total.
func killAfter(t *testing.T, path string, from, n int) int {
	t.Helper()
	cmd := testkit.Child("append", strconv.Itoa(from)+" "+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	last, seen := from-1, 0
	for sc.Scan() {
		i, err := strconv.Atoi(sc.Text())
		if err != nil {
			t.Fatalf("child: %s", sc.Text())
		}
		if i != last+1 {
			t.Fatalf("child acknowledged %d after %d", i, last)
		}
		last = i
		if seen++; seen == n {
			cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	if err := cmd.Wait(); err == nil || seen < n {
		t.Fatalf("child exited with %v after %d appends, want SIGKILL after %d", err, seen, n)
	}
	return last + 1
}

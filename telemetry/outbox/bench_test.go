package outbox

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkAppend measures durable Append latency (a bbolt commit with
// fdatasync) on the disk holding the test's temp dir, reporting p50 and p99
// besides the mean. Set TMPDIR to measure another disk.
func BenchmarkAppend(b *testing.B) {
	q, err := Open(Opts{Path: filepath.Join(b.TempDir(), "q.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	p := make([]byte, 300) // a typical event payload
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := q.Append(i%50 == 0, p); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	reportPercentiles(b, durs)
}

// BenchmarkAppendPeekDelete is one event's full trip through the queue:
// append, peek, delete after the (here immediate) acknowledgement.
func BenchmarkAppendPeekDelete(b *testing.B) {
	q, err := Open(Opts{Path: filepath.Join(b.TempDir(), "q.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer q.Close()
	p := make([]byte, 300)
	for i := 0; i < b.N; i++ {
		if _, err := q.Append(false, p); err != nil {
			b.Fatal(err)
		}
		es, err := q.Peek(1)
		if err != nil || len(es) != 1 {
			b.Fatal(err)
		}
		if err := q.Delete(es[0].ID); err != nil {
			b.Fatal(err)
		}
	}
}

func reportPercentiles(b *testing.B, durs []time.Duration) {
	if len(durs) == 0 {
		return
	}
	slices.Sort(durs)
	at := func(p float64) float64 {
		return float64(durs[int(p*float64(len(durs)-1))].Microseconds())
	}
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

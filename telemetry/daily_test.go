package telemetry

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestDaily(t *testing.T) {
	loc := time.FixedZone("local", 2*3600)
	at := func(day, hour int) time.Time { return time.Date(2026, 5, day, hour, 0, 0, 0, loc) }
	tests := []struct {
		name      string
		ends      []time.Time
		now       time.Time
		wantToday int
		wantLast  float64
	}{
		{name: "none", now: at(1, 12)},
		{name: "two today", ends: []time.Time{at(1, 8), at(1, 9)}, now: at(1, 12), wantToday: 2, wantLast: 20},
		{name: "yesterday only", ends: []time.Time{at(1, 8)}, now: at(2, 12), wantToday: 0, wantLast: 20},
		{name: "new day resets", ends: []time.Time{at(1, 8), at(1, 9), at(2, 7)}, now: at(2, 12), wantToday: 1, wantLast: 20},
		// 23:30 UTC on the 1st is 01:30 local on the 2nd: the local day counts.
		{name: "local midnight", ends: []time.Time{time.Date(2026, 5, 1, 23, 30, 0, 0, time.UTC).In(loc)}, now: at(2, 3), wantToday: 1, wantLast: 20},
		{name: "late event from yesterday", ends: []time.Time{at(2, 7), at(1, 23)}, now: at(2, 12), wantToday: 1, wantLast: 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d Daily
			for _, end := range tt.ends {
				d = d.Record(end, 20*time.Minute)
			}
			today, last := d.At(tt.now)
			if today != tt.wantToday || last != tt.wantLast {
				t.Errorf("At = %d, %g; want %d, %g", today, last, tt.wantToday, tt.wantLast)
			}
		})
	}
}

func TestDailyPersists(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daily.json")
	d, err := LoadDaily(path)
	if err != nil || d != (Daily{}) {
		t.Fatalf("LoadDaily(missing) = %+v, %v", d, err)
	}
	now := time.Date(2026, 5, 1, 9, 0, 0, 0, time.Local)
	d = d.Record(now, 90*time.Second)
	if err := SaveDaily(path, d); err != nil {
		t.Fatal(err)
	}
	back, err := LoadDaily(path)
	if err != nil {
		t.Fatal(err)
	}
	if n, m := back.At(now); n != 1 || m != 1.5 {
		t.Errorf("after reload At = %d, %g; want 1, 1.5", n, m)
	}
}

func TestDailyRecordEvent(t *testing.T) {
	end := time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	e := Event{Type: "session_ended", TS: end, Summary: &Summary{End: end, DurationS: 300}}
	d := Daily{}.RecordEvent(Event{Type: "pose_started", TS: end}, time.UTC).RecordEvent(e, time.UTC)
	if n, m := d.At(end); n != 1 || m != 5 {
		t.Errorf("At = %d, %g; want 1, 5", n, m)
	}
}

func TestLoadDailyCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "daily.json")
	os.WriteFile(path, []byte("{\"day\": \"2026-03-14\", \"sess"), 0o644)
	if _, err := LoadDaily(path); !errors.Is(err, ErrCorruptDaily) {
		t.Fatalf("err %v, want ErrCorruptDaily", err)
	}
}

package telemetry

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// Daily counts finished sessions per local day and remembers the length of
// the last one. It is a value: methods return updated copies, time comes in
// as a parameter, and the day is taken in the location of the time given
// (pass local times for local days).
type Daily struct {
	Day            string    `json:"day"` // YYYY-MM-DD of Sessions
	Sessions       int       `json:"sessions"`
	LastSessionMin float64   `json:"last_session_min"`
	LastEnd        time.Time `json:"last_end"` // end of the session LastSessionMin describes
}

const dayLayout = "2006-01-02"

// Record counts a session that ended at end and lasted duration. A session
// from an earlier day than the one counted (a late event, a clock step back)
// does not change today's count.
func (d Daily) Record(end time.Time, duration time.Duration) Daily {
	day := end.Format(dayLayout)
	switch {
	case day == d.Day:
		d.Sessions++
	case day > d.Day:
		d.Day, d.Sessions = day, 1
	}
	if !end.Before(d.LastEnd) {
		d.LastEnd, d.LastSessionMin = end, duration.Minutes()
	}
	return d
}

// RecordEvent records a session_ended event (using its summary when
// present); other events leave d unchanged.
func (d Daily) RecordEvent(e Event, loc *time.Location) Daily {
	if e.Type != "session_ended" {
		return d
	}
	end, dur := e.TS, time.Duration(0)
	if e.Summary != nil {
		end, dur = e.Summary.End, time.Duration(e.Summary.DurationS*float64(time.Second))
	}
	if loc != nil {
		end = end.In(loc)
	}
	return d.Record(end, dur)
}

// At returns the sessions finished on now's day and the last session's
// length in minutes.
func (d Daily) At(now time.Time) (sessionsToday int, lastSessionMin float64) {
	if now.Format(dayLayout) == d.Day {
		sessionsToday = d.Sessions
	}
	return sessionsToday, d.LastSessionMin
}

// LoadDaily reads the counter file; a missing file is a zero Daily.
func LoadDaily(path string) (Daily, error) {
	var d Daily
	b, err := storage.ReadFile(path, storage.StateLimit("the daily counter file"))
	if errors.Is(err, fs.ErrNotExist) {
		return d, nil
	}
	if err != nil {
		return d, fmt.Errorf("telemetry: daily: %w", err)
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return Daily{}, fmt.Errorf("%w: %s: %v", ErrCorruptDaily, path, err)
	}
	return d, nil
}

// ErrCorruptDaily means the counter file is not what SaveDaily writes.
var ErrCorruptDaily = errors.New("telemetry: daily: corrupt counter file")

// SaveDaily writes the counter file atomically (fsync'd).
func SaveDaily(path string, d Daily) error {
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Errorf("telemetry: daily: %w", err)
	}
	return storage.WriteFile(path, append(b, '\n'), 0o644)
}

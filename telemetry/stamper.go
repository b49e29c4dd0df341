package telemetry

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
	"sync"

	"github.com/yogamirror/yogamirror/device/storage"

	"github.com/yogamirror/yogamirror/inference/session"
)

// SeqFileName is the Stamper's counter file in the daemon's state directory.
const SeqFileName = "event-seq"

// DefaultReserve is how many sequence numbers a Stamper reserves per disk
// write.
const DefaultReserve = 1000

// StamperOpts configure a Stamper.
type StamperOpts struct {
	// Path of the counter file, e.g. <state dir>/SeqFileName. Its directory
	// must exist.
	Path string
	// Reserve is the block of seq numbers reserved per fsync (default
	// DefaultReserve). A crash skips at most this many numbers; a clean
	// Close skips none.
	Reserve uint64
	// Rand is the source of event ids (default crypto/rand).
	Rand io.Reader
	// Floor is the lowest seq the stamper may hand out: one above the last
	// seq anyone can have seen (the event log's last, the MQTT hand-off
	// mark). When the counter file is missing, corrupt or behind it, the
	// stamper starts there instead of at 1 (or stopping), and Notice says so.
	Floor uint64
}

// Stamper gives events their identity, once, before they fan out to sinks:
// a random 128-bit hex event_id and a seq that is strictly increasing per
// device across restarts and crashes.
//
// The counter file holds a ceiling: every seq below it may have been used.
// A Stamper reserves [next, next+Reserve) by writing next+Reserve (fsync'd)
// before handing out any number of the block, so after a crash it resumes at
// the ceiling and never reuses a seq; gaps are allowed. Safe for concurrent
// use.
type Stamper struct {
	mu      sync.Mutex
	path    string
	reserve uint64
	rand    io.Reader
	next    uint64 // next seq to hand out
	ceiling uint64 // first seq not covered by the file
	closed  bool
	notice  string
}

// NewStamper reads the counter file (a missing file starts at seq 1, or at
// o.Floor) and reserves the first block.
func NewStamper(o StamperOpts) (*Stamper, error) {
	if o.Path == "" {
		return nil, errors.New("telemetry: stamper: no counter path")
	}
	s := &Stamper{path: o.Path, reserve: o.Reserve, rand: o.Rand}
	if s.reserve == 0 {
		s.reserve = DefaultReserve
	}
	if s.rand == nil {
		s.rand = rand.Reader
	}
	next, err := readCeiling(o.Path)
	switch {
	case err != nil && o.Floor <= 1:
		return nil, err
	case err != nil:
		s.notice = fmt.Sprintf("%v; resuming at seq %d, above the event log and the MQTT hand-off mark", err, o.Floor)
		next = o.Floor
	case next == 0 && o.Floor > 1:
		s.notice = fmt.Sprintf("telemetry: stamper: counter file %s is missing; "+
			"resuming at seq %d, above the event log and the MQTT hand-off mark", o.Path, o.Floor)
		next = o.Floor
	case next == 0:
		next = 1 // a new device
	case next < o.Floor:
		s.notice = fmt.Sprintf("telemetry: stamper: counter file %s says seq %d (restored from an older copy?); "+
			"resuming at seq %d, above the event log and the MQTT hand-off mark", o.Path, next, o.Floor)
		next = o.Floor
	}
	s.next, s.ceiling = next, next
	if err := s.reserveBlock(); err != nil {
		return nil, err
	}
	return s, nil
}

func readCeiling(path string) (uint64, error) {
	b, err := storage.ReadFile(path, storage.StateLimit("the seq counter file"))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("telemetry: stamper: %w", err)
	}
	n, err := strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("telemetry: stamper: counter file %s is corrupt (%q); "+
			"write a number above the last seq consumers saw to recover", path, truncate(string(b), 40))
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Stamper) reserveBlock() error {
	c := s.next + s.reserve
	if err := writeCeiling(s.path, c); err != nil {
		return err
	}
	s.ceiling = c
	return nil
}

func writeCeiling(path string, c uint64) error {
	if err := storage.WriteFile(path, []byte(strconv.FormatUint(c, 10)+"\n"), 0o644); err != nil {
		return fmt.Errorf("telemetry: stamper: %w", err)
	}
	return nil
}

// Notice says how the starting seq was derived when the counter file could
// not be trusted, or "" when it was.
func (s *Stamper) Notice() string { return s.notice }

// Stamp returns e with ID and Seq set. An event that already has an ID is
// returned unchanged, so stamping twice is harmless.
func (s *Stamper) Stamp(e session.Event) (session.Event, error) {
	if e.ID != "" {
		return e, nil
	}
	var raw [16]byte
	if _, err := io.ReadFull(s.rand, raw[:]); err != nil {
		return e, fmt.Errorf("telemetry: stamper: event id: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return e, errors.New("telemetry: stamper: closed")
	}
	if s.next >= s.ceiling {
		if err := s.reserveBlock(); err != nil {
			return e, err
		}
	}
	e.ID, e.Seq = hex.EncodeToString(raw[:]), s.next
	s.next++
	return e, nil
}

// Close records the exact next seq, so a clean restart leaves no gap.
func (s *Stamper) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return writeCeiling(s.path, s.next)
}

package outbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Defaults for Opts.
const (
	DefaultMaxEntries  = 10000
	DefaultMaxBytes    = 8 << 20
	DefaultMaxPayload  = 64 << 10
	DefaultLockTimeout = 2 * time.Second
)

var (
	// ErrCorrupt wraps every error caused by a damaged queue file.
	ErrCorrupt = errors.New("outbox: corrupt queue file")
	// ErrDropped reports that the entry being appended was itself dropped
	// by the overflow policy (the queue is full of older Keep entries).
	ErrDropped = errors.New("outbox: queue full, entry dropped")
	// ErrTooLarge reports a payload above Opts.MaxPayload.
	ErrTooLarge = errors.New("outbox: payload too large")
	// ErrClosed reports use after Close.
	ErrClosed = errors.New("outbox: closed")
)

// Opts configure a queue.
type Opts struct {
	Path        string        // the queue file, e.g. <state dir>/outbox.db
	MaxEntries  int           // default DefaultMaxEntries
	MaxBytes    int64         // payload bytes, default DefaultMaxBytes
	MaxPayload  int           // per entry, default DefaultMaxPayload
	LockTimeout time.Duration // wait for another process's lock, default DefaultLockTimeout
}

// Entry is one queued payload.
type Entry struct {
	ID      uint64 // increasing in append order, never reused in a file
	Keep    bool   // never dropped by the overflow policy
	Payload []byte
}

// Stats describe the queue; the counters persist in the file.
type Stats struct {
	Count        int    // entries queued
	Bytes        int64  // payload bytes queued
	Kept         int    // queued entries marked Keep
	Dropped      uint64 // entries dropped by the overflow policy, ever
	DroppedBytes uint64
	Recoveries   uint64 // times a corrupt file was moved aside
	Lost         uint64 // entries known lost in those recoveries
	// LastID is the ID of the last entry ever appended to this file (0 for
	// a new one). It only grows, so a file that is found lower than an ID
	// Append once returned has lost appends: it was deleted, truncated,
	// recovered or rolled back to an older commit by a damaged meta page.
	LastID uint64
}

var (
	bucketEntries = []byte("entries")
	bucketMeta    = []byte("meta")
	keyNext       = []byte("next")
)

// Meta counters persisted in bucketMeta.
const (
	ctrDropped      = "dropped"
	ctrDroppedBytes = "dropped_bytes"
	ctrRecoveries   = "recoveries"
	ctrLost         = "lost"
)

// Outbox is the queue. Safe for concurrent use: typically one goroutine
// appends and another peeks and deletes.
type Outbox struct {
	o     Opts
	db    *bolt.DB
	ready chan struct{}

	mu     sync.Mutex // serialises writers and guards the fields below
	stats  Stats
	closed bool
}

// Open opens or creates the queue file and verifies every entry.
func Open(o Opts) (*Outbox, error) {
	if o.Path == "" {
		return nil, errors.New("outbox: no path")
	}
	setDefaults(&o)
	db, err := openDB(o.Path, o.LockTimeout)
	if err != nil {
		return nil, err
	}
	q := &Outbox{o: o, db: db, ready: make(chan struct{}, 1)}
	if err := q.load(); err != nil {
		db.Close()
		return nil, err
	}
	if q.stats.Count > 0 {
		q.ready <- struct{}{}
	}
	return q, nil
}

func setDefaults(o *Opts) {
	if o.MaxEntries <= 0 {
		o.MaxEntries = DefaultMaxEntries
	}
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxPayload <= 0 {
		o.MaxPayload = DefaultMaxPayload
	}
	if o.LockTimeout <= 0 {
		o.LockTimeout = DefaultLockTimeout
	}
}

// Ready receives a value after an Append (and at Open when the queue is not
// empty); a consumer waits on it when Peek returns nothing.
func (q *Outbox) Ready() <-chan struct{} { return q.ready }

// Stats returns the counters.
func (q *Outbox) Stats() Stats {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.stats
}

// Len returns the number of queued entries.
func (q *Outbox) Len() int { return q.Stats().Count }

// Close closes the file. Queued entries stay for the next Open.
func (q *Outbox) Close() error {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return nil
	}
	q.closed = true
	if err := q.db.Close(); err != nil {
		return fmt.Errorf("outbox: close: %w", err)
	}
	return nil
}

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 {
	if len(b) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(b)
}

package outbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"runtime/debug"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const flagKeep = 1

// errBadEntry is wrapped, with ErrCorrupt, by errors about one entry.
var errBadEntry = errors.New("bad entry")

// encode lays out a value as CRC-32C(flags|payload), flags, payload.
func encode(keep bool, payload []byte) []byte {
	v := make([]byte, 5+len(payload))
	if keep {
		v[4] = flagKeep
	}
	copy(v[5:], payload)
	binary.BigEndian.PutUint32(v, crc32.Checksum(v[4:], castagnoli))
	return v
}

// decode checks a value and returns its parts; payload aliases v.
func decode(v []byte) (keep bool, payload []byte, err error) {
	if len(v) < 5 {
		return false, nil, fmt.Errorf("%w: entry of %d bytes", errBadEntry, len(v))
	}
	if crc32.Checksum(v[4:], castagnoli) != binary.BigEndian.Uint32(v) {
		return false, nil, fmt.Errorf("%w: checksum mismatch", errBadEntry)
	}
	if v[4]&^flagKeep != 0 {
		return false, nil, fmt.Errorf("%w: flags %#x", errBadEntry, v[4])
	}
	return v[4] == flagKeep, v[5:], nil
}

// guard runs f, turning panics and memory faults inside bbolt (which trusts
// its pages) into ErrCorrupt.
func guard(path string, f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w %s: %v", ErrCorrupt, path, p)
		}
	}()
	return f()
}

func openDB(path string, timeout time.Duration) (*bolt.DB, error) {
	var db *bolt.DB
	var file *os.File // kept to release the lock if bbolt panics mid-open
	openFile := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		f, err := os.OpenFile(name, flag, perm)
		file = f
		return f, err
	}
	err := guard(path, func() error {
		var err error
		db, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, OpenFile: openFile})
		return err
	})
	if db == nil && file != nil {
		// bbolt releases the file on errors it returns, not on panics. Its
		// mmap still references the file, so closing alone would keep the
		// lock: unlock explicitly.
		_ = syscall.Flock(int(file.Fd()), syscall.LOCK_UN)
		file.Close()
	}
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, ErrCorrupt):
		return nil, err
	case errors.Is(err, bolt.ErrTimeout):
		return nil, fmt.Errorf("outbox: %s is locked by another process: %w", path, err)
	case errors.Is(err, bolt.ErrInvalid), errors.Is(err, bolt.ErrChecksum), errors.Is(err, bolt.ErrVersionMismatch):
		return nil, fmt.Errorf("%w %s: %v", ErrCorrupt, path, err)
	case isBoltFormatError(err):
		return nil, fmt.Errorf("%w %s: %v", ErrCorrupt, path, err)
	default:
		return nil, fmt.Errorf("outbox: open %s: %w", path, err)
	}
}

// isBoltFormatError recognises the unexported errors bbolt returns for files
// too short or with an impossible size: anything that is not an OS error.
func isBoltFormatError(err error) bool {
	var pe *os.PathError
	var se *os.SyscallError
	return !errors.As(err, &pe) && !errors.As(err, &se)
}

// load creates the buckets when the file is new, checks every entry and
// computes the stats. An existing file is only read: opening commits
// nothing, so the newest commit stays the last real change.
func (q *Outbox) load() error {
	return guard(q.o.Path, func() error {
		fresh := false
		err := q.db.View(func(tx *bolt.Tx) error {
			entries, meta := tx.Bucket(bucketEntries), tx.Bucket(bucketMeta)
			if entries == nil || meta == nil {
				fresh = true
				return nil
			}
			return q.loadStats(entries, meta)
		})
		if err != nil || !fresh {
			return err
		}
		return q.db.Update(func(tx *bolt.Tx) error {
			entries, err := tx.CreateBucketIfNotExists(bucketEntries)
			if err != nil {
				return fmt.Errorf("%w %s: %v", ErrCorrupt, q.o.Path, err)
			}
			meta, err := tx.CreateBucketIfNotExists(bucketMeta)
			if err != nil {
				return fmt.Errorf("%w %s: %v", ErrCorrupt, q.o.Path, err)
			}
			return q.loadStats(entries, meta)
		})
	})
}

func (q *Outbox) loadStats(entries, meta *bolt.Bucket) error {
	s, err := scan(entries)
	if err != nil {
		return fmt.Errorf("%w %s: %v", ErrCorrupt, q.o.Path, err)
	}
	s.Dropped, s.DroppedBytes = counter(meta, ctrDropped), counter(meta, ctrDroppedBytes)
	s.Recoveries, s.Lost = counter(meta, ctrRecoveries), counter(meta, ctrLost)
	s.LastID = btoi(meta.Get(keyNext))
	q.stats = s
	return nil
}

func scan(entries *bolt.Bucket) (Stats, error) {
	var s Stats
	last := uint64(0)
	err := entries.ForEach(func(k, v []byte) error {
		id := btoi(k)
		if id <= last {
			return fmt.Errorf("key %x out of order", k)
		}
		last = id
		keep, payload, err := decode(v)
		if err != nil {
			return fmt.Errorf("entry %d: %w", id, err)
		}
		s.Count++
		s.Bytes += int64(len(payload))
		if keep {
			s.Kept++
		}
		return nil
	})
	return s, err
}

func counter(meta *bolt.Bucket, name string) uint64 { return btoi(meta.Get([]byte(name))) }

func addCounter(meta *bolt.Bucket, name string, delta uint64) error {
	if delta == 0 {
		return nil
	}
	return meta.Put([]byte(name), itob(counter(meta, name)+delta))
}

// Recover moves a corrupt queue file aside as <path>.corrupt-<unix time>,
// creates an empty queue at path that records the loss (Stats.Recoveries,
// and Stats.Lost when the old file could still be counted) and returns the
// new location of the old file.
func Recover(path string) (movedTo string, err error) {
	lost := countReadable(path)
	movedTo = fmt.Sprintf("%s.corrupt-%d", path, time.Now().Unix())
	if err := os.Rename(path, movedTo); err != nil {
		return "", fmt.Errorf("outbox: recover: %w", err)
	}
	db, err := openDB(path, DefaultLockTimeout)
	if err != nil {
		return movedTo, err
	}
	defer db.Close()
	err = db.Update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if err := addCounter(meta, ctrRecoveries, 1); err != nil {
			return err
		}
		return addCounter(meta, ctrLost, lost)
	})
	if err != nil {
		return movedTo, fmt.Errorf("outbox: recover: %w", err)
	}
	return movedTo, nil
}

// countReadable counts the entries of a damaged file that still pass their
// checksum, or 0 when the file cannot be read at all.
func countReadable(path string) (n uint64) {
	_ = guard(path, func() error {
		db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
		if err != nil {
			return err
		}
		defer db.Close()
		return db.View(func(tx *bolt.Tx) error {
			b := tx.Bucket(bucketEntries)
			if b == nil {
				return nil
			}
			return b.ForEach(func(_, v []byte) error {
				if _, _, err := decode(v); err == nil {
					n++
				}
				return nil
			})
		})
	})
	return n
}

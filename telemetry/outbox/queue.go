package outbox

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Append stores payload durably (committed and fsync'd before it returns),
// then applies the overflow policy in the same transaction. It returns the
// entry's ID, or ErrDropped when the entry could not be kept.
func (q *Outbox) Append(keep bool, payload []byte) (uint64, error) {
	if len(payload) > q.o.MaxPayload {
		return 0, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(payload), q.o.MaxPayload)
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return 0, ErrClosed
	}
	s := q.stats
	var id uint64
	selfDropped := false
	err := q.db.Update(func(tx *bolt.Tx) error {
		entries, meta := tx.Bucket(bucketEntries), tx.Bucket(bucketMeta)
		id = btoi(meta.Get(keyNext)) + 1
		if err := meta.Put(keyNext, itob(id)); err != nil {
			return err
		}
		if err := entries.Put(itob(id), encode(keep, payload)); err != nil {
			return err
		}
		s.Count++
		s.Bytes += int64(len(payload))
		s.LastID = id
		if keep {
			s.Kept++
		}
		var err error
		selfDropped, err = q.shed(entries, meta, &s, id)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("outbox: append: %w", err)
	}
	q.stats = s
	select {
	case q.ready <- struct{}{}:
	default:
	}
	if selfDropped {
		return 0, ErrDropped
	}
	return id, nil
}

// shed drops the oldest non-Keep entries until s is within bounds and
// reports whether entry newID was among them.
func (q *Outbox) shed(entries, meta *bolt.Bucket, s *Stats, newID uint64) (bool, error) {
	over := func() bool { return s.Count > q.o.MaxEntries || s.Bytes > q.o.MaxBytes }
	if !over() {
		return false, nil
	}
	var victims [][]byte
	var droppedBytes uint64
	c := entries.Cursor()
	for k, v := c.First(); k != nil && over(); k, v = c.Next() {
		keep, payload, err := decode(v)
		if err != nil {
			return false, fmt.Errorf("%w: entry %d: %v", ErrCorrupt, btoi(k), err)
		}
		if keep {
			continue
		}
		victims = append(victims, append([]byte(nil), k...))
		s.Count--
		s.Bytes -= int64(len(payload))
		droppedBytes += uint64(len(payload))
	}
	selfDropped := false
	for _, k := range victims {
		if err := entries.Delete(k); err != nil {
			return false, err
		}
		selfDropped = selfDropped || btoi(k) == newID
	}
	s.Dropped += uint64(len(victims))
	s.DroppedBytes += droppedBytes
	if err := addCounter(meta, ctrDropped, uint64(len(victims))); err != nil {
		return false, err
	}
	return selfDropped, addCounter(meta, ctrDroppedBytes, droppedBytes)
}

// Peek returns up to max of the oldest entries in order, without removing
// them. Payloads are copies owned by the caller.
func (q *Outbox) Peek(max int) ([]Entry, error) {
	q.mu.Lock()
	closed := q.closed
	q.mu.Unlock()
	if closed {
		return nil, ErrClosed
	}
	var out []Entry
	err := q.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketEntries).Cursor()
		for k, v := c.First(); k != nil && len(out) < max; k, v = c.Next() {
			keep, payload, err := decode(v)
			if err != nil {
				return fmt.Errorf("%w: entry %d: %v", ErrCorrupt, btoi(k), err)
			}
			out = append(out, Entry{ID: btoi(k), Keep: keep, Payload: append([]byte(nil), payload...)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("outbox: peek: %w", err)
	}
	return out, nil
}

// Delete removes acknowledged entries in one fsync'd transaction. IDs no
// longer queued (already deleted or dropped) are ignored.
func (q *Outbox) Delete(ids ...uint64) error {
	if len(ids) == 0 {
		return nil
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return ErrClosed
	}
	s := q.stats
	err := q.db.Update(func(tx *bolt.Tx) error {
		entries := tx.Bucket(bucketEntries)
		for _, id := range ids {
			k := itob(id)
			v := entries.Get(k)
			if v == nil {
				continue
			}
			keep, payload, err := decode(v)
			if err != nil {
				return fmt.Errorf("%w: entry %d: %v", ErrCorrupt, id, err)
			}
			s.Count--
			s.Bytes -= int64(len(payload))
			if keep {
				s.Kept--
			}
			if err := entries.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("outbox: delete: %w", err)
	}
	q.stats = s
	return nil
}

// Package outbox is the durable, bounded, on-disk queue between the event
// pipeline and the network: an event is on disk (fsync'd) before Append
// returns, it is read back in append order, and it leaves the queue only
// when the publisher deletes it after the broker acknowledged it (MQTT
// PUBACK). It survives broker outages, SIGKILL and power loss.
//
// # Storage
//
// The queue is a bbolt file (go.etcd.io/bbolt). bbolt was chosen over a
// hand-rolled fsync'd log because the queue needs more than appends and
// head truncation: the overflow policy deletes from the middle (the oldest
// entries that are not session summaries) and the drop counters must change
// atomically with the entries. bbolt gives that in one copy-on-write
// transaction per call, committed with fdatasync before the call returns,
// and its two checksummed meta pages make a torn commit roll back to the
// previous one on the next open, which is what etcd relies on for power-loss
// safety. Each value also carries its own CRC-32C, checked for every entry
// when the file is opened, so silent corruption is reported instead of being
// published.
//
// # Bounds and overflow
//
// The queue holds at most MaxEntries entries and MaxBytes payload bytes.
// When an Append goes over either bound, the oldest entries not marked
// Keep are dropped, oldest first, until it fits; the new entry itself is
// dropped (ErrDropped) only if nothing older can go. Keep entries (session
// summaries) are never dropped, so a queue made only of them may exceed
// the bounds. Every drop is counted in the file (Stats.Dropped,
// Stats.DroppedBytes) in the same transaction.
//
// # Corruption and recovery
//
// Open returns an error wrapping ErrCorrupt when the file is not a valid
// bbolt database, a page is damaged, or an entry fails its checksum. The
// documented recovery, done by Recover (the daemon may call it when Open
// fails with ErrCorrupt), is to move the file aside as
// <path>.corrupt-<unix time> and start an empty queue that records the loss
// in Stats.Recoveries and, when the old file could still be counted,
// Stats.Lost.
package outbox

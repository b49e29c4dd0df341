// Package storage is how yogamirror puts files on the device's disk (an SD
// card that loses power without warning): a file is written under a hidden
// temporary name beside its final one, fsynced, renamed over the final name
// and its directory fsynced, so after a crash the path holds either the old
// content or the new, complete one — never a torn mix. One home for the
// write that the event counters, the MQTT hand-off mark, downloaded models
// and datasets, the keypoint cache and trained models all need.
//
// Reading is bounded the same way everywhere (read.go): Open and ReadFile
// refuse what is not a regular file without blocking on it (a FIFO named
// .jpg, a symlink to /dev/zero) and stop at a Limit that names the kind of
// file and the setting that raises it.
package storage

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Pending is a file being written; it gets its final name only on Commit.
// Writes go straight to the temporary file (it is an io.Writer), so large
// downloads can be streamed, hashed and checked before they are committed.
type Pending struct {
	f     *os.File
	final string
	perm  os.FileMode
	done  bool
}

// Create starts writing path: a hidden temporary file (".NAME.*.part") in
// the same directory, created with its parents. Commit or Abort it.
func Create(path string, perm os.FileMode) (*Pending, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.part")
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	return &Pending{f: f, final: path, perm: perm}, nil
}

// Write appends to the temporary file.
func (p *Pending) Write(b []byte) (int, error) { return p.f.Write(b) }

// File is the temporary file, for reading back what was written (seek first).
func (p *Pending) File() *os.File { return p.f }

// Commit makes the content durable and gives it its final name.
func (p *Pending) Commit() error {
	if p.done {
		return fmt.Errorf("storage: %s: already committed or aborted", p.final)
	}
	p.done = true
	tmp := p.f.Name()
	defer os.Remove(tmp) // a no-op after the rename
	err := p.f.Chmod(p.perm)
	if err == nil {
		err = p.f.Sync()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, p.final)
	}
	if err == nil {
		err = syncDir(filepath.Dir(p.final))
	}
	if err != nil {
		return fmt.Errorf("storage: writing %s: %w", p.final, err)
	}
	return nil
}

// Abort drops the temporary file; after Commit it does nothing, so it can
// be deferred.
func (p *Pending) Abort() {
	if p.done {
		return
	}
	p.done = true
	p.f.Close()
	os.Remove(p.f.Name())
}

// WriteFile replaces path atomically and durably with data.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	p, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer p.Abort()
	if _, err := p.Write(data); err != nil {
		return fmt.Errorf("storage: writing %s: %w", path, err)
	}
	return p.Commit()
}

// WriteFrom replaces path atomically and durably with what write writes
// (a PNG encoder, a JSON encoder…).
func WriteFrom(path string, perm os.FileMode, write func(io.Writer) error) error {
	p, err := Create(path, perm)
	if err != nil {
		return err
	}
	defer p.Abort()
	if err := write(p); err != nil {
		return fmt.Errorf("storage: writing %s: %w", path, err)
	}
	return p.Commit()
}

// IsTemp reports whether name is a temporary file Create makes, so a
// program can remove the ones a killed run left behind.
func IsTemp(name string) bool {
	base := filepath.Base(name)
	return len(base) > len(".x.part") && base[0] == '.' && filepath.Ext(base) == ".part"
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsync dir %s: %w", dir, err)
	}
	return nil
}

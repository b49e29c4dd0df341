package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// Sentinel errors of ReadFile and Open.
var (
	// ErrNotRegular means the path is a FIFO, a device, a socket or a
	// folder: something that could block the open, never end (/dev/zero)
	// or is not a file at all.
	ErrNotRegular = errors.New("not a regular file")
	// ErrTooLarge means the file is larger than its Limit.
	ErrTooLarge = errors.New("file too large")
)

// Limit caps what is read from one kind of file, so a wrong path (a
// symlink to /dev/zero, a 24 GB file named .jpg) fails at once with a
// message instead of eating the device's memory.
type Limit struct {
	Max  int64  // bytes; <= 0 means no cap (only the file-type check)
	What string // the kind of file, e.g. "classifier model"
	// Raise names the setting that raises the limit, e.g.
	// "limits.classifier_mib (--max-classifier-mib)"; empty for fixed limits.
	Raise string
}

// WithMax returns l with Max replaced when max > 0.
func (l Limit) WithMax(max int64) Limit {
	if max > 0 {
		l.Max = max
	}
	return l
}

func (l Limit) tooLarge(path string, size int64) error {
	how := ""
	if l.Raise != "" {
		how = "; raise it with " + l.Raise
	}
	what := l.What
	if what == "" {
		what = "this file"
	}
	s := "is larger than"
	if size > 0 {
		s = fmt.Sprintf("is %s, over", FormatSize(size))
	}
	return fmt.Errorf("storage: %s %s the %s limit for %s%s: %w", path, s, FormatSize(l.Max), what, how, ErrTooLarge)
}

// FormatSize prints a byte count the way limits are given (KiB, MiB, GiB).
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		if n%(1<<20) == 0 {
			return fmt.Sprintf("%d MiB", n>>20)
		}
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		if n%(1<<10) == 0 {
			return fmt.Sprintf("%d KiB", n>>10)
		}
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// File is a regular file opened for reading by Open. Reads past its
// Limit fail with ErrTooLarge instead of going on.
type File struct {
	f    *os.File
	path string
	lim  Limit
	left int64 // bytes that may still be read, +1 to detect going over
}

// Open opens path for reading after checking that it is a regular file
// no larger than lim. The open itself cannot block: it is made with
// O_NONBLOCK, so a FIFO named like a photo is refused instead of waiting
// for a writer forever. Symlinks are followed; what they point to must be
// a regular file.
func Open(path string, lim Limit) (*File, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("storage: %w", &fs.PathError{Op: "open", Path: path, Err: err})
	}
	f := os.NewFile(uintptr(fd), path)
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("storage: %w", err)
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("storage: %s: %w (%s)", path, ErrNotRegular, describeMode(st.Mode()))
	}
	if lim.Max > 0 && st.Size() > lim.Max {
		f.Close()
		return nil, lim.tooLarge(path, st.Size())
	}
	return &File{f: f, path: path, lim: lim, left: lim.Max}, nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// Read reads from the file; it fails with ErrTooLarge once more than the
// limit has been read (a file that grows while it is read).
func (f *File) Read(p []byte) (int, error) {
	if f.lim.Max <= 0 {
		return f.f.Read(p)
	}
	if f.left < 0 {
		return 0, f.lim.tooLarge(f.path, 0)
	}
	if int64(len(p)) > f.left+1 {
		p = p[:f.left+1]
	}
	n, err := f.f.Read(p)
	f.left -= int64(n)
	if f.left < 0 {
		return n - 1, f.lim.tooLarge(f.path, 0)
	}
	return n, err
}

// ReadAt reads from an offset (for files read from their end, such as
// logs); the limit applies to Read only.
func (f *File) ReadAt(p []byte, off int64) (int, error) { return f.f.ReadAt(p, off) }

// Size is the file's current size.
func (f *File) Size() (int64, error) {
	st, err := f.f.Stat()
	if err != nil {
		return 0, err
	}
	return st.Size(), nil
}

// Name is the path given to Open.
func (f *File) Name() string { return f.path }

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadFile reads a whole regular file of at most lim.Max bytes (see Open).
func ReadFile(path string, lim Limit) ([]byte, error) {
	f, err := Open(path, lim)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.f.Stat()
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	buf := make([]byte, 0, st.Size()+1)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			if errors.Is(err, ErrTooLarge) {
				return nil, err
			}
			return nil, fmt.Errorf("storage: reading %s: %w", path, err)
		}
	}
}

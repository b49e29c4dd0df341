package yoga82

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
)

// Entry is one line of a split file (yoga_train.txt, yoga_test.txt).
type Entry struct {
	Path                     string // "Pose_folder/N.jpg"
	Class6, Class20, Class82 int
	Line                     int // 1-based line in the split file
}

// Label returns the entry's class id at level l, or -1 for an unknown level.
func (e Entry) Label(l Level) int {
	switch l {
	case Level6:
		return e.Class6
	case Level20:
		return e.Class20
	case Level82:
		return e.Class82
	}
	return -1
}

// Folder returns the folder part of the entry's path: its class name.
func (e Entry) Folder() string { return folder(e.Path) }

func folder(p string) string {
	if i := strings.IndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

// metadataLimit caps the Yoga-82 metadata files; the largest shipped one
// is 1.1 MB.
func metadataLimit() storage.Limit {
	return storage.Limit{Max: 64 << 20, What: "Yoga-82 metadata files"}
}

// ReadSplit reads a split file.
func ReadSplit(path string) ([]Entry, error) {
	f, err := storage.Open(path, metadataLimit())
	if err != nil {
		return nil, fmt.Errorf("yoga82: %w", err)
	}
	defer f.Close()
	return ParseSplit(f, filepath.Base(path))
}

// ParseSplit parses split lines "Pose_folder/N.jpg,class6,class20,class82".
// Blank lines are skipped; name is used in error messages.
func ParseSplit(r io.Reader, name string) ([]Entry, error) {
	var out []Entry
	err := eachLine(r, name, func(n int, line string) error {
		e, err := parseEntry(line)
		if err != nil {
			return err
		}
		e.Line = n
		out = append(out, e)
		return nil
	})
	return out, err
}

func parseEntry(line string) (Entry, error) {
	// The path is everything before the last three commas, so a comma in a
	// folder name would still parse.
	f := strings.Split(line, ",")
	if len(f) < 4 {
		return Entry{}, fmt.Errorf("want path,class6,class20,class82, got %d field(s)", len(f))
	}
	var ids [3]int
	for i, s := range f[len(f)-3:] {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			return Entry{}, fmt.Errorf("class id %q is not a non-negative integer", s)
		}
		ids[i] = n
	}
	p := strings.Join(f[:len(f)-3], ",")
	if err := checkImagePath(p); err != nil {
		return Entry{}, err
	}
	return Entry{Path: p, Class6: ids[0], Class20: ids[1], Class82: ids[2]}, nil
}

// checkImagePath accepts "Folder/name" with no empty, "." or ".." parts.
func checkImagePath(p string) error {
	parts := strings.Split(p, "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" || path.Clean(p) != p ||
		parts[0] == ".." || strings.Contains(p, `\`) {
		return fmt.Errorf("image path %q is not Folder/name", p)
	}
	return nil
}

// eachLine calls fn for every non-blank line with its 1-based number, without
// a trailing CR, and prefixes errors with name:line.
func eachLine(r io.Reader, name string, fn func(n int, line string) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff")
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if err := fn(n, line); err != nil {
			return fmt.Errorf("yoga82: %s:%d: %w", name, n, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("yoga82: %s:%d: %w", name, n+1, err)
	}
	return nil
}

// Validate checks split entries against the hierarchy: ids in range, 20 and
// 6 labels equal to the parents of the 82 label, folder equal to the class
// name, no path listed twice. It reports up to 10 problems at once.
func (h *Hierarchy) Validate(name string, entries []Entry) error {
	var errs []error
	seen := make(map[string]int, len(entries))
	for _, e := range entries {
		if len(errs) == 10 {
			errs = append(errs, errors.New("yoga82: more problems not shown"))
			break
		}
		if err := h.checkEntry(e); err != nil {
			errs = append(errs, fmt.Errorf("yoga82: %s:%d: %w", name, e.Line, err))
		}
		if prev, dup := seen[e.Path]; dup {
			errs = append(errs, fmt.Errorf("yoga82: %s:%d: %s already listed on line %d", name, e.Line, e.Path, prev))
		}
		seen[e.Path] = e.Line
	}
	return errors.Join(errs...)
}

func (h *Hierarchy) checkEntry(e Entry) error {
	if h.Name(Level82, e.Class82) == "" {
		return fmt.Errorf("class82 %d out of range", e.Class82)
	}
	if p := h.Parent(Level20, e.Class82); p != e.Class20 {
		return fmt.Errorf("class20 %d, but class82 %d belongs to class20 %d", e.Class20, e.Class82, p)
	}
	if p := h.Parent(Level6, e.Class82); p != e.Class6 {
		return fmt.Errorf("class6 %d, but class82 %d belongs to class6 %d", e.Class6, e.Class82, p)
	}
	if want := h.Name(Level82, e.Class82); e.Folder() != want {
		return fmt.Errorf("folder %q, but class82 %d is %q", e.Folder(), e.Class82, want)
	}
	return nil
}

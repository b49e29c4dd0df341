// Package yoga82 reads the official Yoga-82 metadata: the three-level class
// hierarchy (6, 20 and 82 classes), the train/test split lists and the
// per-pose URL lists, and checks and summarises a local copy of the images.
//
// Paths in this package are the dataset's own relative names,
// "Pose_folder/N.jpg", always with forward slashes; the folder of an image is
// the name of its 82-level class.
package yoga82

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"

	"github.com/yogamirror/yogamirror/device/storage"
)

// Level is a level of the class hierarchy, named by its number of classes.
type Level int

// The three levels of the Yoga-82 hierarchy.
const (
	Level6  Level = 6
	Level20 Level = 20
	Level82 Level = 82
)

// Levels lists the levels from coarse to fine.
var Levels = [3]Level{Level6, Level20, Level82}

// String returns "6", "20" or "82".
func (l Level) String() string { return strconv.Itoa(int(l)) }

func (l Level) index() (int, error) {
	switch l {
	case Level6:
		return 0, nil
	case Level20:
		return 1, nil
	case Level82:
		return 2, nil
	}
	return 0, fmt.Errorf("yoga82: level %d is not 6, 20 or 82", int(l))
}

// Counts are the image counts the hierarchy file states for a class.
type Counts struct {
	Train, Test, URLs int
}

// Hierarchy is the class tree of yoga82_class_hierarchy.csv. Class ids are
// dense: the names slice of a level is indexed by id.
type Hierarchy struct {
	names [3][]string
	// parent[0] and parent[1] map an 82-level id to its 6- and 20-level id.
	parent [2][]int
	counts []Counts
	byName map[string]int
}

// Names returns the class names of a level indexed by id (a copy), or nil for
// an unknown level.
func (h *Hierarchy) Names(l Level) []string {
	i, err := l.index()
	if err != nil {
		return nil
	}
	return append([]string(nil), h.names[i]...)
}

// Name returns the name of class id at level l, or "" if there is none.
func (h *Hierarchy) Name(l Level, id int) string {
	i, err := l.index()
	if err != nil || id < 0 || id >= len(h.names[i]) {
		return ""
	}
	return h.names[i][id]
}

// Parent maps an 82-level class id to its id at level l (l = 82 returns id).
// It returns -1 for an unknown id or level.
func (h *Hierarchy) Parent(l Level, id82 int) int {
	if id82 < 0 || id82 >= len(h.names[2]) {
		return -1
	}
	switch l {
	case Level6:
		return h.parent[0][id82]
	case Level20:
		return h.parent[1][id82]
	case Level82:
		return id82
	}
	return -1
}

// Class82 returns the 82-level id of a class by its name, which is also the
// folder of its images.
func (h *Hierarchy) Class82(name string) (int, bool) {
	id, ok := h.byName[name]
	return id, ok
}

// Counts returns the counts stated for an 82-level class.
func (h *Hierarchy) Counts(id82 int) Counts {
	if id82 < 0 || id82 >= len(h.counts) {
		return Counts{}
	}
	return h.counts[id82]
}

// hierarchyHeader is the header of the official file; columns are found by
// name so that their order does not matter.
var hierarchyHeader = []string{
	"class82_id", "class82_name", "class20_id", "class20_name",
	"class6_id", "class6_name", "n_train", "n_test", "n_url_lines",
}

// ReadHierarchy reads a yoga82_class_hierarchy.csv file.
func ReadHierarchy(path string) (*Hierarchy, error) {
	f, err := storage.Open(path, metadataLimit())
	if err != nil {
		return nil, fmt.Errorf("yoga82: %w", err)
	}
	defer f.Close()
	return ParseHierarchy(f, filepath.Base(path))
}

// ParseHierarchy parses the hierarchy CSV; name is used in error messages.
func ParseHierarchy(r io.Reader, name string) (*Hierarchy, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("yoga82: %s:1: reading header: %w", name, err)
	}
	col := map[string]int{}
	for i, c := range head {
		col[c] = i
	}
	for _, c := range hierarchyHeader {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("yoga82: %s:1: header lacks column %q", name, c)
		}
	}
	b := newHierarchyBuilder()
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, fmt.Errorf("yoga82: %s:%d: %w", name, line, err)
		}
		if err := b.add(rec, col); err != nil {
			return nil, fmt.Errorf("yoga82: %s:%d: %w", name, line, err)
		}
	}
	h, err := b.build()
	if err != nil {
		return nil, fmt.Errorf("yoga82: %s: %w", name, err)
	}
	return h, nil
}

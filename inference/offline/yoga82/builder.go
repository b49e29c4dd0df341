package yoga82

import (
	"fmt"
	"strconv"
	"strings"
)

// hierarchyBuilder collects rows of the hierarchy file and checks that they
// describe one tree with dense ids.
type hierarchyBuilder struct {
	names  [3]map[int]string
	parent [2]map[int]int // 82 id -> 6 id, 82 id -> 20 id
	up20   map[int]int    // 20 id -> 6 id, to check that the tree is a tree
	counts map[int]Counts
}

func newHierarchyBuilder() *hierarchyBuilder {
	b := &hierarchyBuilder{up20: map[int]int{}, counts: map[int]Counts{}}
	for i := range b.names {
		b.names[i] = map[int]string{}
	}
	for i := range b.parent {
		b.parent[i] = map[int]int{}
	}
	return b
}

func field(rec []string, col map[string]int, name string) (string, error) {
	i := col[name]
	if i >= len(rec) {
		return "", fmt.Errorf("want %d fields, got %d", len(col), len(rec))
	}
	return strings.TrimSpace(rec[i]), nil
}

func intField(rec []string, col map[string]int, name string) (int, error) {
	s, err := field(rec, col, name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s %q is not a non-negative integer", name, s)
	}
	return n, nil
}

func (b *hierarchyBuilder) add(rec []string, col map[string]int) error {
	var ids [3]int
	var names [3]string
	for i, p := range []string{"class6", "class20", "class82"} {
		var err error
		if ids[i], err = intField(rec, col, p+"_id"); err != nil {
			return err
		}
		if names[i], err = field(rec, col, p+"_name"); err != nil {
			return err
		}
		if names[i] == "" {
			return fmt.Errorf("%s_name is empty", p)
		}
		if old, ok := b.names[i][ids[i]]; ok && (i == 2 || old != names[i]) {
			return fmt.Errorf("%s_id %d is already %q", p, ids[i], old)
		}
		b.names[i][ids[i]] = names[i]
	}
	if up, ok := b.up20[ids[1]]; ok && up != ids[0] {
		return fmt.Errorf("class20 %d has two parents: class6 %d and %d", ids[1], up, ids[0])
	}
	b.up20[ids[1]] = ids[0]
	b.parent[0][ids[2]] = ids[0]
	b.parent[1][ids[2]] = ids[1]
	var c Counts
	var err error
	if c.Train, err = intField(rec, col, "n_train"); err != nil {
		return err
	}
	if c.Test, err = intField(rec, col, "n_test"); err != nil {
		return err
	}
	if c.URLs, err = intField(rec, col, "n_url_lines"); err != nil {
		return err
	}
	b.counts[ids[2]] = c
	return nil
}

func (b *hierarchyBuilder) build() (*Hierarchy, error) {
	h := &Hierarchy{byName: map[string]int{}}
	for i, l := range Levels {
		n := len(b.names[i])
		if n == 0 {
			return nil, fmt.Errorf("no classes")
		}
		h.names[i] = make([]string, n)
		for id := 0; id < n; id++ {
			name, ok := b.names[i][id]
			if !ok {
				return nil, fmt.Errorf("level %v: ids are not 0..%d: %d is missing", l, n-1, id)
			}
			h.names[i][id] = name
		}
	}
	n82 := len(h.names[2])
	h.parent = [2][]int{make([]int, n82), make([]int, n82)}
	h.counts = make([]Counts, n82)
	for id := 0; id < n82; id++ {
		h.parent[0][id] = b.parent[0][id]
		h.parent[1][id] = b.parent[1][id]
		h.counts[id] = b.counts[id]
		name := h.names[2][id]
		if old, dup := h.byName[name]; dup {
			return nil, fmt.Errorf("class82 name %q is used by ids %d and %d", name, old, id)
		}
		h.byName[name] = id
	}
	return h, nil
}

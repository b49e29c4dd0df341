package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/yogamirror/yogamirror/inference/offline/dataset"
	"github.com/yogamirror/yogamirror/inference/offline/train"
	"github.com/yogamirror/yogamirror/inference/offline/yoga82"
)

// datasetFlags say how DATASET arguments become labelled poses.
type datasetFlags struct {
	mapping   string
	splits    multiFlag // DIR=FILE
	order     string
	hierarchy string
	level     int
	workers   int
	cache     string
}

// loader turns dataset arguments into examples, extracting keypoints from
// photos through MoveNet (with the cache) and reading keypoint CSVs.
type loader struct {
	df     *datasetFlags
	inf    *inferFlags
	m      dataset.Map
	splits map[string]string // abs dir → split file
	h      *yoga82.Hierarchy
	stderr io.Writer
	failed []string          // undecodable images
	seen   map[string]bool   // class folders and CSV labels met, for --map's check
	given  map[string]string // datasets (resolved path) → the argument that named them
	images map[string]bool   // photos loaded (resolved path)
}

func (d *datasetFlags) check(r *ranges) {
	r.int("workers", d.workers, 1, 256)
	if d.level != 6 && d.level != 20 && d.level != 82 {
		*r = append(*r, fmt.Errorf("--level %d: want 6, 20 or 82", d.level))
	}
}

func newLoader(df *datasetFlags, inf *inferFlags, stderr io.Writer) (*loader, error) {
	m, err := dataset.ParseMap(df.mapping)
	if err != nil {
		return nil, err
	}
	l := &loader{df: df, inf: inf, m: m, splits: map[string]string{}, stderr: stderr,
		seen: map[string]bool{}, given: map[string]string{}, images: map[string]bool{}}
	for _, s := range df.splits {
		dir, file, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("--split %q: want DIR=FILE", s)
		}
		l.splits[abs(dir)] = file
	}
	if df.hierarchy != "" {
		if l.h, err = yoga82.ReadHierarchy(df.hierarchy); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// load reads one DATASET argument: a class-per-folder tree or a keypoint
// CSV. A tree may name its split list directly as DIR=SPLITFILE (overriding
// --split for that argument).
func (l *loader) load(ctx context.Context, arg string) ([]train.Example, error) {
	path, split, _ := strings.Cut(arg, "=")
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if first, dup := l.given[resolved(path)]; dup {
		fmt.Fprintf(l.stderr, "%s: the same dataset as %s; counted once\n", arg, first)
		return nil, nil
	}
	l.given[resolved(path)] = arg
	if st.IsDir() {
		if split == "" {
			split = l.splits[abs(path)]
		}
		return l.loadImages(ctx, path, split)
	}
	if split != "" {
		return nil, fmt.Errorf("%s: split lists apply to photo folders, not CSVs", arg)
	}
	return l.loadCSV(path)
}

func (l *loader) loadImages(ctx context.Context, dir, split string) ([]train.Example, error) {
	items, err := dataset.ReadFolders(dir, l.m)
	if err != nil {
		return nil, err
	}
	if split != "" {
		set, err := dataset.ReadSplit(split, l.inf.limits.listBytes())
		if err != nil {
			return nil, err
		}
		if items, err = dataset.FilterSplit(items, set, split); err != nil {
			return nil, err
		}
	}
	items = l.unique(items)
	results, err := extract(ctx, items, l.inf, l.df.workers, l.df.cache, l.stderr)
	if err != nil {
		return nil, err
	}
	var out []train.Example
	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(l.stderr, "skipped: %v\n", r.Err)
			l.failed = append(l.failed, r.Item.Path)
			continue
		}
		out = append(out, train.Example{Pose: r.Pose, Label: r.Item.Label, Source: r.Item.Path})
	}
	return out, nil
}

// unique drops photos already loaded (the same file in two trees, or
// through a symlink), saying how many.
func (l *loader) unique(items []dataset.Item) []dataset.Item {
	var out []dataset.Item
	dups := 0
	for _, it := range items {
		l.seen[it.Folder] = true
		key := resolved(it.Path)
		if l.images[key] {
			dups++
			continue
		}
		l.images[key] = true
		out = append(out, it)
	}
	if dups > 0 {
		fmt.Fprintf(l.stderr, "%d photo(s) given twice; each counted once\n", dups)
	}
	return out
}

// checkMap fails when --map names a folder or label no dataset has.
func (l *loader) checkMap() error {
	return checkMapUsed(l.m, l.seen, "class folder or CSV label in the datasets")
}

// resolved is path made absolute with symlinks followed, so one file
// named two ways is recognised.
func resolved(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		path = r
	}
	return abs(path)
}

func (l *loader) loadCSV(path string) ([]train.Example, error) {
	if l.df.order == "" {
		return nil, fmt.Errorf("%s: say which coordinate comes first in the CSV with --order xy or --order yx", path)
	}
	order, err := dataset.ParseOrder(l.df.order)
	if err != nil {
		return nil, err
	}
	rows, err := dataset.ReadKeypointCSV(path, order, l.inf.limits.listBytes())
	if err != nil {
		return nil, err
	}
	var out []train.Example
	for i, r := range rows {
		label, err := l.csvLabel(r.Label)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, i+2, err)
		}
		l.seen[label] = true
		if label, ok := l.m.Label(label); ok {
			out = append(out, train.Example{Pose: r.Pose, Label: label, Source: fmt.Sprintf("%s:%d", filepath.Base(path), i+2)})
		}
	}
	return out, nil
}

// csvLabel turns a numeric Yoga-82 class id into its name when --hierarchy is set.
func (l *loader) csvLabel(s string) (string, error) {
	if l.h == nil {
		return s, nil
	}
	id, err := strconv.Atoi(s)
	if err != nil {
		return "", fmt.Errorf("label %q is not a class number (needed with --hierarchy)", s)
	}
	lv := yoga82.Level(l.df.level)
	names := l.h.Names(lv)
	if id < 0 || id >= len(names) {
		return "", fmt.Errorf("class %d out of range for level %d", id, l.df.level)
	}
	return names[id], nil
}

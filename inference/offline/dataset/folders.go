// Package dataset reads labelled pose data — class-per-folder photo trees
// with optional split lists, Yoga-82 split files, keypoint CSVs — and turns
// photos into keypoints through the real estimator, in parallel, with an
// on-disk cache keyed by image content and model.
package dataset

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
)

// Item is one labelled image.
type Item struct {
	Path   string // file on disk
	Rel    string // path relative to the dataset root (as split lists name it)
	Folder string // the class folder it came from
	Label  string // the class after mapping
}

// Map renames class folders to labels; folders it does not name are skipped.
// An empty Map keeps every folder under its own name.
type Map map[string]string

// ParseMap reads 'Downdog=downdog,dog=downdog'.
func ParseMap(s string) (Map, error) {
	m := Map{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, pair := range strings.Split(s, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(pair), "=")
		from, to = strings.TrimSpace(from), strings.TrimSpace(to)
		if !ok || from == "" || to == "" {
			return nil, fmt.Errorf("dataset: map entry %q: want folder=label", pair)
		}
		if prev, dup := m[from]; dup && prev != to {
			return nil, fmt.Errorf("dataset: map sends %q to both %q and %q", from, prev, to)
		}
		m[from] = to
	}
	return m, nil
}

// Unused lists, sorted, the folders the map names that are not in seen (the
// class folders and CSV labels the datasets have): a typo there would
// silently drop a class.
func (m Map) Unused(seen map[string]bool) []string {
	var out []string
	for from := range m {
		if !seen[from] {
			out = append(out, from)
		}
	}
	sort.Strings(out)
	return out
}

// Label returns the label for a folder and whether the folder is used.
func (m Map) Label(folder string) (string, bool) {
	if len(m) == 0 {
		return folder, true
	}
	l, ok := m[folder]
	return l, ok
}

var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".webp": true, ".gif": true, ".bmp": true}

// IsImageName reports whether a file name has an image extension.
func IsImageName(name string) bool { return imageExts[strings.ToLower(filepath.Ext(name))] }

// ReadFolders lists a class-per-folder tree: root/<class>/<image>. Folders
// the map skips are ignored; an empty used folder is an error, as is a tree
// with no used folders.
func ReadFolders(root string, m Map) ([]Item, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	var items []Item
	used := 0
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		label, ok := m.Label(e.Name())
		if !ok {
			continue
		}
		used++
		files, err := os.ReadDir(filepath.Join(root, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("dataset: %w", err)
		}
		n := 0
		for _, f := range files {
			if f.IsDir() || !IsImageName(f.Name()) {
				continue
			}
			rel := e.Name() + "/" + f.Name()
			items = append(items, Item{Path: filepath.Join(root, e.Name(), f.Name()), Rel: rel, Folder: e.Name(), Label: label})
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("dataset: class folder %s has no images", filepath.Join(root, e.Name()))
		}
	}
	if used == 0 {
		return nil, fmt.Errorf("dataset: %s has no class folders%s", root, mapHint(m))
	}
	sort.Slice(items, func(a, b int) bool { return items[a].Rel < items[b].Rel })
	return items, nil
}

func mapHint(m Map) string {
	if len(m) == 0 {
		return ""
	}
	names := make([]string, 0, len(m))
	for f := range m {
		names = append(names, fmt.Sprintf("%q", f))
	}
	sort.Strings(names)
	return " named in the map (" + strings.Join(names, ", ") + ")"
}

// ReadSplit reads a split list: one path relative to the dataset root per
// line (as in yoga5_photos/split_train.txt), blank lines and # comments
// ignored. max caps the file's size (0: storage.ListLimit's default).
func ReadSplit(path string, max int64) (map[string]bool, error) {
	f, err := storage.Open(path, storage.ListLimit(max))
	if err != nil {
		return nil, fmt.Errorf("dataset: split: %w", err)
	}
	defer f.Close()
	set := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		set[filepath.ToSlash(l)] = true
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dataset: split %s: %w", path, err)
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("dataset: split %s lists no files", path)
	}
	return set, nil
}

// FilterSplit keeps the items a split lists (matching on Rel). It fails when
// the split names a file in one of the items' folders that is not there (a
// typo or a deleted photo would silently shrink the set); entries in other
// folders are fine, since a map may leave folders out.
func FilterSplit(items []Item, split map[string]bool, name string) ([]Item, error) {
	var out []Item
	found, folders := map[string]bool{}, map[string]bool{}
	for _, it := range items {
		folders[it.Folder] = true
		if split[it.Rel] {
			out = append(out, it)
			found[it.Rel] = true
		}
	}
	var missing []string
	for rel := range split {
		folder, _, _ := strings.Cut(rel, "/")
		if !found[rel] && folders[folder] {
			missing = append(missing, rel)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		return nil, fmt.Errorf("dataset: split %s lists %d file(s) the tree does not have, e.g. %s", name, len(missing), missing[0])
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dataset: split %s matches none of the tree's files", name)
	}
	return out, nil
}

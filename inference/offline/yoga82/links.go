package yoga82

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
)

// Link is one line of a link file (yoga_dataset_links/<Pose>.txt).
type Link struct {
	// Path is where the image belongs: "Pose/N.jpg" with the link file's
	// own name as the folder, so that it matches the split files.
	Path string
	// Listed is the path as written in the link file. Two files spell their
	// folder differently from their file name and the split files
	// ("Sitting_pose_1_normal" in "Sitting pose 1 (normal).txt").
	Listed string
	URL    string
	File   string // the link file's base name
	Line   int
}

// ReadLinks reads one link file: lines "Pose/N.jpg<TAB>url".
func ReadLinks(path string) ([]Link, error) {
	f, err := storage.Open(path, metadataLimit())
	if err != nil {
		return nil, fmt.Errorf("yoga82: %w", err)
	}
	defer f.Close()
	base := filepath.Base(path)
	pose := strings.TrimSuffix(base, filepath.Ext(base))
	var out []Link
	err = eachLine(f, base, func(n int, line string) error {
		listed, url, ok := strings.Cut(line, "\t")
		listed, url = strings.TrimSpace(listed), strings.TrimSpace(url)
		if !ok || url == "" {
			return fmt.Errorf("want path<TAB>url, got %q", clip(line, 80))
		}
		if err := checkImagePath(listed); err != nil {
			return err
		}
		out = append(out, Link{
			Path:   pose + "/" + listed[strings.IndexByte(listed, '/')+1:],
			Listed: listed, URL: url, File: base, Line: n,
		})
		return nil
	})
	return out, err
}

// ReadLinksDir reads every *.txt link file in dir, in file-name order.
func ReadLinksDir(dir string) ([]Link, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		return nil, fmt.Errorf("yoga82: %w", err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("yoga82: no *.txt link files in %s", dir)
	}
	sort.Strings(files)
	var out []Link
	for _, f := range files {
		l, err := ReadLinks(f)
		if err != nil {
			return nil, err
		}
		out = append(out, l...)
	}
	return out, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

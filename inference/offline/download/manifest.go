package download

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// ManifestName is the manifest's file name inside the output folder: JSON
// Lines, one Record per attempt, the last record of a path being the one
// that counts. Run compacts it to one record per path when it starts.
const ManifestName = "manifest.jsonl"

// SummaryName is the file name of the JSON summary of the last run.
const SummaryName = "summary.json"

// Status values of a Record.
const (
	StatusOK     = "ok"
	StatusFailed = "failed"
)

// Record is the outcome of fetching one image.
type Record struct {
	Path   string `json:"path"`
	URL    string `json:"url"`
	Status string `json:"status"`
	HTTP   int    `json:"http,omitempty"` // last HTTP status seen
	Bytes  int64  `json:"bytes,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	// ContentType is what the server said; Format is what the bytes are.
	ContentType string `json:"content_type,omitempty"`
	Format      string `json:"format,omitempty"`
	Width       int    `json:"width,omitempty"`
	Height      int    `json:"height,omitempty"`
	Reason      string `json:"reason,omitempty"`
	// Permanent failures (404, 410, not an image…) are not retried by
	// later runs unless asked to; others are.
	Permanent bool      `json:"permanent,omitempty"`
	Attempts  int       `json:"attempts"`
	Time      time.Time `json:"time"`
}

// ReadManifest reads a manifest and returns the last record of each path,
// sorted by path. A missing file is an empty manifest. A torn last line (a
// crash while writing) is ignored; a bad line elsewhere is an error.
func ReadManifest(path string) ([]Record, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	last := map[string]Record{}
	lines := bytes.Split(data, []byte("\n"))
	for i, line := range lines {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(line, &r); err != nil || r.Path == "" {
			if i == len(lines)-1 {
				break // torn final line, no newline after it
			}
			return nil, fmt.Errorf("download: %s:%d: bad manifest record: %v", filepath.Base(path), i+1, err)
		}
		last[r.Path] = r
	}
	out := make([]Record, 0, len(last))
	for _, r := range last {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// manifest appends records to the manifest file, one write per record so a
// crash loses at most the record being written.
type manifest struct {
	f *os.File
}

// openManifest compacts the manifest in dir to one record per path (via a
// temporary file and a rename) and opens it for appending.
func openManifest(dir string) (*manifest, map[string]Record, error) {
	path := filepath.Join(dir, ManifestName)
	recs, err := ReadManifest(path)
	if err != nil {
		return nil, nil, err
	}
	var buf bytes.Buffer
	known := make(map[string]Record, len(recs))
	for _, r := range recs {
		known[r.Path] = r
		b, _ := json.Marshal(r)
		buf.Write(append(b, '\n'))
	}
	if err := storage.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return nil, nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("download: %w", err)
	}
	return &manifest{f: f}, known, nil
}

func (m *manifest) add(r Record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("download: manifest: %w", err)
	}
	if _, err := m.f.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("download: manifest: %w", err)
	}
	return nil
}

// close syncs the manifest to disk and closes it.
func (m *manifest) close() error {
	err := m.f.Sync()
	if cerr := m.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("download: manifest: %w", err)
	}
	return nil
}

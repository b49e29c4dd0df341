package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestInstallDownloads serves two files, one with a wrong checksum: the good
// one lands (0644, progress reported), the bad one never gets its name, and
// a second run leaves the installed file alone.
func TestInstallDownloads(t *testing.T) {
	good, evil := []byte("model bytes"), []byte("tampered")
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits[r.URL.Path]++
		switch r.URL.Path {
		case "/good":
			w.Write(good)
		case "/evil":
			w.Write(evil)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	var progress int
	o := Opts{Dir: dir, Progress: func(string, int64, int64) { progress++ }}
	files := []File{{Name: "a.tflite", URL: srv.URL + "/good", SHA256: sum(good)}}
	if _, err := Install(context.Background(), files, o); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, "a.tflite"))
	if err != nil || st.Mode().Perm() != 0o644 || progress == 0 {
		t.Fatalf("installed: %v, mode %v, %d progress calls", err, st.Mode(), progress)
	}
	did, err := Install(context.Background(), files, o)
	if err != nil || hits["/good"] != 1 || !strings.Contains(did[0], "present") {
		t.Fatalf("second run: %v %v, %d downloads", did, err, hits["/good"])
	}
	bad := []File{{Name: "b.tflite", URL: srv.URL + "/evil", SHA256: sum(good)}}
	if _, err := Install(context.Background(), bad, o); !errors.Is(err, ErrChecksum) {
		t.Fatalf("tampered download: %v", err)
	}
	missing := []File{{Name: "c.tflite", URL: srv.URL + "/gone", SHA256: sum(good)}}
	if _, err := Install(context.Background(), missing, o); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("404: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("folder holds %d entries, want only a.tflite (no partial files)", len(entries))
	}
}

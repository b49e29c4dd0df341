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

// Ensure leaves a folder with MoveNet alone and, when it cannot fetch the
// models, names the command that fixes it.
func TestEnsure(t *testing.T) {
	dir := t.TempDir()
	err := Ensure(context.Background(), Opts{Dir: dir, Mirror: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "yogamirror models fetch --dir "+dir) {
		t.Fatalf("Ensure with an empty mirror: %v, want an error naming `yogamirror models fetch`", err)
	}
	if err := os.WriteFile(filepath.Join(dir, MoveNetLightning), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Ensure(context.Background(), Opts{Dir: dir, Mirror: t.TempDir()}); err != nil {
		t.Fatalf("Ensure with MoveNet present: %v", err)
	}
}

func TestDefaultClassifier(t *testing.T) {
	dir := t.TempDir()
	if got := DefaultClassifier(dir); got != filepath.Join(dir, YogaClassifier) {
		t.Errorf("without an own model: %s", got)
	}
	own := filepath.Join(dir, ClassifierFile)
	if err := os.WriteFile(own, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := DefaultClassifier(dir); got != own {
		t.Errorf("with an own model: %s, want %s", got, own)
	}
}

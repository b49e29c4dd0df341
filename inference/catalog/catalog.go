// Package catalog knows the models yogamirror runs by default — where they
// are officially published and their pinned SHA-256 — and installs them into
// a models folder, by download or by copying from a local mirror, verifying
// every byte before a file gets its final name.
package catalog

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// File is one published model file.
type File struct {
	Name   string // file name in the models folder
	URL    string // official address
	SHA256 string
}

// Defaults are MoveNet SinglePose Lightning int8 (v4) and the TensorFlow
// pose-classification tutorial's yoga classifier with its labels.
var Defaults = []File{
	{
		Name:   MoveNetLightning,
		URL:    "https://tfhub.dev/google/lite-model/movenet/singlepose/lightning/tflite/int8/4?lite-format=tflite",
		SHA256: "cd7cc22fa946e5d146a7b98d496853e1923e22828d3972d579973f27f91bb105",
	},
	{
		Name:   YogaClassifier,
		URL:    "https://storage.googleapis.com/download.tensorflow.org/models/tflite/pose_classifier/yoga_classifier.tflite",
		SHA256: "5e3946505789c0e317bf9d9e2d93e8364bda0239e75b05e7ac5d2cca5beb85c7",
	},
	{
		Name:   YogaLabels,
		URL:    "https://storage.googleapis.com/download.tensorflow.org/models/tflite/pose_classifier/yoga_labels.txt",
		SHA256: "422e39f762ce3ba94dd7d1f3009c57817f928e72c98277969bc6a1241d136cd6",
	},
}

// File names in a models folder.
const (
	MoveNetLightning = "movenet_singlepose_lightning_int8.tflite"
	YogaClassifier   = "yoga_classifier.tflite"
	YogaLabels       = "yoga_labels.txt"
)

// Opts configure Install.
type Opts struct {
	Dir    string // models folder to fill
	Mirror string // local folder to copy from instead of downloading (e.g. $YOGAMIRROR_MODELS)
	Client *http.Client
	// Progress reports bytes received for one file (total -1 when unknown).
	Progress func(name string, done, total int64)
}

// ErrChecksum means a file's content is not the pinned one.
var ErrChecksum = errors.New("catalog: checksum mismatch")

// Install makes sure every file is in o.Dir with the right checksum; files
// already there and correct are left alone. It returns what it did per file.
func Install(ctx context.Context, files []File, o Opts) ([]string, error) {
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	var did []string
	for _, f := range files {
		dst := filepath.Join(o.Dir, f.Name)
		if sum, err := fileSHA256(dst); err == nil && sum == f.SHA256 {
			did = append(did, f.Name+": present, checksum ok")
			continue
		}
		how, err := fetchOne(ctx, f, dst, o)
		if err != nil {
			return did, err
		}
		did = append(did, f.Name+": "+how)
	}
	return did, nil
}

func fetchOne(ctx context.Context, f File, dst string, o Opts) (string, error) {
	// 0644: the service user must read what root installed.
	tmp, err := storage.Create(dst, 0o644)
	if err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	defer tmp.Abort()
	h := sha256.New()
	w := io.MultiWriter(tmp, h)
	how := "copied from " + o.Mirror
	if o.Mirror != "" {
		err = copyFrom(filepath.Join(o.Mirror, f.Name), w)
	} else {
		how = "downloaded from " + f.URL
		err = download(ctx, f, w, o)
	}
	if err != nil {
		return "", err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != f.SHA256 {
		return "", fmt.Errorf("%w: %s is %s, want %s", ErrChecksum, f.Name, got, f.SHA256)
	}
	if err := tmp.Commit(); err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	return how + ", checksum ok", nil
}

func copyFrom(src string, w io.Writer) error {
	in, err := storage.Open(src, storage.ModelLimit(0))
	if err != nil {
		return fmt.Errorf("catalog: mirror: %w", err)
	}
	defer in.Close()
	_, err = io.Copy(w, in)
	return err
}

func download(ctx context.Context, f File, w io.Writer, o Opts) error {
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Minute}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, f.URL, nil)
	if err != nil {
		return fmt.Errorf("catalog: %w", err)
	}
	req.Header.Set("User-Agent", "yogamirror")
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("catalog: download %s: %w", f.Name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("catalog: download %s: %s from %s", f.Name, resp.Status, f.URL)
	}
	pw := &progressWriter{w: w, name: f.Name, total: resp.ContentLength, report: o.Progress}
	if _, err := io.Copy(pw, resp.Body); err != nil {
		return fmt.Errorf("catalog: download %s: %w", f.Name, err)
	}
	return nil
}

type progressWriter struct {
	w           io.Writer
	name        string
	done, total int64
	report      func(string, int64, int64)
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.done += int64(n)
	if p.report != nil {
		p.report(p.name, p.done, p.total)
	}
	return n, err
}

func fileSHA256(path string) (string, error) {
	f, err := storage.Open(path, storage.ModelLimit(0))
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Pinned returns the catalog entry a file is, by its name, if any.
func Pinned(path string) (File, bool) {
	base := filepath.Base(path)
	for _, f := range Defaults {
		if f.Name == base {
			return f, true
		}
	}
	return File{}, false
}

// Verify checks a catalog file's content against its pinned SHA-256 at
// load, not only at download: a flipped byte in MoveNet or Google's
// classifier is an error wrapping ErrChecksum, naming the file. Files the
// catalog does not know are not its business (ok is false).
func Verify(path string, data []byte) (ok bool, err error) {
	f, pinned := Pinned(path)
	if !pinned {
		return false, nil
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); got != f.SHA256 {
		return true, fmt.Errorf("model corrupt: %w: %s has sha256 %s…, the catalog pins %s… for %s "+
			"(reinstall it with `yogamirror models fetch`)", ErrChecksum, path, got[:16], f.SHA256[:16], f.Name)
	}
	return true, nil
}

// ModelHash is a short content hash of a model file, for cache keys.
func ModelHash(path string) (string, error) {
	s, err := fileSHA256(path)
	if err != nil {
		return "", fmt.Errorf("catalog: %w", err)
	}
	return s[:16], nil
}

// ClassifierFile is the name `yogamirror train` gives its model, and the one
// a models folder's own classifier has.
const ClassifierFile = "classifier.tflite"

// DefaultClassifier is the classifier used when none is named: the models
// folder's own classifier.tflite (from `yogamirror train`) when present,
// else Google's yoga classifier in it.
func DefaultClassifier(dir string) string {
	own := filepath.Join(dir, ClassifierFile)
	if _, err := os.Stat(own); err == nil {
		return own
	}
	return filepath.Join(dir, YogaClassifier)
}

// Ensure installs the default models into o.Dir when MoveNet is missing
// there (a fresh device or checkout), from o.Mirror or the official URLs.
// It does nothing when MoveNet is present. The error names the command
// that fixes it.
func Ensure(ctx context.Context, o Opts) error {
	if _, err := os.Stat(filepath.Join(o.Dir, MoveNetLightning)); err == nil {
		return nil
	}
	if _, err := Install(ctx, Defaults, o); err != nil {
		return fmt.Errorf("models missing in %s and cannot be fetched (run `yogamirror models fetch --dir %s`, or give --models): %w", o.Dir, o.Dir, err)
	}
	return nil
}

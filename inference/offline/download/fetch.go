// Package download downloads a list of images resiliently: in parallel with a
// bound per host, retrying only transient failures with backoff, keeping a
// file only when it decodes completely as an image, never leaving a partial
// file under its final name, and remembering every outcome in a manifest so
// that a re-run fetches only what is missing.
package download

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// Job is one image to fetch: Path is relative to the output folder, with
// forward slashes ("Pose/12.jpg").
type Job struct {
	Path, URL string
}

// Opts configures Run. Zero fields take the defaults of DefaultOpts, except
// Retries (0 means no retries), Limit and RetryFailed.
type Opts struct {
	Workers      int           // parallel downloads
	PerHost      int           // parallel downloads per host
	Timeout      time.Duration // per request, including reading the body
	Retries      int           // extra tries after a transient failure
	Backoff      time.Duration // wait before the first retry; doubles each time
	MaxBytes     int64         // larger responses are rejected
	MaxPixels    int64         // larger images are rejected without decoding
	MaxRedirects int
	UserAgent    string
	// Limit caps the number of URLs tried in this run (0: no cap); the rest
	// are counted as NotTried.
	Limit int
	// RetryFailed tries again URLs that failed permanently in earlier runs.
	RetryFailed bool
	// Transport makes the requests; nil means a clone of
	// http.DefaultTransport.
	Transport http.RoundTripper
	// Progress, if set, is called after each finished download, from one
	// goroutine at a time.
	Progress func(Progress)
}

// DefaultOpts returns the defaults.
func DefaultOpts() Opts {
	return Opts{
		Workers: 16, PerHost: 4, Timeout: 20 * time.Second, Retries: 3,
		Backoff: time.Second, MaxBytes: 20 << 20, MaxPixels: 50_000_000, MaxRedirects: 10,
		UserAgent: "yogamirror-dataset-fetch/1.0 (Yoga-82 research download)",
	}
}

func (o Opts) withDefaults() (Opts, error) {
	d := DefaultOpts()
	if o.Workers < 0 || o.PerHost < 0 || o.Timeout < 0 || o.Retries < 0 || o.MaxBytes < 0 || o.Limit < 0 {
		return o, errors.New("download: negative option")
	}
	set := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	set(&o.Workers, d.Workers)
	set(&o.PerHost, d.PerHost)
	set(&o.MaxRedirects, d.MaxRedirects)
	if o.Timeout == 0 {
		o.Timeout = d.Timeout
	}
	if o.Backoff == 0 {
		o.Backoff = d.Backoff
	}
	if o.MaxBytes == 0 {
		o.MaxBytes = d.MaxBytes
	}
	if o.MaxPixels == 0 {
		o.MaxPixels = d.MaxPixels
	}
	if o.UserAgent == "" {
		o.UserAgent = d.UserAgent
	}
	return o, nil
}

// Progress counts this run's work so far.
type Progress struct {
	Done, ToDo int // finished and planned downloads in this run
	Downloaded int
	Failed     int
	Bytes      int64
}

// Summary is the outcome of a run; it is also written as summary.json.
type Summary struct {
	Jobs          int            `json:"jobs"`           // distinct paths asked for
	Present       int            `json:"present"`        // already on disk
	SkippedFailed int            `json:"skipped_failed"` // permanent failures of earlier runs
	NotTried      int            `json:"not_tried"`      // left by Limit or cancellation
	Downloaded    int            `json:"downloaded"`
	Failed        int            `json:"failed"`
	Bytes         int64          `json:"bytes"`
	Reasons       map[string]int `json:"failure_reasons,omitempty"` // this run's failures
	Canceled      bool           `json:"canceled,omitempty"`
	Seconds       float64        `json:"seconds"`
}

// fetcher holds one run's settings.
type fetcher struct {
	o      Opts
	dir    string
	client *http.Client
	now    func() time.Time
	rand   func() float64
}

// hostOf returns the host a job counts against, or an error for a URL that
// cannot be fetched over HTTP.
func hostOf(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("not an http(s) URL: %q", raw)
	}
	return strings.ToLower(u.Host), nil
}

// checkPath accepts a relative slash path that stays inside the folder.
func checkPath(p string) error {
	if p == "" || strings.Contains(p, `\`) || !filepath.IsLocal(filepath.FromSlash(p)) {
		return fmt.Errorf("path %q is not a relative path inside the output folder", p)
	}
	return nil
}

// removeStale deletes temporary files left by a killed run in the folders
// of the jobs.
func removeStale(dir string, jobs []Job) {
	seen := map[string]bool{}
	for _, j := range jobs {
		d := filepath.Dir(filepath.Join(dir, filepath.FromSlash(j.Path)))
		if seen[d] {
			continue
		}
		seen[d] = true
		parts, _ := filepath.Glob(filepath.Join(d, ".*.part"))
		for _, p := range parts {
			if storage.IsTemp(p) {
				os.Remove(p)
			}
		}
	}
}

func newFetcher(dir string, o Opts) *fetcher {
	tr := o.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = o.PerHost
		tr = t
	}
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	return &fetcher{
		o: o, dir: dir, now: time.Now,
		client: &http.Client{Transport: tr, CheckRedirect: checkRedirect(o.MaxRedirects)},
		rand: func() float64 {
			mu.Lock()
			defer mu.Unlock()
			return rng.Float64()
		},
	}
}

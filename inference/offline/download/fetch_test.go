package download_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/offline/download"
	"github.com/yogamirror/yogamirror/inference/offline/download/downloadtest"
)

// testOpts keeps tests fast with a tiny backoff. The timeout stays long so
// that a loaded machine cannot turn a good answer into a timeout; the stall
// tests shorten it.
func testOpts() download.Opts {
	o := download.DefaultOpts()
	o.Timeout = 30 * time.Second
	o.Backoff = time.Millisecond
	o.Retries = 2
	o.MaxBytes = 1 << 20
	return o
}

func manifestByPath(t *testing.T, dir string) map[string]download.Record {
	t.Helper()
	recs, err := download.ReadManifest(filepath.Join(dir, download.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]download.Record{}
	for _, r := range recs {
		out[r.Path] = r
	}
	return out
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestFaults(t *testing.T) {
	srv := downloadtest.NewServer(t)
	type want struct {
		ok        bool
		reason    string // prefix of Record.Reason
		permanent bool
		attempts  int
		format    string
		body      []byte // served bytes, for ok cases
	}
	jpg := func(name string) []byte { return downloadtest.Encode("jpeg", name) }
	cases := map[string]struct {
		url string
		want
	}{
		"jpeg":          {"/img/a.jpg", want{ok: true, attempts: 1, format: "jpeg", body: jpg("a.jpg")}},
		"png":           {"/png/b.jpg", want{ok: true, attempts: 1, format: "png", body: downloadtest.Encode("png", "b.jpg")}},
		"gif":           {"/gif/c.jpg", want{ok: true, attempts: 1, format: "gif", body: downloadtest.Encode("gif", "c.jpg")}},
		"bmp":           {"/bmp/d.jpg", want{ok: true, attempts: 1, format: "bmp", body: downloadtest.Encode("bmp", "d.jpg")}},
		"webp as jpeg":  {"/webpjpg/e.jpg", want{ok: true, attempts: 1, format: "webp", body: downloadtest.Encode("webp", "")}},
		"octet-stream":  {"/octet/f.jpg", want{ok: true, attempts: 1, format: "jpeg", body: jpg("f.jpg")}},
		"500 then ok":   {"/flaky/2/g.jpg", want{ok: true, attempts: 3, format: "jpeg", body: jpg("g.jpg")}},
		"redirects":     {"/redirect/3/h.jpg", want{ok: true, attempts: 1, format: "jpeg", body: jpg("h.jpg")}},
		"404":           {"/status/404/x", want{reason: "http 404", permanent: true, attempts: 1}},
		"410":           {"/status/410/x", want{reason: "http 410", permanent: true, attempts: 1}},
		"403":           {"/status/403/x", want{reason: "http 403", permanent: true, attempts: 1}},
		"500 forever":   {"/flaky/99/x", want{reason: "http 500", attempts: 3}},
		"503":           {"/status/503/x", want{reason: "http 503", attempts: 3}},
		"truncated":     {"/truncated/x.jpg", want{reason: "truncated body", attempts: 3}},
		"reset":         {"/reset/x", want{reason: "EOF", attempts: 3}},
		"redirect loop": {"/loop/x", want{reason: "redirect loop", permanent: true, attempts: 1}},
		"too many":      {"/redirect/30/x", want{reason: "too many redirects", permanent: true, attempts: 1}},
		"html 200":      {"/html/x", want{reason: `not an image (Content-Type "text/html`, permanent: true, attempts: 1}},
		"wrong type":    {"/type/x", want{reason: `not an image (Content-Type "image/jpeg")`, permanent: true, attempts: 1}},
		"cut image":     {"/cut/x.jpg", want{reason: "corrupt image: jpeg", permanent: true, attempts: 1}},
		"empty":         {"/empty/x", want{reason: "empty body", permanent: true, attempts: 1}},
		"huge length":   {"/huge/x", want{reason: "too large: Content-Length 53687091200", permanent: true, attempts: 1}},
		"huge chunked":  {"/big/3000000/x", want{reason: "too large: body over 1048576", permanent: true, attempts: 1}},
	}
	// Stalls end only by the timeout: they get a run of their own with a
	// short one.
	stalls := map[string]struct {
		url string
		want
	}{
		"stalled body": {"/stall/x.jpg", want{reason: "timeout reading body", attempts: 3}},
		"stalled head": {"/slowhead/x", want{reason: "timeout", attempts: 3}},
	}
	var stallJobs []download.Job
	for name, c := range stalls {
		stallJobs = append(stallJobs, download.Job{Path: "P/" + strings.ReplaceAll(name, " ", "_") + ".jpg", URL: srv.URLFor(c.url)})
	}
	dir := t.TempDir()
	o := testOpts()
	o.Timeout = 300 * time.Millisecond
	if _, err := download.Run(context.Background(), dir, stallJobs, o); err != nil {
		t.Fatal(err)
	}
	var jobs []download.Job
	for name, c := range cases {
		jobs = append(jobs, download.Job{Path: "P/" + strings.ReplaceAll(name, " ", "_") + ".jpg", URL: srv.URLFor(c.url)})
	}
	jobs = append(jobs,
		download.Job{Path: "P/ftp.jpg", URL: "ftp://example.invalid/x.jpg"},
		download.Job{Path: "../escape.jpg", URL: srv.URLFor("/img/z.jpg")})
	s, err := download.Run(context.Background(), dir, jobs, testOpts())
	if err != nil {
		t.Fatal(err)
	}
	recs := manifestByPath(t, dir)
	for name, c := range stalls {
		cases[name] = c
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := "P/" + strings.ReplaceAll(name, " ", "_") + ".jpg"
			checkRecord(t, dir, recs[path], c.want.ok, c.want.reason, c.want.permanent, c.want.attempts)
			if c.want.ok {
				r := recs[path]
				if r.Format != c.want.format || r.SHA256 != sha(c.want.body) || r.Bytes != int64(len(c.want.body)) {
					t.Errorf("record %+v, want format %s, %d bytes, sha %s", r, c.want.format, len(c.want.body), sha(c.want.body))
				}
			}
		})
	}
	checkRecord(t, dir, recs["P/ftp.jpg"], false, "bad url", true, 0)
	checkRecord(t, dir, recs["../escape.jpg"], false, `path "../escape.jpg" is not`, true, 0)
	if s.Downloaded != 8 || s.Failed != len(jobs)-8 || s.Jobs != len(jobs) {
		t.Errorf("summary %+v", s)
	}
	if n := srv.Hits("/loop/x") + srv.Hits("/loop2/x"); n != 2 {
		t.Errorf("redirect loop: %d hits, want 2 (no retry)", n)
	}
	if ua := srv.UserAgent(); ua != download.DefaultOpts().UserAgent {
		t.Errorf("User-Agent %q, want %q", ua, download.DefaultOpts().UserAgent)
	}
	if n := srv.Hits("/huge/x"); n != 1 {
		t.Errorf("huge: %d hits, want 1", n)
	}
	assertClean(t, dir)
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "escape.jpg")); err == nil {
		t.Error("a job wrote outside the output folder")
	}
}

// checkRecord checks one manifest record and that the file exists exactly
// when the record says ok.
func checkRecord(t *testing.T, dir string, r download.Record, ok bool, reason string, permanent bool, attempts int) {
	t.Helper()
	if got := r.Status == download.StatusOK; got != ok {
		t.Errorf("status %q (reason %q), want ok=%v", r.Status, r.Reason, ok)
	}
	if !strings.HasPrefix(r.Reason, reason) || r.Permanent != permanent || r.Attempts != attempts {
		t.Errorf("reason %q permanent %v attempts %d, want %q %v %d", r.Reason, r.Permanent, r.Attempts, reason, permanent, attempts)
	}
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(r.Path)))
	if exists := err == nil; exists != ok && r.Path != "" {
		t.Errorf("%s exists=%v, want %v", r.Path, exists, ok)
	}
}

// assertClean fails if dir holds a temporary file.
func assertClean(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".part") {
			t.Errorf("partial file left: %s", p)
		}
		return nil
	})
}

func TestCancelFlushesManifest(t *testing.T) {
	srv := downloadtest.NewServer(t)
	jobs := []download.Job{{Path: "P/ok.jpg", URL: srv.URLFor("/img/ok.jpg")}}
	for _, n := range []string{"1", "2", "3", "4"} {
		jobs = append(jobs, download.Job{Path: "P/stall" + n + ".jpg", URL: srv.URLFor("/stall/" + n)})
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	o := testOpts()
	o.Timeout = time.Minute // only the cancellation can end the stalls
	o.PerHost = 8
	o.Progress = func(p download.Progress) { cancel() } // after the first result
	dir := t.TempDir()
	s, err := download.Run(ctx, dir, jobs, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	recs := manifestByPath(t, dir)
	if len(recs) != 1 || recs["P/ok.jpg"].Status != download.StatusOK {
		t.Fatalf("manifest %v, want only P/ok.jpg ok", recs)
	}
	if !s.Canceled || s.Downloaded != 1 || s.NotTried != 4 {
		t.Errorf("summary %+v", s)
	}
	b, err := os.ReadFile(filepath.Join(dir, download.SummaryName))
	if err != nil || !strings.Contains(string(b), `"canceled": true`) {
		t.Errorf("summary.json: %v %s", err, b)
	}
	assertClean(t, dir)
}

func TestPerHostBound(t *testing.T) {
	a, b := downloadtest.NewServer(t), downloadtest.NewServer(t)
	a.Delay, b.Delay = 20*time.Millisecond, 20*time.Millisecond
	var jobs []download.Job
	for i := range 12 {
		n := string(rune('a'+i)) + ".jpg"
		jobs = append(jobs, download.Job{Path: "A/" + n, URL: a.URLFor("/img/" + n)}, download.Job{Path: "B/" + n, URL: b.URLFor("/img/" + n)})
	}
	o := testOpts()
	o.Workers, o.PerHost = 6, 2
	s, err := download.Run(context.Background(), t.TempDir(), jobs, o)
	if err != nil || s.Downloaded != 24 {
		t.Fatalf("%v, %+v", err, s)
	}
	for name, srv := range map[string]*downloadtest.Server{"a": a, "b": b} {
		if m := srv.MaxInFlight(); m > 2 {
			t.Errorf("server %s saw %d requests at once, want at most 2", name, m)
		}
	}
}

func TestUntrustedTLS(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(downloadtest.Encode("jpeg", "tls"))
	}))
	defer srv.Close()
	dir := t.TempDir()
	if _, err := download.Run(context.Background(), dir, []download.Job{{Path: "P/t.jpg", URL: srv.URL + "/t.jpg"}}, testOpts()); err != nil {
		t.Fatal(err)
	}
	checkRecord(t, dir, manifestByPath(t, dir)["P/t.jpg"], false, "tls: x509: certificate signed by unknown authority", true, 1)
}

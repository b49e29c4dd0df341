package download_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/offline/download"
	"github.com/yogamirror/yogamirror/inference/offline/download/downloadtest"
)

func TestResume(t *testing.T) {
	srv := downloadtest.NewServer(t)
	urls := map[string]string{
		"P/ok1.jpg":   "/img/1.jpg",
		"P/ok2.jpg":   "/flaky/1/2.jpg",
		"P/gone.jpg":  "/status/404/gone",
		"P/page.jpg":  "/html/page",
		"P/down.jpg":  "/flaky/1000/down",
		"Q b/ok3.jpg": "/img/3.jpg",
	}
	jobs := func() []download.Job {
		var js []download.Job
		for p, u := range urls {
			js = append(js, download.Job{Path: p, URL: srv.URLFor(u)})
		}
		return js
	}
	dir := t.TempDir()
	o := testOpts()
	o.Retries = 1
	run := func(o download.Opts) (download.Summary, map[string]int) {
		t.Helper()
		before := map[string]int{}
		for _, u := range urls {
			before[u] = srv.Hits(u)
		}
		s, err := download.Run(context.Background(), dir, jobs(), o)
		if err != nil {
			t.Fatal(err)
		}
		newHits := map[string]int{}
		for _, u := range urls {
			if n := srv.Hits(u) - before[u]; n > 0 {
				newHits[u] = n
			}
		}
		return s, newHits
	}
	s, _ := run(o)
	if s.Downloaded != 3 || s.Failed != 3 {
		t.Fatalf("first run: %+v", s)
	}
	// Second run: only the transient failure is tried again.
	s, hits := run(o)
	if s.Present != 3 || s.SkippedFailed != 2 || s.Downloaded != 0 || s.Failed != 1 {
		t.Errorf("second run: %+v", s)
	}
	if len(hits) != 1 || hits["/flaky/1000/down"] != 2 {
		t.Errorf("second run hit %v, want only /flaky/1000/down twice", hits)
	}
	// A deleted file is fetched again, and nothing else.
	if err := os.Remove(filepath.Join(dir, "P", "ok1.jpg")); err != nil {
		t.Fatal(err)
	}
	o.Retries = 0
	s, hits = run(o)
	if s.Downloaded != 1 || hits["/img/1.jpg"] != 1 || len(hits) != 2 {
		t.Errorf("after delete: %+v, hits %v", s, hits)
	}
	// --retry-failed tries the permanent failures again.
	o.RetryFailed = true
	s, hits = run(o)
	if s.SkippedFailed != 0 || s.Failed != 3 || hits["/status/404/gone"] != 1 || hits["/html/page"] != 1 {
		t.Errorf("retry-failed: %+v, hits %v", s, hits)
	}
	// A changed URL for a permanently failed path is tried.
	urls["P/gone.jpg"] = "/img/gone.jpg"
	o.RetryFailed = false
	s, hits = run(o)
	if hits["/img/gone.jpg"] != 1 || s.Downloaded != 1 {
		t.Errorf("changed URL: %+v, hits %v", s, hits)
	}
	// Run compacts the manifest when it starts: after the next run it has
	// the six paths plus this run's one new line.
	run(o)
	b, _ := os.ReadFile(filepath.Join(dir, download.ManifestName))
	if n := bytes.Count(b, []byte("\n")); n != 7 {
		t.Errorf("manifest has %d lines, want 7", n)
	}
	assertClean(t, dir)
}

func TestLimit(t *testing.T) {
	srv := downloadtest.NewServer(t)
	var jobs []download.Job
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		jobs = append(jobs, download.Job{Path: "P/" + n + ".jpg", URL: srv.URLFor("/img/" + n)})
	}
	dir := t.TempDir()
	o := testOpts()
	o.Limit = 2
	for i, want := range []download.Summary{
		{Jobs: 5, Downloaded: 2, NotTried: 3},
		{Jobs: 5, Present: 2, Downloaded: 2, NotTried: 1},
		{Jobs: 5, Present: 4, Downloaded: 1},
	} {
		s, err := download.Run(context.Background(), dir, jobs, o)
		if err != nil {
			t.Fatal(err)
		}
		if s.Jobs != want.Jobs || s.Present != want.Present || s.Downloaded != want.Downloaded || s.NotTried != want.NotTried {
			t.Errorf("run %d: %+v, want %+v", i+1, s, want)
		}
	}
	if srv.TotalHits() != 5 {
		t.Errorf("%d hits, want 5", srv.TotalHits())
	}
}

func TestStalePartsRemoved(t *testing.T) {
	srv := downloadtest.NewServer(t)
	dir := t.TempDir()
	stale := filepath.Join(dir, "P", ".a.jpg.12345.part")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("half an image"), 0o644)
	if _, err := download.Run(context.Background(), dir, []download.Job{{Path: "P/a.jpg", URL: srv.URLFor("/img/a")}}, testOpts()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temporary file still there: %v", err)
	}
	assertClean(t, dir)
}

func TestReadManifest(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, download.ManifestName)
	good := `{"path":"a","url":"u1","status":"failed","attempts":1}` + "\n" +
		`{"path":"b","url":"u","status":"ok","attempts":1}` + "\n" +
		`{"path":"a","url":"u2","status":"ok","attempts":1}` + "\n"
	for _, tc := range []struct {
		name, content, err string
		n                  int
	}{
		{"last record wins", good, "", 2},
		{"torn last line", good + `{"path":"c","url`, "", 2},
		{"bad middle line", `{"path":"a"}` + "\nnot json\n" + good, "manifest.jsonl:2: bad manifest record", 0},
		{"missing file", "", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(p)
			if tc.content != "" {
				os.WriteFile(p, []byte(tc.content), 0o644)
			}
			recs, err := download.ReadManifest(p)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || len(recs) != tc.n {
				t.Fatalf("%d records, %v; want %d", len(recs), err, tc.n)
			}
			if tc.n == 2 && (recs[0].Path != "a" || recs[0].URL != "u2") {
				t.Errorf("first record %+v, want the last one of a", recs[0])
			}
		})
	}
}

func TestPrinter(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		tty  bool
		want string
	}{
		{"terminal", true, "\r\x1b[K0/10 (0.0%)  ok 0  failed 0  0.0 MB" +
			"\r\x1b[K5/10 (50.0%)  ok 4  failed 1  2.0 MB  5.0/s  eta 1s" +
			"\r\x1b[K10/10 (100.0%)  ok 9  failed 1  4.0 MB  9.1/s  eta 0s\n"},
		{"plain", false, "0/10 (0.0%)  ok 0  failed 0  0.0 MB\n" +
			"5/10 (50.0%)  ok 4  failed 1  2.0 MB  5.0/s  eta 1s\n" +
			"10/10 (100.0%)  ok 9  failed 1  4.0 MB  9.1/s  eta 0s\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			p := download.Printer{W: &buf, TTY: tc.tty, Every: time.Second}
			p.Update(t0, download.Progress{ToDo: 10})
			p.Update(t0.Add(500*time.Millisecond), download.Progress{Done: 3, ToDo: 10}) // too soon
			p.Update(t0.Add(time.Second), download.Progress{Done: 5, ToDo: 10, Downloaded: 4, Failed: 1, Bytes: 2e6})
			p.Update(t0.Add(1100*time.Millisecond), download.Progress{Done: 10, ToDo: 10, Downloaded: 9, Failed: 1, Bytes: 4e6}) // last: always shown
			p.Finish()
			if buf.String() != tc.want {
				t.Errorf("got\n%q\nwant\n%q", buf.String(), tc.want)
			}
		})
	}
}

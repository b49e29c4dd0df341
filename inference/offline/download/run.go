package download

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// Run fetches jobs into dir. Jobs whose file exists are not fetched again;
// jobs that failed permanently in an earlier run (same URL) are skipped
// unless Opts.RetryFailed. Every outcome is appended to dir/manifest.jsonl
// as it happens and dir/summary.json is written at the end, also when ctx is
// canceled, in which case Run returns the summary and ctx's error.
func Run(ctx context.Context, dir string, jobs []Job, opts Opts) (Summary, error) {
	start := time.Now()
	o, err := opts.withDefaults()
	if err != nil {
		return Summary{}, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, fmt.Errorf("download: %w", err)
	}
	m, known, err := openManifest(dir)
	if err != nil {
		return Summary{}, err
	}
	jobs = dedupe(jobs)
	removeStale(dir, jobs)
	f := newFetcher(dir, o)
	s := Summary{Jobs: len(jobs), Reasons: map[string]int{}}
	tasks, early := f.plan(jobs, known, &s)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	c := collector{m: m, s: &s, progress: o.Progress, p: Progress{ToDo: len(tasks) + len(early)}, cancel: cancel}
	for _, r := range early {
		c.add(r)
	}
	sched := newScheduler(o.PerHost, tasks)
	for out := range f.work(ctx, sched, min(o.Workers, len(tasks))) {
		if out.canceled {
			s.NotTried++
			continue
		}
		c.add(out.rec)
	}
	s.NotTried += sched.left()
	s.Seconds = time.Since(start).Seconds()
	return s, c.finish(ctx, dir)
}

// work starts n workers that fetch the scheduler's jobs and returns their
// outcomes; the channel closes when all workers are done.
func (f *fetcher) work(ctx context.Context, sched *scheduler, n int) <-chan outcome {
	results := make(chan outcome)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			for t, ok := sched.take(ctx); ok; t, ok = sched.take(ctx) {
				out := f.fetch(ctx, t.Job)
				sched.done(t)
				results <- out
			}
		})
	}
	go func() { wg.Wait(); close(results) }()
	return results
}

// plan sorts jobs into present, skipped, to fetch (tasks) and failed before
// any request (bad paths and URLs, returned as records).
func (f *fetcher) plan(jobs []Job, known map[string]Record, s *Summary) ([]task, []Record) {
	var tasks []task
	var early []Record
	for _, j := range jobs {
		if err := checkPath(j.Path); err != nil {
			early = append(early, Record{Path: j.Path, URL: j.URL, Status: StatusFailed,
				Reason: err.Error(), Permanent: true, Time: f.now()})
			continue
		}
		if fi, err := os.Stat(filepath.Join(f.dir, filepath.FromSlash(j.Path))); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			s.Present++
			continue
		}
		if r, ok := known[j.Path]; ok && r.Status == StatusFailed && r.Permanent && r.URL == j.URL && !f.o.RetryFailed {
			s.SkippedFailed++
			continue
		}
		if f.o.Limit > 0 && len(tasks)+len(early) >= f.o.Limit {
			s.NotTried++
			continue
		}
		host, err := hostOf(j.URL)
		if err != nil {
			early = append(early, Record{Path: j.Path, URL: j.URL, Status: StatusFailed,
				Reason: "bad url: " + err.Error(), Permanent: true, Time: f.now()})
			continue
		}
		tasks = append(tasks, task{Job: j, host: host})
	}
	return tasks, early
}

// dedupe keeps the first job of each path.
func dedupe(jobs []Job) []Job {
	seen := make(map[string]bool, len(jobs))
	out := make([]Job, 0, len(jobs))
	for _, j := range jobs {
		if !seen[j.Path] {
			seen[j.Path] = true
			out = append(out, j)
		}
	}
	return out
}

// collector records outcomes; only the goroutine running Run uses it.
type collector struct {
	m        *manifest
	s        *Summary
	p        Progress
	progress func(Progress)
	cancel   context.CancelFunc
	err      error // first manifest error; it stops the run
}

func (c *collector) add(r Record) {
	if c.err == nil {
		if c.err = c.m.add(r); c.err != nil {
			c.cancel()
		}
	}
	c.p.Done++
	if r.Status == StatusOK {
		c.s.Downloaded++
		c.s.Bytes += r.Bytes
		c.p.Downloaded++
		c.p.Bytes += r.Bytes
	} else {
		c.s.Failed++
		c.s.Reasons[reasonKey(r.Reason)]++
		c.p.Failed++
	}
	if c.progress != nil {
		c.progress(c.p)
	}
}

// finish closes the manifest, writes the summary and returns the run's error.
func (c *collector) finish(ctx context.Context, dir string) error {
	err := c.m.close()
	c.s.Canceled = ctx.Err() != nil && c.err == nil
	b, _ := json.MarshalIndent(c.s, "", "  ")
	if werr := storage.WriteFile(filepath.Join(dir, SummaryName), append(b, '\n'), 0o644); err == nil {
		err = werr
	}
	switch {
	case c.err != nil:
		return c.err
	case err != nil:
		return err
	case c.s.Canceled:
		return fmt.Errorf("download: %w", context.Cause(ctx))
	}
	return nil
}

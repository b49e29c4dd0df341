package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/yogamirror/yogamirror/inference/offline/download"
	"github.com/yogamirror/yogamirror/inference/offline/yoga82"
)

func init() {
	commands["dataset"] = command{"fetch, check and summarise the Yoga-82 images (fetch, check, stats)", runDataset}
}

const datasetUsage = `usage: yogamirror dataset <subcommand> [flags]

subcommands:
  fetch  --links DIR --out DIR   download the images listed in the Yoga-82 link files
  check  --split FILE... --dir DIR   count present and missing split images per class
  stats  [--out DIR] DIR         class counts, sizes, formats and duplicates as Markdown, PNG and JSON

Run 'yogamirror dataset <subcommand> -h' for its flags.
`

func runDataset(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	subs := map[string]func(context.Context, []string, io.Writer, io.Writer) error{
		"fetch": datasetFetch, "check": datasetCheck, "stats": datasetStats,
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(stderr, datasetUsage)
		return flag.ErrHelp
	}
	if len(args) == 0 || subs[args[0]] == nil {
		if len(args) > 0 {
			fmt.Fprintf(stderr, "yogamirror dataset: unknown subcommand %q\n\n", args[0])
		}
		fmt.Fprint(stderr, datasetUsage)
		return errUsage
	}
	return subs[args[0]](ctx, args[1:], stdout, stderr)
}

// parseDatasetFlags parses flags that may be mixed with positional
// arguments ("--split a.txt b.txt --dir D") and returns the positional ones.
func parseDatasetFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

func datasetFetch(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	d := download.DefaultOpts()
	fs := newFlags("dataset fetch", "--links DIR|FILE --out DIR [flags]", stderr)
	links := fs.String("links", "", "folder of Yoga-82 link files (<Pose>.txt), or one link file")
	out := fs.String("out", "", "folder for the images (Pose/N.jpg), manifest.jsonl and summary.json")
	fs.IntVar(&d.Workers, "workers", d.Workers, "parallel downloads")
	fs.IntVar(&d.PerHost, "per-host", d.PerHost, "parallel downloads per host")
	fs.DurationVar(&d.Timeout, "timeout", d.Timeout, "time limit per request, body included")
	fs.IntVar(&d.Retries, "retries", d.Retries, "retries after a transient failure (5xx, 429, timeout, reset), with doubling backoff")
	fs.DurationVar(&d.Backoff, "backoff", d.Backoff, "wait before the first retry")
	fs.IntVar(&d.Limit, "limit", 0, "try at most this many URLs in this run (0: all)")
	fs.BoolVar(&d.RetryFailed, "retry-failed", false, "try again URLs that failed permanently before (404, 410, not an image…)")
	maxMB := fs.Int64("max-mb", d.MaxBytes>>20, "largest response kept, in MiB")
	fs.StringVar(&d.UserAgent, "user-agent", d.UserAgent, "User-Agent header")
	if pos, err := parseDatasetFlags(fs, args); err != nil {
		return err
	} else if *links == "" || *out == "" || len(pos) > 0 {
		fs.Usage()
		return errUsage
	}
	var r ranges
	r.int("workers", d.Workers, 1, 256)
	r.int("per-host", d.PerHost, 1, 64)
	r.int("retries", d.Retries, 0, 100)
	r.int("limit", d.Limit, 0, 10_000_000)
	r.int("max-mb", int(*maxMB), 1, 4096)
	r.float("timeout", d.Timeout.Seconds(), 0.1, 3600)
	r.float("backoff", d.Backoff.Seconds(), 0, 3600)
	if err := r.err(); err != nil {
		return err
	}
	d.MaxBytes = *maxMB << 20
	jobs, err := datasetJobs(*links)
	if err != nil {
		return err
	}
	pr := download.Printer{W: stderr, TTY: isTTY(stderr)}
	d.Progress = func(p download.Progress) { pr.Update(time.Now(), p) }
	s, err := download.Run(ctx, *out, jobs, d)
	pr.Finish()
	printFetchSummary(stdout, *out, s)
	return err
}

// datasetJobs reads one link file or all link files of a folder.
func datasetJobs(links string) ([]download.Job, error) {
	var ls []yoga82.Link
	var err error
	if fi, serr := os.Stat(links); serr == nil && !fi.IsDir() {
		ls, err = yoga82.ReadLinks(links)
	} else {
		ls, err = yoga82.ReadLinksDir(links)
	}
	if err != nil {
		return nil, err
	}
	jobs := make([]download.Job, len(ls))
	for i, l := range ls {
		jobs[i] = download.Job{Path: l.Path, URL: l.URL}
	}
	return jobs, nil
}

func printFetchSummary(w io.Writer, out string, s download.Summary) {
	fmt.Fprintf(w, "%d images: %d already present, %d downloaded (%.1f MB), %d failed, %d skipped (failed permanently before), %d not tried\n",
		s.Jobs, s.Present, s.Downloaded, float64(s.Bytes)/1e6, s.Failed, s.SkippedFailed, s.NotTried)
	reasons := make([]string, 0, len(s.Reasons))
	for r := range s.Reasons {
		reasons = append(reasons, r)
	}
	sort.Slice(reasons, func(i, j int) bool {
		a, b := reasons[i], reasons[j]
		return s.Reasons[a] > s.Reasons[b] || s.Reasons[a] == s.Reasons[b] && a < b
	})
	for _, r := range reasons {
		fmt.Fprintf(w, "  %6d  %s\n", s.Reasons[r], r)
	}
	fmt.Fprintf(w, "manifest: %s\nsummary: %s\n", filepath.Join(out, download.ManifestName), filepath.Join(out, download.SummaryName))
}

func isTTY(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func datasetCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dataset check", "--split FILE... --dir DIR [--hierarchy FILE] [--json FILE]", stderr)
	var splits multiFlag
	fs.Var(&splits, "split", "split file such as yoga_train.txt (repeatable; more may follow as arguments)")
	dir := fs.String("dir", "", "image folder (Pose/N.jpg)")
	hier := fs.String("hierarchy", "", "yoga82_class_hierarchy.csv (default: beside the first split file)")
	jsonOut := fs.String("json", "", "also write the report as JSON to this file")
	pos, err := parseDatasetFlags(fs, args)
	if err != nil {
		return err
	}
	splits = append(splits, pos...)
	if len(splits) == 0 || *dir == "" {
		fs.Usage()
		return errUsage
	}
	if *hier == "" {
		*hier = filepath.Join(filepath.Dir(splits[0]), "yoga82_class_hierarchy.csv")
	}
	h, ss, err := datasetMeta(*hier, splits)
	if err != nil {
		return err
	}
	r := yoga82.Check(h, ss, func(p string) bool {
		fi, err := os.Stat(filepath.Join(*dir, filepath.FromSlash(p)))
		return err == nil && fi.Mode().IsRegular() && fi.Size() > 0
	})
	if err := r.WriteTable(stdout); err != nil {
		return err
	}
	if *jsonOut != "" {
		b, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(*jsonOut, append(b, '\n'), 0o644)
	}
	return nil
}

// datasetMeta reads the hierarchy and the split files and validates them.
func datasetMeta(hier string, splitFiles []string) (*yoga82.Hierarchy, []yoga82.Split, error) {
	h, err := yoga82.ReadHierarchy(hier)
	if err != nil {
		return nil, nil, err
	}
	var ss []yoga82.Split
	for _, f := range splitFiles {
		es, err := yoga82.ReadSplit(f)
		if err != nil {
			return nil, nil, err
		}
		if err := h.Validate(filepath.Base(f), es); err != nil {
			return nil, nil, err
		}
		name := strings.TrimPrefix(strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), "yoga_")
		ss = append(ss, yoga82.Split{Name: name, Entries: es})
	}
	return h, ss, nil
}

func datasetStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("dataset stats", "[--out DIR] [--hierarchy FILE] [--split FILE]... DIR", stderr)
	out := fs.String("out", "yoga82-stats", "folder for stats.md, stats.json and the PNG charts")
	hier := fs.String("hierarchy", "", "yoga82_class_hierarchy.csv (default: DIR/yoga82_class_hierarchy.csv)")
	var splits multiFlag
	fs.Var(&splits, "split", "split file for per-split counts and leakage (repeatable; default: yoga_train.txt and yoga_test.txt beside the hierarchy, if there)")
	workers := fs.Int("workers", runtime.NumCPU(), "files read in parallel")
	pos, err := parseDatasetFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	var r ranges
	r.int("workers", *workers, 1, 256)
	if err := r.err(); err != nil {
		return err
	}
	dir := pos[0]
	h, ss, err := datasetStatsMeta(dir, *hier, splits)
	if err != nil {
		return err
	}
	files, err := yoga82.ScanImages(ctx, dir, *workers)
	if err != nil {
		return err
	}
	st := yoga82.Summarise(h, ss, files)
	if err := yoga82.WriteReport(*out, st); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d images (%d unreadable, %d exact duplicates) in %d classes\nreport: %s (and %s, PNG charts)\n",
		st.Images, len(st.Unreadable), st.DuplicateFiles, countNonEmpty(st.Class82),
		filepath.Join(*out, yoga82.ReportMarkdown), yoga82.ReportJSON)
	return nil
}

// datasetStatsMeta reads the hierarchy (default DIR/yoga82_class_hierarchy.csv)
// and the splits (default: the official ones beside the hierarchy, if there).
func datasetStatsMeta(dir, hier string, splits []string) (*yoga82.Hierarchy, []yoga82.Split, error) {
	if hier == "" {
		hier = filepath.Join(dir, "yoga82_class_hierarchy.csv")
	}
	if _, err := os.Stat(hier); err != nil {
		return nil, nil, fmt.Errorf("no class hierarchy at %s: pass --hierarchy FILE", hier)
	}
	if len(splits) == 0 {
		splits = defaultSplits(filepath.Dir(hier))
	}
	return datasetMeta(hier, splits)
}

func defaultSplits(dir string) []string {
	var out []string
	for _, n := range []string{"yoga_train.txt", "yoga_test.txt"} {
		if _, err := os.Stat(filepath.Join(dir, n)); err == nil {
			out = append(out, filepath.Join(dir, n))
		}
	}
	return out
}

func countNonEmpty(cs []yoga82.ClassCount) int {
	n := 0
	for _, c := range cs {
		if c.Images > 0 {
			n++
		}
	}
	return n
}

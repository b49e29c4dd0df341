package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("kpdiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var l limits
	relative := fs.Bool("relative", false, "measure keypoint differences as fractions of the image's long side, not pixels")
	fs.Float64Var(&l.XY, "tol", 1e-3, "largest allowed keypoint x/y difference (negative: report only)")
	fs.Float64Var(&l.MinScore, "min-score", 0, "-tol applies to keypoints scored at least this in both runs")
	fs.Float64Var(&l.Median, "median-tol", -1, "largest allowed median keypoint difference (negative: report only)")
	fs.Float64Var(&l.Score, "score-tol", -1, "largest allowed keypoint score difference (negative: report only)")
	fs.BoolVar(&l.SamePose, "same-pose", false, "fail when a record's most likely pose differs")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: kpdiff [flags] want.jsonl got.jsonl")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return 2
	}
	var recs [2][]record
	for i, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "kpdiff: %v\n", err)
			return 2
		}
		recs[i], err = readRecords(f, name)
		f.Close()
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
	}
	o, unit := compareOpts{MinScore: l.MinScore}, "px"
	if *relative {
		o.Scale, unit = longSide, "of the long side"
	}
	res, err := compare(recs[0], recs[1], o)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintf(stdout, "kpdiff: %d records; keypoint difference (%s): max %.4g (%s), max where both scores ≥ %g %.4g (%s), median %.4g, 90th percentile %.4g\n",
		res.Records, unit, res.XY.Diff, res.XY.Where, l.MinScore, res.Confident.Diff, res.Confident.Where, res.Median, res.P90)
	fmt.Fprintf(stdout, "kpdiff: max score difference %.4g (%s); most likely pose differs in %d; person flag differs in %d\n",
		res.Score.Diff, res.Score.Where, res.PoseMismatch, res.PersonChanged)
	if fails := res.failures(l); len(fails) > 0 {
		for _, f := range fails {
			fmt.Fprintln(stdout, "kpdiff: FAIL:", f)
		}
		return 1
	}
	fmt.Fprintln(stdout, "kpdiff: PASS")
	return 0
}

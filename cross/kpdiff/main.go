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
	fs.Float64Var(&l.XY, "tol", 1e-3, "largest allowed keypoint x/y difference in pixels (negative: report only)")
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
	res, err := compare(recs[0], recs[1])
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintf(stdout, "kpdiff: %d records; max keypoint difference %.4g px (%s); max score difference %.4g (%s); most likely pose differs in %d; person flag differs in %d\n",
		res.Records, res.XY.Diff, res.XY.Where, res.Score.Diff, res.Score.Where, res.PoseMismatch, res.PersonChanged)
	if fails := res.failures(l); len(fails) > 0 {
		for _, f := range fails {
			fmt.Fprintln(stdout, "kpdiff: FAIL:", f)
		}
		return 1
	}
	fmt.Fprintln(stdout, "kpdiff: PASS")
	return 0
}

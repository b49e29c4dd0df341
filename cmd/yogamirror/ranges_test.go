package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestFlagRanges: numeric flags are range-checked before any work starts
// (--threads 100000 started 1,400 threads; --refine 1000000 ran until
// killed): exit status 2, every bad flag named with its range.
func TestFlagRanges(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"detect", "--threads", "100000", "--refine", "1000000", "x.jpg"},
			[]string{"--threads 100000: want 1 to 64", "--refine 1000000: want 0 to 8"}},
		{[]string{"eval", "--workers", "0", "--max-megapixels", "NaN", "dir"},
			[]string{"--workers 0: want 1 to 256", "--max-megapixels NaN"}},
		{[]string{"train", "--out", "o", "--epochs", "0", "--ensemble", "1000", "--cv", "1", "--lr", "5", "--level", "7", "data.csv"},
			[]string{"--epochs 0", "--ensemble 1000", "--cv 1: want 2 to 100", "--lr 5", "--level 7: want 6, 20 or 82"}},
		{[]string{"train", "--out", "o", "--hidden", "100000", "data.csv"}, []string{"--hidden \"100000\""}},
		{[]string{"dataset", "fetch", "--links", "l", "--out", "o", "--workers", "5000"}, []string{"--workers 5000: want 1 to 256"}},
	} {
		var out, errb bytes.Buffer
		code := run(context.Background(), tc.args, &out, &errb)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2\n%s", tc.args, code, errb.String())
		}
		for _, w := range tc.want {
			if !strings.Contains(errb.String(), w) {
				t.Errorf("%v: stderr does not say %q:\n%s", tc.args, w, errb.String())
			}
		}
	}
}

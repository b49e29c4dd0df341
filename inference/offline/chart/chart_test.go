package chart_test

import (
	"bytes"
	"image/png"
	"io"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

type pngChart interface {
	PNG(w io.Writer) error
}

// golden renders c and compares its pixels with testdata/name.png.
func golden(t *testing.T, name string, c pngChart) {
	t.Helper()
	var buf bytes.Buffer
	if err := c.PNG(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	testkit.GoldenPNG(t, name+".png", got)
}

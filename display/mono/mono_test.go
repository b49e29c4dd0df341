package mono

import (
	"image"
	"image/color"
	"testing"

	"periph.io/x/devices/v3/ssd1306/image1bit"
)

func grey(w, h int, v uint8) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = v
	}
	return img
}

func lit(b *image1bit.VerticalLSB) int {
	n := 0
	for y := b.Rect.Min.Y; y < b.Rect.Max.Y; y++ {
		for x := b.Rect.Min.X; x < b.Rect.Max.X; x++ {
			if b.BitAt(x, y) {
				n++
			}
		}
	}
	return n
}

func TestConvertGreyLevels(t *testing.T) {
	const w, h = 128, 64
	tests := []struct {
		name   string
		m      Method
		v      uint8
		lo, hi int // lit pixels, inclusive
	}{
		{"threshold black", Threshold, 0, 0, 0},
		{"threshold 127", Threshold, 127, 0, 0},
		{"threshold 128", Threshold, 128, w * h, w * h},
		{"bayer black", Bayer, 0, 0, 0},
		{"bayer white", Bayer, 255, w * h, w * h},
		{"bayer half", Bayer, 128, w * h / 2, w * h / 2}, // 8 of the 16 thresholds are below 128
		{"bayer quarter", Bayer, 64, w * h / 4, w * h / 4},
		{"diffuse black", Diffuse, 0, 0, 0},
		{"diffuse white", Diffuse, 255, w * h, w * h},
		{"diffuse half", Diffuse, 128, w*h/2 - w, w*h/2 + w},
		{"diffuse quarter", Diffuse, 64, w*h/4 - w, w*h/4 + w},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dst := image1bit.NewVerticalLSB(image.Rect(0, 0, w, h))
			Convert(dst, grey(w, h, tc.v), tc.m)
			if n := lit(dst); n < tc.lo || n > tc.hi {
				t.Errorf("%d pixels lit, want %d..%d", n, tc.lo, tc.hi)
			}
		})
	}
}

// The page layout: byte x+128*(y/8), bit y%8, LSB on top.
func TestConvertLayout(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 128, 64))
	src.Set(5, 10, color.White)
	src.Set(127, 63, color.RGBA{200, 200, 200, 255})
	dst := image1bit.NewVerticalLSB(src.Rect)
	Convert(dst, src, Threshold)
	for i, b := range dst.Pix {
		want := byte(0)
		switch i {
		case 128*1 + 5:
			want = 0x04
		case 128*7 + 127:
			want = 0x80
		}
		if b != want {
			t.Errorf("Pix[%d] = %#02x, want %#02x", i, b, want)
		}
	}
}

func TestConvertRectKeepsTheRest(t *testing.T) {
	dst := image1bit.NewVerticalLSB(image.Rect(0, 0, 16, 16))
	Convert(dst, grey(16, 16, 255), Threshold)
	// Black into the top-left 8×8 from a source offset by (4, 4).
	ConvertRect(dst, image.Rect(0, 0, 8, 8), grey(20, 20, 0), image.Pt(4, 4), Threshold)
	if n := lit(dst); n != 16*16-64 {
		t.Errorf("%d lit, want %d", n, 16*16-64)
	}
	if dst.BitAt(7, 7) || !dst.BitAt(8, 8) {
		t.Error("the converted rectangle is misplaced")
	}
}

func TestParseMethod(t *testing.T) {
	for in, want := range map[string]Method{"": Threshold, "threshold": Threshold, "bayer": Bayer, "diffuse": Diffuse} {
		if got, err := ParseMethod(in); err != nil || got != want {
			t.Errorf("ParseMethod(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParseMethod("halftone"); err == nil {
		t.Error(`ParseMethod("halftone") succeeded`)
	}
}

// The RGBA fast path must agree with the general path (a grey image whose
// luma equals the RGBA's).
func TestFastPathMatchesGeneral(t *testing.T) {
	rgba := image.NewRGBA(image.Rect(0, 0, 128, 64))
	gray := image.NewGray(rgba.Rect)
	for y := 0; y < 64; y++ {
		for x := 0; x < 128; x++ {
			v := uint8((x*7 + y*13) % 256)
			rgba.Set(x, y, color.RGBA{v, v, v, 255})
			gray.SetGray(x, y, color.Gray{v})
		}
	}
	for _, m := range []Method{Threshold, Bayer} {
		fast := image1bit.NewVerticalLSB(rgba.Rect)
		slow := image1bit.NewVerticalLSB(rgba.Rect)
		Convert(fast, rgba, m)
		Convert(slow, gray, m)
		for i := range fast.Pix {
			if fast.Pix[i] != slow.Pix[i] {
				t.Fatalf("%v: byte %d: fast %#02x, general %#02x", m, i, fast.Pix[i], slow.Pix[i])
			}
		}
	}
}

package display

import (
	"fmt"
	"image/color"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
)

// palette is the colours a layout paints with.
type palette struct {
	bg, fg, dim, accent, done, barBg, cueBg, cueFg color.RGBA
}

func monoPalette() palette {
	on, off := color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}
	return palette{bg: off, fg: on, dim: on, accent: on, done: on, barBg: off, cueBg: on, cueFg: off}
}

func colourPalette() palette {
	return palette{
		bg:     color.RGBA{0, 0, 0, 255}, // a two-way mirror stays a mirror where the screen is black
		fg:     color.RGBA{240, 242, 245, 255},
		dim:    color.RGBA{150, 160, 178, 255},
		accent: color.RGBA{64, 190, 255, 255},
		done:   color.RGBA{90, 220, 120, 255},
		barBg:  color.RGBA{40, 46, 58, 255},
		cueBg:  color.RGBA{255, 190, 60, 255},
		cueFg:  color.RGBA{24, 20, 16, 255},
	}
}

// layout is where things go: faces and baselines (y of the text's baseline,
// in pixels from the top).
type layout struct {
	w, h, margin int
	mono         bool
	pal          palette

	title, sub, big, small font.Face
	// label sets short labels and small numbers ("session", "/ 0:30"); on
	// mono it is the bitmap font, whose zero is not slashed like Go's.
	label              font.Face
	titleBase, subBase int
	bigBase            int
	barTop, barH       int
	footTop, footBase  int
}

// monoLayout is hand-placed for a 128×64 one-bit panel: a bitmap title font,
// hinted Go fonts (crisp after thresholding), no margins to spare.
func monoLayout(w, h int) (*layout, error) {
	small, err := goFace(goregular.TTF, 10, font.HintingFull)
	if err != nil {
		return nil, err
	}
	big, err := goFace(gobold.TTF, 24, font.HintingFull)
	if err != nil {
		return nil, err
	}
	return &layout{
		w: w, h: h, margin: 1, mono: true, pal: monoPalette(),
		title: basicfont.Face7x13, sub: small, big: big, small: small, label: basicfont.Face7x13,
		titleBase: 10, subBase: 21, bigBase: 43,
		barTop: 46, barH: 6,
		footTop: 53, footBase: 61,
	}, nil
}

// colourLayout scales with the height, for previews such as 640×360 or
// 480×320.
func colourLayout(w, h int) (*layout, error) {
	f := float64(h)
	px := func(frac float64) int { return int(frac*f + 0.5) }
	l := &layout{
		w: w, h: h, margin: px(0.05), pal: colourPalette(),
		titleBase: px(0.14), subBase: px(0.235), bigBase: px(0.62),
		barTop: px(0.67), barH: px(0.05),
		footTop: px(0.77), footBase: px(0.77) + px(0.115),
	}
	type spec struct {
		ttf  []byte
		size float64
		dst  *font.Face
	}
	for _, fc := range []spec{
		{gobold.TTF, 0.11 * f, &l.title},
		{goitalic.TTF, 0.075 * f, &l.sub},
		{gobold.TTF, bigSize(0.40*f, l.w-2*l.margin), &l.big},
		{gomedium.TTF, 0.075 * f, &l.small},
	} {
		face, err := goFace(fc.ttf, fc.size, font.HintingNone)
		if err != nil {
			return nil, err
		}
		*fc.dst = face
	}
	l.label = l.small
	return l, nil
}

// bigSize shrinks the big clock's font on narrow previews so that an
// hour-long "0:00:00" still fits the width.
func bigSize(size float64, inner int) float64 {
	const refSize = 100
	ref, err := goFace(gobold.TTF, refSize, font.HintingNone)
	if err != nil {
		return size
	}
	if w := width(ref, "0:00:00"); w > 0 {
		size = min(size, refSize*float64(inner)/float64(w))
	}
	return size
}

func goFace(ttf []byte, size float64, h font.Hinting) (font.Face, error) {
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("display: parse font: %w", err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: h})
	if err != nil {
		return nil, fmt.Errorf("display: font face %.1fpx: %w", size, err)
	}
	return face, nil
}

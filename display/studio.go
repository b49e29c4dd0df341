package display

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/vector"
)

// Studio layout sizes, as fractions of the screen height.
const (
	// clockFrac is the digits' height: more than a third of the screen, so
	// the timer reads from a mat 3 m away.
	clockFrac = 0.36
	// minSqueeze is how narrow digits may be drawn before they shrink
	// instead (tall portrait screens).
	minSqueeze = 0.55
	// wideAspect is the width/height from which the progress is a ring
	// beside the clock rather than a bar under it.
	wideAspect = 1.45
)

// studio is the layout for colour screens of 240 pixels and more each way
// (ST7789 and ILI9341 panels, monitors behind two-way glass), meant to be
// read from a yoga mat: black background (a two-way mirror stays a
// mirror), white pose name and Sanskrit name, timer digits more than a
// third of the screen high, a progress ring (wide screens) or bar, the
// next pose of a routine and the cue.
type studio struct {
	w, h, m int
	pal     palette

	title, sub, info, cue font.Face
	smallTitle            font.Face // for titles too long for title
	clock, longClock      *bigText  // "0:00" style; "0:00:00" when that does not fit
	clockW                int       // the width the clock may take

	titleBase, subBase, clockBase, infoBase int
	barTop, barH                            int
	ring                                    bool
	ringC                                   image.Point
	ringR, ringW                            float32
	cueTop, cueBase                         int
	rz                                      *vector.Rasterizer
	track, arcMask                          *image.Alpha // the full ring (cached) and the progress arc
}

func newStudio(w, h int) (*studio, error) {
	f := float64(h)
	// Text scales with the height, but no more than a 3:4 portrait's: on a
	// tall screen the width limits it.
	u := math.Min(f, 4.0/3*float64(w))
	px := func(frac float64) int { return int(math.Round(frac * f)) }
	s := &studio{w: w, h: h, m: max(4, int(math.Round(0.035*float64(min(w, h))))), pal: colourPalette(),
		titleBase: px(0.13), subBase: px(0.225), clockBase: px(0.64), infoBase: px(0.80),
		barTop: px(0.68), barH: max(3, px(0.035)), cueTop: px(0.845), cueBase: px(0.95)}
	var err error
	for _, fc := range []struct {
		ttf  []byte
		size float64
		dst  *font.Face
	}{
		{gobold.TTF, 0.115 * u, &s.title}, {gobold.TTF, 0.085 * u, &s.smallTitle}, {goitalic.TTF, 0.072 * u, &s.sub},
		{gomedium.TTF, 0.068 * u, &s.info}, {gomedium.TTF, 0.075 * u, &s.cue},
	} {
		if *fc.dst, err = goFace(fc.ttf, fc.size, font.HintingNone); err != nil {
			return nil, err
		}
	}
	s.clockW = w - 2*s.m
	if float64(w) >= wideAspect*f {
		s.ring = true
		s.ringR = float32(0.2275 * f)
		s.ringW = float32(max(3, 0.035*f))
		s.ringC = image.Pt(w-s.m-int(s.ringR), px(0.4875))
		s.clockW -= int(2*s.ringR) + s.m
	}
	if s.clock, err = fitClock(clockFrac*f, s.clockW, "0:00"); err != nil {
		return nil, err
	}
	if s.longClock, err = fitClock(clockFrac*f, s.clockW, "00:00:00"); err != nil {
		return nil, err
	}
	return s, nil
}

// fitClock makes digits height px high, squeezed so that ref fits width;
// if that would squeeze them beyond minSqueeze, they shrink (never below a
// third of the height's share that a bar layout needs).
func fitClock(height float64, width int, ref string) (*bigText, error) {
	const refSize = 100
	probe, err := goFace(gobold.TTF, refSize, font.HintingNone)
	if err != nil {
		return nil, err
	}
	size := refSize * height / float64(digitHeight(probe))
	natural := float64(font.MeasureString(probe, ref).Ceil()) * size / refSize
	squeeze := math.Min(1, float64(width)/natural)
	if squeeze < minSqueeze {
		size *= squeeze / minSqueeze
		squeeze = minSqueeze
	}
	face, err := goFace(gobold.TTF, size, font.HintingNone)
	if err != nil {
		return nil, err
	}
	return newBigText(face, squeeze), nil
}

// draw renders c; img is already filled with the background.
func (s *studio) draw(img *image.RGBA, c Content) {
	switch c.Mode {
	case ModeIdle:
		s.drawIdle(img, c)
	case ModePose, ModeStep, ModeRest:
		s.drawPose(img, c)
	default:
		s.drawSession(img, c)
	}
	if c.Cue != "" {
		fill(img, image.Rect(0, s.cueTop, s.w, s.h), s.pal.cueBg)
		text(img, s.cue, s.pal.cueFg, s.m, s.cueBase, fit(s.cue, capitalise(c.Cue), s.w-2*s.m))
	}
}

// header draws the title and the line under it, with the routine step at
// the right of the title.
func (s *studio) header(img *image.RGBA, title, sub, step string) {
	inner := s.w - 2*s.m
	if step != "" {
		textRight(img, s.sub, s.pal.dim, s.w-s.m, s.titleBase, step)
		inner -= width(s.sub, step) + s.m
	}
	face := s.title
	if width(face, title) > inner {
		face = s.smallTitle
	}
	text(img, face, s.pal.fg, s.m, s.titleBase, fit(face, title, inner))
	text(img, s.sub, s.pal.dim, s.m, s.subBase, fit(s.sub, sub, s.w-2*s.m))
}

func (s *studio) drawPose(img *image.RGBA, c Content) {
	sub := c.Sanskrit
	if c.Side != "" {
		sub = join(sub, c.Side+" side")
	}
	s.header(img, c.Title, sub, c.Step)
	col := s.pal.fg
	switch {
	case c.Mode == ModeRest:
		col = s.pal.accent
	case c.Done:
		col = s.pal.done
	}
	s.drawClock(img, col, c.Clock)
	s.drawProgress(img, c)
	var info string
	switch c.Mode {
	case ModeRest:
		info = "Rest, then hold " + c.Target
	case ModeStep:
		info = "Last pose"
		if c.Next != "" {
			info = "Next: " + c.Next
		}
	default:
		if c.Session != "" {
			info = "Session " + c.Session
		}
	}
	text(img, s.info, s.pal.dim, s.m, s.infoBase, fit(s.info, info, s.w-2*s.m))
}

// drawClock draws the big clock left-aligned beside a ring, else centred.
func (s *studio) drawClock(img *image.RGBA, col color.Color, clock string) {
	b := s.clock
	if b.width(clock) > s.clockW {
		b = s.longClock
	}
	x := s.m
	if !s.ring {
		x = (s.w - b.width(clock)) / 2
	}
	b.draw(img, col, x, s.clockBase, clock)
}

// drawProgress is the ring (with the target inside) or the bar (with the
// target after it). A rest shows its ring empty, with "rest" inside.
func (s *studio) drawProgress(img *image.RGBA, c Content) {
	col := s.pal.accent
	if c.Done {
		col = s.pal.done
	}
	label, labelCol := c.Target, s.pal.dim
	if c.Mode == ModeRest {
		label, labelCol = "rest", s.pal.accent
	}
	if s.ring {
		s.arc(img, 1, s.pal.barBg)
		if c.Percent > 0 {
			s.arc(img, float64(c.Percent)/100, col)
		}
		if label != "" {
			textCentre(img, s.sub, labelCol, s.ringC.X, s.ringC.Y+s.sub.Metrics().CapHeight.Ceil()/2, label)
		}
		return
	}
	right := s.w - s.m
	if label != "" && c.Mode != ModeRest {
		textRight(img, s.info, labelCol, right, s.barTop+s.barH, label)
		right -= width(s.info, label) + s.m
	}
	if c.Percent < 0 || c.Mode == ModeRest {
		return
	}
	bar := image.Rect(s.m, s.barTop, right, s.barTop+s.barH)
	fill(img, bar, s.pal.barBg)
	bar.Max.X = bar.Min.X + bar.Dx()*c.Percent/100
	fill(img, bar, col)
}

// drawSession is the screen between poses: the prompt and the session
// clock, and how to start a routine when there is one.
func (s *studio) drawSession(img *image.RGBA, c Content) {
	sub := ""
	if c.Clock != "" {
		sub = "Session"
	}
	s.header(img, c.Title, sub, "")
	if c.Clock != "" {
		s.drawClock(img, s.pal.accent, c.Clock)
	}
	text(img, s.info, s.pal.dim, s.m, s.infoBase, fit(s.info, c.Hint, s.w-2*s.m))
}

// drawIdle is the invitation: the prompt centred over a yoga mat, and how
// to start a routine when there is one.
func (s *studio) drawIdle(img *image.RGBA, c Content) {
	mid, inner := s.w/2, s.w-2*s.m
	lh := s.title.Metrics().Height.Ceil()
	y := s.h * 9 / 20
	first, rest := wrap(s.title, c.Title, inner)
	if rest != "" { // two lines, centred on where one would be
		y -= lh / 2
	}
	textCentre(img, s.sub, s.pal.dim, mid, y-lh, "yogamirror")
	textCentre(img, s.title, s.pal.fg, mid, y, fit(s.title, first, inner))
	textCentre(img, s.title, s.pal.fg, mid, y+lh, fit(s.title, rest, inner))
	matW, matH := s.w*5/8, max(3, s.h/40)
	top := s.h * 6 / 10
	mat := image.Rect(mid-matW/2, top, mid+matW/2, top+matH)
	fill(img, mat, s.pal.accent)
	disc(img, image.Pt(mat.Max.X, mat.Max.Y-matH*3/2), matH*3/2, s.pal.accent)
	first, rest = wrap(s.info, c.Hint, inner)
	textCentre(img, s.info, s.pal.fg, mid, s.infoBase, fit(s.info, first, inner))
	textCentre(img, s.info, s.pal.fg, mid, s.infoBase+s.info.Metrics().Height.Ceil(), fit(s.info, rest, inner))
}

// join puts " · " between two non-empty parts.
func join(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " · " + b
}

func (s *studio) String() string { return fmt.Sprintf("studio %d×%d", s.w, s.h) }

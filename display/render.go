// Package display owns what the mirror shows: the renderer that turns a
// session.State into an image and the Screen, which puts renders on a panel
// (any periph display.Drawer) at a bounded rate and only when something
// visible changed. Panels live in the sub-packages.
//
// Three layouts: a hand-placed one for 128×64 one-bit panels, a compact
// colour one for small colour screens, and the studio layout for colour
// screens of 240 pixels and more each way (TFT panels, monitors behind
// two-way glass), readable from a yoga mat 3 m away: black background,
// timer digits more than a third of the screen high, pose and Sanskrit
// names, a progress ring or bar, the next pose of a routine, the cue.
//
// Rendering is pure and deterministic: fonts are Go's own (x/image), time
// comes from the State, never the wall clock.
package display

import (
	"fmt"
	"image"

	"github.com/yogamirror/yogamirror/inference/session"
)

// RenderOpts chooses the size and the layout of renders.
type RenderOpts struct {
	Width, Height int
	// Mono selects the one-bit layout (bitmap fonts, output pure black and
	// white). It is designed for 128×64; a larger panel shows it top-left.
	Mono bool
}

// Minimum sizes the layouts are designed for.
const (
	MonoWidth, MonoHeight     = 128, 64
	ColourWidth, ColourHeight = 240, 135
	// StudioMin is the smallest width and height that get the studio layout.
	StudioMin = 240
)

// Renderer draws States. It reuses one image and its caches: neither Content
// nor Draw is safe for concurrent use with itself, but they share no state,
// so one goroutine may compute Contents while another draws them (as a
// Screen does).
type Renderer struct {
	l        *layout
	studio   *studio // colour screens of StudioMin and more
	img      *image.RGBA
	contents Contents
}

// NewRenderer returns a renderer for o.
func NewRenderer(o RenderOpts) (*Renderer, error) {
	minW, minH := ColourWidth, ColourHeight
	if o.Mono {
		minW, minH = MonoWidth, MonoHeight
	}
	if o.Width < minW || o.Height < minH || o.Width > 4096 || o.Height > 4096 {
		return nil, fmt.Errorf("display: render size %d×%d, want at least %d×%d (and at most 4096×4096)", o.Width, o.Height, minW, minH)
	}
	r := &Renderer{img: image.NewRGBA(image.Rect(0, 0, o.Width, o.Height))}
	var err error
	switch {
	case o.Mono:
		r.l, err = monoLayout(o.Width, o.Height)
	case min(o.Width, o.Height) >= StudioMin:
		if r.studio, err = newStudio(o.Width, o.Height); err == nil {
			r.l = &layout{pal: r.studio.pal}
		}
	default:
		r.l, err = colourLayout(o.Width, o.Height)
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// Bounds is the size of the renders, at the origin.
func (r *Renderer) Bounds() image.Rectangle { return r.img.Rect }

// Mono reports whether renders are one-bit.
func (r *Renderer) Mono() bool { return r.l.mono }

// Content is what s would show. It allocates nothing when s shows the same
// pose and whole seconds as the previous call.
func (r *Renderer) Content(s session.State) Content { return r.contents.Of(s) }

// Render draws s. See Draw for who owns the image.
func (r *Renderer) Render(s session.State) *image.RGBA { return r.Draw(r.Content(s)) }

// Draw draws c. The image belongs to the Renderer and is overwritten by the
// next Draw: copy it to keep it.
func (r *Renderer) Draw(c Content) *image.RGBA {
	l, img := r.l, r.img
	fill(img, img.Rect, l.pal.bg)
	if r.studio != nil {
		r.studio.draw(img, c)
		return img
	}
	switch c.Mode {
	case ModeIdle:
		r.drawIdle(c)
	case ModePose, ModeStep:
		r.drawPose(c)
	case ModeRest:
		r.drawRest(c)
	default:
		r.drawSession(c)
	}
	r.drawFooter(c)
	if l.mono {
		threshold(img)
	}
	return img
}

func (r *Renderer) drawPose(c Content) {
	l, img := r.l, r.img
	inner := l.w - 2*l.margin
	title, sub := c.Title, c.Sanskrit
	if sub == "" { // a long Sanskrit-only name wraps onto the second line
		title, sub = wrap(l.title, title, inner)
	}
	if c.Side != "" {
		sub = join(c.Side, sub)
	}
	if c.Step != "" {
		textRight(img, l.label, l.pal.dim, l.w-l.margin, l.titleBase, c.Step)
		inner -= width(l.label, c.Step) + l.margin
	}
	text(img, l.title, l.pal.fg, l.margin, l.titleBase, fit(l.title, title, inner))
	text(img, l.sub, l.pal.dim, l.margin, l.subBase, fit(l.sub, sub, l.w-2*l.margin))
	clockCol := l.pal.fg
	if c.Done {
		clockCol = l.pal.done
	}
	text(img, l.big, clockCol, l.margin, l.bigBase, c.Clock)
	// The target and "done!" sit right of the clock when there is room.
	right, room := l.w-l.margin, l.w-2*l.margin-width(l.big, c.Clock)-l.margin
	if c.Target != "" && width(l.label, "/"+c.Target) <= room {
		textRight(img, l.label, l.pal.dim, right, l.bigBase, "/"+c.Target)
	}
	if c.Done && width(l.label, "done!") <= room {
		textRight(img, l.label, l.pal.done, right, l.bigBase-lineHeight(l), "done!")
	}
	if c.Percent >= 0 {
		r.drawBar(c.Percent, c.Done)
	}
}

// drawSession is the screen between poses: a prompt and the session clock.
func (r *Renderer) drawSession(c Content) {
	l, img := r.l, r.img
	inner := l.w - 2*l.margin
	text(img, l.title, l.pal.fg, l.margin, l.titleBase, fit(l.title, c.Title, inner))
	if c.Clock == "" {
		return
	}
	text(img, l.label, l.pal.dim, l.margin, l.subBase, "session")
	text(img, l.big, l.pal.accent, l.margin, l.bigBase, c.Clock)
}

// drawRest is the rest before a routine step: the pose to get into and
// the countdown.
func (r *Renderer) drawRest(c Content) {
	l, img := r.l, r.img
	inner := l.w - 2*l.margin
	if c.Step != "" {
		textRight(img, l.label, l.pal.dim, l.w-l.margin, l.titleBase, c.Step)
		inner -= width(l.label, c.Step) + l.margin
	}
	text(img, l.title, l.pal.fg, l.margin, l.titleBase, fit(l.title, c.Title, inner))
	text(img, l.sub, l.pal.dim, l.margin, l.subBase, fit(l.sub, join("rest", c.Side), l.w-2*l.margin))
	text(img, l.big, l.pal.accent, l.margin, l.bigBase, c.Clock)
}

// drawIdle is the invitation: the prompt centred over a yoga mat.
func (r *Renderer) drawIdle(c Content) {
	l, img := r.l, r.img
	mid := l.w / 2
	textCentre(img, l.sub, l.pal.dim, mid, l.subBase-lineHeight(l)/2, "yogamirror")
	textCentre(img, l.title, l.pal.fg, mid, (l.subBase+l.bigBase)/2, fit(l.title, c.Title, l.w-2*l.margin))
	if c.Cue != "" {
		return // the cue box takes the mat's place
	}
	// The mat: a long strip with a rolled-up end.
	matW, matH := l.w*5/8, max(2, l.barH/2)
	mat := image.Rect(mid-matW/2, l.barTop+l.barH-matH, mid+matW/2, l.barTop+l.barH)
	fill(img, mat, l.pal.accent)
	disc(img, image.Pt(mat.Max.X, mat.Max.Y-matH*3/2), matH*3/2, l.pal.accent)
}

// drawBar is the progress to the target; the fill is quantised to whole
// percent, as Content is.
func (r *Renderer) drawBar(pct int, done bool) {
	l, img := r.l, r.img
	bar := image.Rect(l.margin, l.barTop, l.w-l.margin, l.barTop+l.barH)
	inner := bar
	if l.mono {
		outline(img, bar, l.pal.fg)
		inner = bar.Inset(2)
	} else {
		fill(img, bar, l.pal.barBg)
	}
	col := l.pal.accent
	if done {
		col = l.pal.done
	}
	inner.Max.X = inner.Min.X + inner.Dx()*pct/100
	fill(img, inner, col)
}

// drawFooter is the cue, boxed to catch the eye, or else the session clock.
func (r *Renderer) drawFooter(c Content) {
	l, img := r.l, r.img
	if c.Cue != "" {
		fill(img, image.Rect(0, l.footTop, l.w, l.h), l.pal.cueBg)
		text(img, l.small, l.pal.cueFg, l.margin+1, l.footBase, fit(l.small, capitalise(c.Cue), l.w-2*l.margin-2))
		return
	}
	var foot string
	switch {
	case c.Mode == ModeStep && c.Next != "":
		foot = "next: " + c.Next
	case c.Mode == ModeStep:
		foot = "last pose"
	case c.Mode == ModeRest:
		foot = "then hold " + c.Target
	case c.Mode == ModePose && c.Session != "":
		foot = "session " + c.Session
	case c.Hint != "":
		foot = c.Hint
	}
	text(img, l.label, l.pal.dim, l.margin, l.footBase, fit(l.label, foot, l.w-2*l.margin))
}

// lineHeight is the label face's line spacing.
func lineHeight(l *layout) int { return l.label.Metrics().Height.Ceil() }

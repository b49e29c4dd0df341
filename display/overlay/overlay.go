// Package overlay draws a detected pose onto a photo or frame: the skeleton,
// the keypoints, and a caption with the predicted pose. Used by
// `yogamirror detect --annotate` and the preview.
package overlay

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// MinScore is the keypoint confidence below which a point or bone is not drawn.
const MinScore = 0.3

var (
	left    = color.RGBA{255, 140, 0, 255} // orange
	right   = color.RGBA{0, 190, 255, 255} // blue
	centre  = color.RGBA{255, 255, 255, 255}
	caption = color.RGBA{0, 0, 0, 180}
)

// Draw paints p's skeleton and the caption lines onto img (modified in place).
func Draw(img draw.Image, p *pose.Pose, lines ...string) {
	b := img.Bounds()
	thick := max(1, min(b.Dx(), b.Dy())/150)
	for _, e := range pose.Edges {
		a, c := p.Keypoints[e[0]], p.Keypoints[e[1]]
		if a.Score < MinScore || c.Score < MinScore {
			continue
		}
		line(img, a.X, a.Y, c.X, c.Y, thick, sideColour(e[0], e[1]))
	}
	for k, kp := range p.Keypoints {
		if kp.Score >= MinScore {
			disc(img, kp.X, kp.Y, float32(thick*2), sideColour(pose.Part(k), pose.Part(k)))
		}
	}
	text(img, lines)
}

func sideColour(a, b pose.Part) color.RGBA {
	isLeft := func(p pose.Part) bool { return p != pose.Nose && p%2 == 1 }
	switch {
	case a == pose.Nose || isLeft(a) != isLeft(b):
		return centre
	case isLeft(a):
		return left
	}
	return right
}

// line draws a segment as a chain of discs: simple, and thick lines look round.
func line(img draw.Image, x0, y0, x1, y1 float32, thick int, c color.RGBA) {
	n := int(math.Hypot(float64(x1-x0), float64(y1-y0))) + 1
	for i := 0; i <= n; i++ {
		t := float32(i) / float32(n)
		disc(img, x0+t*(x1-x0), y0+t*(y1-y0), float32(thick)/2+0.5, c)
	}
}

func disc(img draw.Image, cx, cy, r float32, c color.RGBA) {
	b := img.Bounds()
	for y := int(cy - r); y <= int(cy+r); y++ {
		for x := int(cx - r); x <= int(cx+r); x++ {
			dx, dy := float32(x)-cx, float32(y)-cy
			if dx*dx+dy*dy <= r*r && image.Pt(x, y).In(b) {
				img.Set(x, y, c)
			}
		}
	}
}

// text writes lines in white on a translucent band at the top left.
func text(img draw.Image, lines []string) {
	if len(lines) == 0 {
		return
	}
	face := basicfont.Face7x13
	w := 0
	for _, l := range lines {
		w = max(w, font.MeasureString(face, l).Ceil())
	}
	b := img.Bounds()
	band := image.Rect(b.Min.X, b.Min.Y, b.Min.X+w+8, b.Min.Y+len(lines)*15+6)
	draw.Draw(img, band, image.NewUniform(caption), image.Point{}, draw.Over)
	d := font.Drawer{Dst: img, Src: image.NewUniform(centre), Face: face}
	for i, l := range lines {
		d.Dot = fixed.P(b.Min.X+4, b.Min.Y+15*(i+1))
		d.DrawString(l)
	}
}

package movenet

import (
	"math"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// Region is the part of the source image MoveNet looks at, as fractions of
// its height and width. It may extend past the image; the outside is black.
type Region struct {
	YMin, XMin, YMax, XMax float64
}

// FullRegion is the square that letterboxes a w×h image: the whole image,
// centred, padded on its short side.
func FullRegion(w, h int) Region {
	if w > h {
		half := float64(w) / float64(h) / 2
		return Region{YMin: 0.5 - half, XMin: 0, YMax: 0.5 + half, XMax: 1}
	}
	half := float64(h) / float64(w) / 2
	return Region{YMin: 0, XMin: 0.5 - half, YMax: 1, XMax: 0.5 + half}
}

// minCropScore is the confidence above which a keypoint steers the crop
// (MoveNet's reference uses 0.2).
const minCropScore = 0.2

// torsoVisible reports whether at least one hip and one shoulder are confident.
func torsoVisible(p *pose.Pose) bool {
	k := &p.Keypoints
	return (k[pose.LeftHip].Score > minCropScore || k[pose.RightHip].Score > minCropScore) &&
		(k[pose.LeftShoulder].Score > minCropScore || k[pose.RightShoulder].Score > minCropScore)
}

// CropRegion is where to look next, following MoveNet's reference: a square
// centred on the hips, large enough for 1.9× the torso and 1.2× the body
// extent, clamped to the image; the full letterboxed frame when the torso is
// not visible or the square would exceed the image. Unlike the reference, the
// body extent loop measures each keypoint itself (the reference reuses the
// last torso joint there).
func CropRegion(p *pose.Pose) Region {
	w, h := float64(p.Width), float64(p.Height)
	if w <= 0 || h <= 0 {
		return Region{0, 0, 1, 1}
	}
	if !torsoVisible(p) {
		return FullRegion(p.Width, p.Height)
	}
	k := &p.Keypoints
	cx := float64(k[pose.LeftHip].X+k[pose.RightHip].X) / 2
	cy := float64(k[pose.LeftHip].Y+k[pose.RightHip].Y) / 2
	var torsoX, torsoY, bodyX, bodyY float64
	for _, part := range []pose.Part{pose.LeftShoulder, pose.RightShoulder, pose.LeftHip, pose.RightHip} {
		torsoX = math.Max(torsoX, math.Abs(cx-float64(k[part].X)))
		torsoY = math.Max(torsoY, math.Abs(cy-float64(k[part].Y)))
	}
	for _, kp := range k {
		if kp.Score < minCropScore {
			continue
		}
		bodyX = math.Max(bodyX, math.Abs(cx-float64(kp.X)))
		bodyY = math.Max(bodyY, math.Abs(cy-float64(kp.Y)))
	}
	half := math.Max(math.Max(torsoX*1.9, torsoY*1.9), math.Max(bodyX*1.2, bodyY*1.2))
	half = math.Min(half, math.Max(math.Max(cx, w-cx), math.Max(cy, h-cy)))
	if half > math.Max(w, h)/2 || half <= 0 {
		return FullRegion(p.Width, p.Height)
	}
	y0, x0 := cy-half, cx-half
	return Region{YMin: y0 / h, XMin: x0 / w, YMax: (y0 + 2*half) / h, XMax: (x0 + 2*half) / w}
}

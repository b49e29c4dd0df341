// Package pose owns the vocabulary every stage shares: the 17 COCO keypoints
// of one person, a classifier's prediction, the Estimator and Classifier
// interfaces, and the geometry on top (normalised embedding, joint angles,
// left/right mirroring). It is pure Go.
package pose

import (
	"image"
	"math"
)

// Part is one of the 17 COCO keypoints, in MoveNet's output order.
type Part int

const (
	Nose Part = iota
	LeftEye
	RightEye
	LeftEar
	RightEar
	LeftShoulder
	RightShoulder
	LeftElbow
	RightElbow
	LeftWrist
	RightWrist
	LeftHip
	RightHip
	LeftKnee
	RightKnee
	LeftAnkle
	RightAnkle
)

// NumParts is the number of keypoints in a Pose.
const NumParts = 17

var partNames = [NumParts]string{
	"nose", "left_eye", "right_eye", "left_ear", "right_ear",
	"left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
	"left_wrist", "right_wrist", "left_hip", "right_hip",
	"left_knee", "right_knee", "left_ankle", "right_ankle",
}

func (p Part) String() string {
	if p < 0 || p >= NumParts {
		return "unknown"
	}
	return partNames[p]
}

// Mirror is the same part on the other side of the body (Nose stays Nose).
func (p Part) Mirror() Part {
	if p == Nose {
		return p
	}
	if p%2 == 1 {
		return p + 1
	}
	return p - 1
}

// Edges are the skeleton's bones, for drawing.
var Edges = [][2]Part{
	{Nose, LeftEye}, {Nose, RightEye}, {LeftEye, LeftEar}, {RightEye, RightEar},
	{LeftShoulder, RightShoulder}, {LeftShoulder, LeftElbow}, {LeftElbow, LeftWrist},
	{RightShoulder, RightElbow}, {RightElbow, RightWrist}, {LeftShoulder, LeftHip},
	{RightShoulder, RightHip}, {LeftHip, RightHip}, {LeftHip, LeftKnee},
	{LeftKnee, LeftAnkle}, {RightHip, RightKnee}, {RightKnee, RightAnkle},
}

// Keypoint is a position in pixels of the source image and MoveNet's confidence.
type Keypoint struct {
	X, Y  float32
	Score float32
}

// Pose is one person's keypoints in the pixel space of a Width×Height image.
type Pose struct {
	Keypoints     [NumParts]Keypoint
	Width, Height int
}

// MeanScore is the average keypoint confidence.
func (p *Pose) MeanScore() float32 {
	var s float32
	for _, k := range p.Keypoints {
		s += k.Score
	}
	return s / NumParts
}

// Mirrored flips the pose horizontally within its image (about x = 0 when
// the width is unknown) and swaps left and right, as if the photo had been
// taken of the mirror image.
func (p Pose) Mirrored() Pose {
	out := Pose{Width: p.Width, Height: p.Height}
	for i, k := range p.Keypoints {
		k.X = float32(p.Width) - k.X
		out.Keypoints[Part(i).Mirror()] = k
	}
	return out
}

// Bounds is the box around keypoints scoring at least minScore (empty if none).
func (p *Pose) Bounds(minScore float32) image.Rectangle {
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	for _, k := range p.Keypoints {
		if k.Score < minScore {
			continue
		}
		minX, maxX = min(minX, k.X), max(maxX, k.X)
		minY, maxY = min(minY, k.Y), max(maxY, k.Y)
	}
	if minX > maxX {
		return image.Rectangle{}
	}
	return image.Rect(int(minX), int(minY), int(math.Ceil(float64(maxX))), int(math.Ceil(float64(maxY))))
}

// Class is one label and its probability.
type Class struct {
	Label string  `json:"label"`
	Score float32 `json:"score"`
}

// Prediction is a classifier's answer for one pose.
type Prediction struct {
	// Classes holds the top classes, best first; empty when Person is false.
	Classes []Class
	// Person is false when keypoint confidence is too low to say anything.
	Person bool
	// Pose is the pose that was classified.
	Pose Pose
}

// Top is the best class, or the zero Class when there is none.
func (p Prediction) Top() Class {
	if len(p.Classes) == 0 {
		return Class{}
	}
	return p.Classes[0]
}

// Estimator finds one person's keypoints in an image. Implementations are not
// safe for concurrent use.
type Estimator interface {
	Estimate(img image.Image) (Pose, error)
}

// Classifier names the pose. Implementations are not safe for concurrent use.
type Classifier interface {
	Classify(p Pose) (Prediction, error)
}

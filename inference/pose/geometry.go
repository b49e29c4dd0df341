package pose

import "math"

// Joint is an angle at B between the bones B→A and B→C.
type Joint struct {
	Name    string
	A, B, C Part
}

// Joints are the angles form cues and classifiers look at, left then right.
var Joints = []Joint{
	{"left_elbow", LeftShoulder, LeftElbow, LeftWrist},
	{"right_elbow", RightShoulder, RightElbow, RightWrist},
	{"left_shoulder", LeftElbow, LeftShoulder, LeftHip},
	{"right_shoulder", RightElbow, RightShoulder, RightHip},
	{"left_hip", LeftShoulder, LeftHip, LeftKnee},
	{"right_hip", RightShoulder, RightHip, RightKnee},
	{"left_knee", LeftHip, LeftKnee, LeftAnkle},
	{"right_knee", RightHip, RightKnee, RightAnkle},
}

// Angle is the joint's angle in degrees (0..180) and the lowest confidence of
// its three keypoints.
func (p *Pose) Angle(j Joint) (deg float64, score float32) {
	a, b, c := p.Keypoints[j.A], p.Keypoints[j.B], p.Keypoints[j.C]
	score = min(a.Score, b.Score, c.Score)
	ux, uy := float64(a.X-b.X), float64(a.Y-b.Y)
	vx, vy := float64(c.X-b.X), float64(c.Y-b.Y)
	nu, nv := math.Hypot(ux, uy), math.Hypot(vx, vy)
	if nu == 0 || nv == 0 {
		return 0, 0
	}
	cos := (ux*vx + uy*vy) / (nu * nv)
	return math.Acos(math.Max(-1, math.Min(1, cos))) * 180 / math.Pi, score
}

func mid(a, b Keypoint) (float32, float32) { return (a.X + b.X) / 2, (a.Y + b.Y) / 2 }

// Center is the midpoint of the hips, the origin of the normalised embedding.
func (p *Pose) Center() (x, y float32) {
	return mid(p.Keypoints[LeftHip], p.Keypoints[RightHip])
}

// TorsoMultiplier scales the torso length into the pose size, as in
// TensorFlow's pose-classification tutorial.
const TorsoMultiplier = 2.5

// Size is the pose's scale: the larger of 2.5 × the torso length (hip centre
// to shoulder centre) and the largest distance from the hip centre to a
// keypoint scoring at least minScore (every keypoint when minScore is 0).
func (p *Pose) Size(minScore float32) float32 {
	cx, cy := p.Center()
	sx, sy := mid(p.Keypoints[LeftShoulder], p.Keypoints[RightShoulder])
	size := TorsoMultiplier * float32(math.Hypot(float64(sx-cx), float64(sy-cy)))
	for _, k := range p.Keypoints {
		if k.Score >= minScore {
			size = max(size, float32(math.Hypot(float64(k.X-cx), float64(k.Y-cy))))
		}
	}
	return size
}

// Normalized is the hip-centred, size-scaled keypoint positions (x, y).
// A degenerate pose (all points equal) gives zeros.
func (p *Pose) Normalized(minScore float32) [NumParts][2]float32 {
	var out [NumParts][2]float32
	size := p.Size(minScore)
	if size <= 0 || math.IsNaN(float64(size)) || math.IsInf(float64(size), 0) {
		return out
	}
	cx, cy := p.Center()
	for k, kp := range p.Keypoints {
		out[k] = [2]float32{(kp.X - cx) / size, (kp.Y - cy) / size}
	}
	return out
}

// Valid reports whether every coordinate and score is a finite number.
func (p *Pose) Valid() bool {
	for _, k := range p.Keypoints {
		for _, v := range []float32{k.X, k.Y, k.Score} {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return false
			}
		}
	}
	return true
}

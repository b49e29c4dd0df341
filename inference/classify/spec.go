package classify

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// MetadataName is the TFLite metadata entry holding a Spec in the project's
// own classifiers.
const MetadataName = "yogamirror_classifier"

// SpecVersion is the version of the Spec JSON this build reads and writes.
const SpecVersion = 1

// Feature kinds.
const (
	// FeatureRawYXS is Google's tutorial input: 17 × (y, x, score) in pixels.
	FeatureRawYXS = "raw_yxs"
	// FeatureEmbed is yogamirror's: hip-centred, size-normalised (x, y) of
	// the 17 keypoints, optionally followed by their confidences and the
	// joint angles.
	FeatureEmbed = "embed"
)

// Features says how a pose becomes the model's input vector. The trainer
// and the classifier both call Fill, so training and inference can't drift.
type Features struct {
	Kind string `json:"kind"`
	// MinScore: keypoints scoring less are "missing": they do not set the
	// pose size, their position is replaced by the hip centre (0, 0), and
	// angles through them read as 0.
	MinScore float32 `json:"min_score,omitempty"`
	Scores   bool    `json:"scores,omitempty"` // append the 17 confidences
	Angles   bool    `json:"angles,omitempty"` // append the joint angles / 180°
	// Distances appends the 136 pairwise keypoint distances (in pose sizes).
	Distances bool `json:"distances,omitempty"`
}

// Len is the input vector's length (0 for an unknown kind).
func (f Features) Len() int {
	switch f.Kind {
	case FeatureRawYXS:
		return 3 * pose.NumParts
	case FeatureEmbed:
		n := 2 * pose.NumParts
		if f.Scores {
			n += pose.NumParts
		}
		if f.Angles {
			n += len(pose.Joints)
		}
		if f.Distances {
			n += pose.NumParts * (pose.NumParts - 1) / 2
		}
		return n
	}
	return 0
}

// Fill writes the feature vector of p into dst (len(dst) == f.Len()).
func (f Features) Fill(p *pose.Pose, dst []float32) {
	switch f.Kind {
	case FeatureRawYXS:
		for k, kp := range p.Keypoints {
			dst[3*k], dst[3*k+1], dst[3*k+2] = kp.Y, kp.X, kp.Score
		}
	case FeatureEmbed:
		f.fillEmbed(p, dst)
	}
}

func (f Features) fillEmbed(p *pose.Pose, dst []float32) {
	norm := p.Normalized(f.MinScore)
	i := 0
	for k, kp := range p.Keypoints {
		if kp.Score < f.MinScore {
			norm[k] = [2]float32{}
		}
		dst[i], dst[i+1] = norm[k][0], norm[k][1]
		i += 2
	}
	if f.Scores {
		for _, kp := range p.Keypoints {
			dst[i] = kp.Score
			i++
		}
	}
	if f.Angles {
		for _, j := range pose.Joints {
			deg, score := p.Angle(j)
			if score < f.MinScore {
				deg = 0
			}
			dst[i] = float32(deg / 180)
			i++
		}
	}
	if f.Distances {
		for a := 0; a < pose.NumParts; a++ {
			for b := a + 1; b < pose.NumParts; b++ {
				dx, dy := norm[a][0]-norm[b][0], norm[a][1]-norm[b][1]
				dst[i] = float32(math.Sqrt(float64(dx*dx + dy*dy)))
				i++
			}
		}
	}
}

// Spec is what a yogamirror classifier file carries about itself.
type Spec struct {
	Version  int      `json:"version"`
	Labels   []string `json:"labels"`
	Features Features `json:"features"`
	// MirrorTTA averages the prediction for the pose and its mirror image.
	MirrorTTA bool `json:"mirror_tta,omitempty"`
	// Reference holds per-pose joint angles for form cues.
	Reference pose.Reference `json:"reference,omitempty"`
	// Model says what is inside ("mlp", "knn") and how it was trained.
	Model string `json:"model,omitempty"`
	// Checksum is tflitefile.Checksum of the file (every byte but this
	// metadata's: graph and weights), checked at load; models trained
	// before it existed have none and load "unverified".
	Checksum string `json:"checksum,omitempty"`
}

// ParseSpec reads and validates a Spec.
func ParseSpec(data []byte) (Spec, error) {
	var s Spec
	if err := json.Unmarshal(data, &s); err != nil {
		return s, fmt.Errorf("metadata %s: %w", MetadataName, err)
	}
	if s.Version != SpecVersion {
		return s, fmt.Errorf("metadata %s: version %d, this build reads %d", MetadataName, s.Version, SpecVersion)
	}
	if s.Features.Len() == 0 {
		return s, fmt.Errorf("metadata %s: unknown feature kind %q", MetadataName, s.Features.Kind)
	}
	if len(s.Labels) == 0 {
		return s, fmt.Errorf("metadata %s: no labels", MetadataName)
	}
	return s, nil
}

package classify

import (
	"encoding/json"
	"fmt"

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
)

// Features says how a pose becomes the model's input vector.
type Features struct {
	Kind string `json:"kind"`
}

// Len is the input vector's length.
func (f Features) Len() int {
	switch f.Kind {
	case FeatureRawYXS:
		return 3 * pose.NumParts
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
	}
}

// Spec is what a yogamirror classifier file carries about itself.
type Spec struct {
	Version  int      `json:"version"`
	Labels   []string `json:"labels"`
	Features Features `json:"features"`
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

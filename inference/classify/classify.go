// Package classify names poses from keypoints. It runs two classifier
// formats through the tflite package and tells them apart by the model file
// itself: Google's pose-classification tutorial format (51 floats of (y, x,
// score) in pixels → softmax, labels in a text file) and yogamirror's own
// (the same runtime, with its feature recipe and labels stored as metadata in
// the .tflite file).
package classify

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/pose"
)

// DefaultMinPersonScore is the mean keypoint confidence under which a pose is
// reported as "no person". An empty room scores about 0.05, a person in view
// rarely less than 0.25.
const DefaultMinPersonScore = 0.15

// ReadLabels reads a labels file: one label per line, blank lines ignored.
// max caps its size (0: the default of storage.ListLimit).
func ReadLabels(path string, max int64) ([]string, error) {
	data, err := storage.ReadFile(path, storage.ListLimit(max))
	if err != nil {
		return nil, fmt.Errorf("classify: labels: %w", err)
	}
	return parseLabels(path, data)
}

func parseLabels(name string, data []byte) ([]string, error) {
	var labels []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" {
			continue
		}
		if seen[l] {
			return nil, fmt.Errorf("classify: labels %s: %q appears twice", name, l)
		}
		seen[l] = true
		labels = append(labels, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("classify: labels %s: %w", name, err)
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("classify: labels %s: no labels", name)
	}
	return labels, nil
}

// TopK turns a probability vector into the k best classes, best first.
func TopK(probs []float32, labels []string, k int) []pose.Class {
	out := make([]pose.Class, len(probs))
	for i, p := range probs {
		out[i] = pose.Class{Label: labels[i], Score: p}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	if k > 0 && k < len(out) {
		out = out[:k]
	}
	return out
}

// ErrNoLabels means the model carries no labels and none were given.
var ErrNoLabels = errors.New("classify: this model carries no labels: pass a labels file")

// isPerson applies the "no person" rule.
func isPerson(p *pose.Pose, min float32) bool {
	return p.MeanScore() >= min
}

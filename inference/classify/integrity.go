package classify

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/catalog"
	"github.com/yogamirror/yogamirror/inference/tflitefile"
)

// ErrCorrupt means a model's bytes are not the ones it was written or
// published with: a flipped weight gives confident wrong answers, so the
// model is refused.
var ErrCorrupt = errors.New("classify: model corrupt: checksum mismatch")

// ChecksumPlaceholder is what Spec.Checksum holds while the model is built;
// Seal replaces it with the real checksum, which has the same length.
var ChecksumPlaceholder = strings.Repeat("0", 64)

// Seal fills in the checksum of a model whose Spec was written with
// Checksum = ChecksumPlaceholder.
func Seal(model []byte) ([]byte, error) {
	sum, err := tflitefile.Checksum(model, MetadataName)
	if err != nil {
		return nil, fmt.Errorf("classify: seal: %w", err)
	}
	start, end, _ := tflitefile.MetadataRange(model, MetadataName)
	ph := []byte(`"checksum":"` + ChecksumPlaceholder + `"`)
	meta := model[start:end]
	if bytes.Count(meta, ph) != 1 {
		return nil, errors.New("classify: seal: the metadata holds no checksum placeholder")
	}
	out := append([]byte(nil), model...)
	copy(out[start+bytes.Index(meta, ph):], `"checksum":"`+sum+`"`)
	return out, nil
}

// Integrity says how a loaded model's bytes were checked.
type Integrity string

const (
	Verified Integrity = "verified (checksum in its metadata)"
	Pinned   Integrity = "verified (the catalog's pinned sha256)"
	// Unverified models load, and say so where models are listed.
	Unverified Integrity = "unverified (no checksum: trained before checksums, or not a yogamirror model)"
)

// verify checks model (named path) against its own checksum or, for the
// catalog's models, their pinned sha256.
func verify(path string, model []byte, spec *Spec) (Integrity, error) {
	if pinned, err := catalog.Verify(path, model); err != nil {
		return "", fmt.Errorf("classify: %w", err)
	} else if pinned {
		return Pinned, nil
	}
	if spec == nil || spec.Checksum == "" {
		return Unverified, nil
	}
	sum, err := tflitefile.Checksum(model, MetadataName)
	if err != nil {
		return "", fmt.Errorf("classify: %s: %w", path, err)
	}
	if sum != spec.Checksum {
		return "", fmt.Errorf("%w: %s (its content hashes to %s…, its metadata says %s…)", ErrCorrupt, path, sum[:16], spec.Checksum[:min(16, len(spec.Checksum))])
	}
	return Verified, nil
}

// VerifyFile checks a classifier file's integrity without loading it into
// the runtime: for a fleet rollout to refuse a damaged model before it
// replaces a working one. maxBytes caps the read (0: the default).
func VerifyFile(path string, maxBytes int64) (Integrity, error) {
	data, err := storage.ReadFile(path, storage.ModelLimit(maxBytes))
	if err != nil {
		return "", fmt.Errorf("classify: %w", err)
	}
	meta, err := tflitefile.ReadMetadata(data, MetadataName)
	if err != nil {
		return "", fmt.Errorf("classify: %s: %w", path, err)
	}
	var spec *Spec
	if meta != nil {
		s, err := ParseSpec(meta)
		if err != nil {
			return "", fmt.Errorf("classify: %s: %w", path, err)
		}
		spec = &s
	}
	return verify(path, data, spec)
}

package storage

// The kinds of files yogamirror reads and their default caps, in one place
// so the README's reliability table, the daemon's limits section and the
// CLI's --max-* flags agree. Each takes the configured override (bytes;
// <= 0 keeps the default).

// ModelLimit caps a .tflite model: well above MoveNet Thunder float32
// (24 MB); ours are under 5 MB.
func ModelLimit(max int64) Limit {
	return Limit{Max: 64 << 20, What: "TFLite models",
		Raise: "limits.model_mib in the daemon's config, --max-model-mib in the CLI"}.WithMax(max)
}

// ImageLimit caps one image file (a replayed folder, a dataset photo).
func ImageLimit(max int64) Limit {
	return Limit{Max: 32 << 20, What: "image files",
		Raise: "limits.image_mib in the daemon's config, --max-image-mib in the CLI"}.WithMax(max)
}

// ListLimit caps text data: label files, keypoint CSVs, split lists and
// the Yoga-82 metadata (the largest shipped one is 2.9 MB).
func ListLimit(max int64) Limit {
	return Limit{Max: 64 << 20, What: "label files, keypoint CSVs and split lists",
		Raise: "limits.list_mib in the daemon's config, --max-list-mib in the CLI"}.WithMax(max)
}

// ConfigLimit caps the daemon's YAML configuration: the example is 5 KB.
func ConfigLimit(max int64) Limit {
	return Limit{Max: 1 << 20, What: "configuration files", Raise: "yogamirrord --max-config-kib"}.WithMax(max)
}

// StateLimit caps the small files in the state directory (counters, marks)
// and credentials: they are written by yogamirror or hold one secret, so
// anything bigger is not theirs.
func StateLimit(what string) Limit { return Limit{Max: 1 << 20, What: what} }

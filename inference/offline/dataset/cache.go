package dataset

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/yogamirror/yogamirror/device/storage"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// Cache stores extracted poses on disk, one small JSON file per image,
// under a folder named after the estimator (model hash and settings), so a
// different model or setting never reads another's keypoints.
type Cache struct {
	dir string
}

// OpenCache opens (creating) the cache for one estimator identity.
func OpenCache(root, estimatorID string) (*Cache, error) {
	if estimatorID == "" {
		return nil, fmt.Errorf("dataset: cache needs an estimator id")
	}
	dir := filepath.Join(root, estimatorID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("dataset: cache: %w", err)
	}
	return &Cache{dir: dir}, nil
}

func (c *Cache) path(key string) string {
	return filepath.Join(c.dir, key[:2], key+".json")
}

type cachedPose struct {
	W, H int
	K    [pose.NumParts][3]float32 // x, y, score
}

// Get returns the pose stored for an image hash. Unreadable entries are misses.
func (c *Cache) Get(key string) (pose.Pose, bool) {
	data, err := storage.ReadFile(c.path(key), storage.StateLimit("keypoint cache entries"))
	if err != nil {
		return pose.Pose{}, false
	}
	var cp cachedPose
	if json.Unmarshal(data, &cp) != nil || cp.W <= 0 || cp.H <= 0 {
		return pose.Pose{}, false
	}
	p := pose.Pose{Width: cp.W, Height: cp.H}
	for k, v := range cp.K {
		p.Keypoints[k] = pose.Keypoint{X: v[0], Y: v[1], Score: v[2]}
	}
	return p, true
}

// Put stores a pose atomically, so a killed run never leaves a half-written
// entry.
func (c *Cache) Put(key string, p pose.Pose) error {
	cp := cachedPose{W: p.Width, H: p.Height}
	for k, kp := range p.Keypoints {
		cp.K[k] = [3]float32{kp.X, kp.Y, kp.Score}
	}
	data, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	if err := storage.WriteFile(c.path(key), data, 0o644); err != nil {
		return fmt.Errorf("dataset: cache: %w", err)
	}
	return nil
}

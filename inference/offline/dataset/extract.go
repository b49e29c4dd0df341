package dataset

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"sync"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/pose"
)

// Estimator is a pose.Estimator a worker owns and closes.
type Estimator interface {
	pose.Estimator
	Close() error
}

// ExtractOpts configure Extract.
type ExtractOpts struct {
	Workers int // default: number of CPUs
	// NewEstimator makes one estimator per worker (estimators are not
	// goroutine-safe).
	NewEstimator func() (Estimator, error)
	// Cache, when set, stores poses keyed by image content and EstimatorID.
	Cache *Cache
	// Progress is called after each item with the counts so far.
	Progress func(done, total int)
	// Decode decodes image bytes (default camera.NewDecoder(MaxPixels));
	// give it the same pixel limit.
	Decode camera.DecodeFunc
	// MaxPixels caps decoded images (0: camera.DefaultMaxPixels).
	MaxPixels int
	// MaxImageBytes caps image files (0: storage.ImageLimit's default).
	MaxImageBytes int64
}

// Result is one item's keypoints, or why there are none.
type Result struct {
	Item   Item
	Pose   pose.Pose
	Err    error         // decode or estimation failure; the item counts as failed
	Cached bool          // read from the cache
	Infer  time.Duration // time in the estimator (0 when cached)
	// CacheErr is a failure to store the pose in the cache (the pose is fine).
	CacheErr error
}

// Extract runs the estimator over items in parallel. Per-item failures are in
// Result.Err; the error return is for set-up failures and cancellation.
// Results are in the order of items.
func Extract(ctx context.Context, items []Item, o ExtractOpts) ([]Result, error) {
	workers := o.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, max(len(items), 1))
	results := make([]Result, len(items))
	jobs := make(chan int)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		done    int
		initErr error
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var est Estimator // made lazily: a fully cached run needs none
			defer func() {
				if est != nil {
					est.Close()
				}
			}()
			for i := range jobs {
				results[i] = extractOne(items[i], &est, o)
				mu.Lock()
				if initErr == nil && results[i].Err != nil && isInitError(results[i].Err) {
					initErr = results[i].Err
				}
				done++
				if o.Progress != nil {
					o.Progress(done, len(items))
				}
				mu.Unlock()
			}
		}()
	}
	var err error
feed:
	for i := range items {
		mu.Lock()
		stop := initErr
		mu.Unlock()
		if stop != nil {
			err = stop
			break
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		err = initErr
	}
	return results, err
}

type initError struct{ err error }

func (e *initError) Error() string { return e.err.Error() }
func (e *initError) Unwrap() error { return e.err }

func isInitError(err error) bool {
	_, ok := err.(*initError)
	return ok
}

func extractOne(it Item, est *Estimator, o ExtractOpts) Result {
	r := Result{Item: it}
	data, err := storage.ReadFile(it.Path, storage.ImageLimit(o.MaxImageBytes))
	if err != nil {
		r.Err = err
		return r
	}
	var key string
	if o.Cache != nil {
		sum := sha256.Sum256(data)
		key = hex.EncodeToString(sum[:])
		if p, ok := o.Cache.Get(key); ok {
			r.Pose, r.Cached = p, true
			return r
		}
	}
	decode := o.Decode
	if decode == nil {
		decode = camera.NewDecoder(o.MaxPixels)
	}
	img, err := decode(data)
	if err != nil {
		r.Err = fmt.Errorf("%s: %w", it.Path, err)
		return r
	}
	if *est == nil {
		if *est, err = o.NewEstimator(); err != nil {
			r.Err = &initError{err}
			return r
		}
	}
	start := time.Now()
	r.Pose, r.Err = (*est).Estimate(img)
	r.Infer = time.Since(start)
	if r.Err == nil && o.Cache != nil {
		// A cache that can't be written costs speed next time, not this
		// image: keep the pose and count the failure.
		r.CacheErr = o.Cache.Put(key, r.Pose)
	}
	return r
}

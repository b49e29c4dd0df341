package yoga82

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	_ "image/gif" // registers GIF for DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	_ "golang.org/x/image/bmp"  // registers BMP
	_ "golang.org/x/image/webp" // registers WebP

	"github.com/yogamirror/yogamirror/device/storage"
)

// ImageFile describes one file of an image folder.
type ImageFile struct {
	Path          string `json:"path"` // "Pose/N.jpg"
	Bytes         int64  `json:"bytes"`
	SHA256        string `json:"sha256"`
	Format        string `json:"format,omitempty"` // "" when unreadable
	Width, Height int    `json:"-"`
	Err           string `json:"error,omitempty"`
}

// ScanImages lists the files one folder deep in dir ("Pose/N.jpg"),
// skipping hidden files, and reads each one's size, SHA-256, format and
// dimensions (from the header) with the given number of workers.
func ScanImages(ctx context.Context, dir string, workers int) ([]ImageFile, error) {
	paths, err := listImages(dir)
	if err != nil {
		return nil, err
	}
	out := make([]ImageFile, len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, workers) {
		wg.Go(func() {
			for i := range next {
				out[i] = scanOne(dir, paths[i])
			}
		})
	}
	for i := range paths {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("yoga82: scan: %w", err)
	}
	return out, nil
}

func listImages(dir string) ([]string, error) {
	folders, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("yoga82: %w", err)
	}
	var paths []string
	for _, d := range folders {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			continue
		}
		files, err := os.ReadDir(filepath.Join(dir, d.Name()))
		if err != nil {
			return nil, fmt.Errorf("yoga82: %w", err)
		}
		for _, f := range files {
			if f.Type().IsRegular() && !strings.HasPrefix(f.Name(), ".") {
				paths = append(paths, d.Name()+"/"+f.Name())
			}
		}
	}
	sort.Strings(paths)
	return paths, nil
}

func scanOne(dir, p string) ImageFile {
	r := ImageFile{Path: p}
	f, err := storage.Open(filepath.Join(dir, filepath.FromSlash(p)), storage.ImageLimit(0))
	if err != nil {
		r.Err = err.Error()
		return r
	}
	defer f.Close()
	h := sha256.New()
	// Hash everything while the decoder reads the header from the front.
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		cfg, format, err := image.DecodeConfig(bufio.NewReader(pr))
		r.Format, r.Width, r.Height = format, cfg.Width, cfg.Height
		if err != nil {
			r.Format, r.Err = "", err.Error()
		}
		io.Copy(io.Discard, pr)
	}()
	n, err := io.Copy(io.MultiWriter(h, pw), f)
	pw.CloseWithError(err)
	<-done
	r.Bytes = n
	if err != nil {
		r.Err = err.Error()
	}
	r.SHA256 = hex.EncodeToString(h.Sum(nil))
	return r
}

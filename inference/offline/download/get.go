package download

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// outcome is the result of one HTTP attempt.
type outcome struct {
	rec        Record
	transient  bool          // worth retrying now
	retryAfter time.Duration // from a Retry-After header
	canceled   bool          // the run was canceled: record nothing
}

func failed(rec Record, reason string, permanent bool) outcome {
	rec.Status, rec.Reason, rec.Permanent = StatusFailed, reason, permanent
	return outcome{rec: rec, transient: !permanent}
}

// fetch downloads one job with retries and returns its record.
func (f *fetcher) fetch(ctx context.Context, j Job) outcome {
	var o outcome
	for attempt := 0; ; attempt++ {
		o = f.try(ctx, j)
		o.rec.Attempts = attempt + 1
		if o.canceled || o.rec.Status == StatusOK || !o.transient || attempt >= f.o.Retries {
			break
		}
		if !sleep(ctx, f.backoff(attempt, o.retryAfter)) {
			o.canceled = true
			break
		}
	}
	o.rec.Time = f.now()
	return o
}

// backoff doubles Opts.Backoff per attempt, up to a minute, with ±20 %
// jitter so that workers do not retry in lockstep.
func (f *fetcher) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := f.o.Backoff << min(attempt, 16)
	d = max(d, retryAfter)
	d = min(d, time.Minute)
	return time.Duration(float64(d) * (0.8 + 0.4*f.rand()))
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// try makes one request and, on success, leaves the file under its final
// name.
func (f *fetcher) try(parent context.Context, j Job) outcome {
	rec := Record{Path: j.Path, URL: j.URL}
	ctx, cancel := context.WithTimeout(parent, f.o.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, j.URL, nil)
	if err != nil {
		return failed(rec, "bad url: "+err.Error(), true)
	}
	req.Header.Set("User-Agent", f.o.UserAgent)
	req.Header.Set("Accept", "image/jpeg,image/png,image/webp,image/gif,image/*;q=0.8,*/*;q=0.1")
	resp, err := f.client.Do(req)
	if err != nil {
		return f.netFailure(parent, rec, err)
	}
	defer resp.Body.Close()
	rec.HTTP = resp.StatusCode
	rec.ContentType = resp.Header.Get("Content-Type")
	if o, bad := statusFailure(rec, resp); bad {
		return o
	}
	if resp.ContentLength > f.o.MaxBytes {
		return failed(rec, fmt.Sprintf("too large: Content-Length %d > %d", resp.ContentLength, f.o.MaxBytes), true)
	}
	return f.save(parent, rec, resp.Body)
}

// statusFailure classifies a non-200 response.
func statusFailure(rec Record, resp *http.Response) (outcome, bool) {
	code := resp.StatusCode
	switch {
	case code == http.StatusOK:
		return outcome{}, false
	case code == http.StatusRequestTimeout, code == http.StatusTooEarly,
		code == http.StatusTooManyRequests, code >= 500:
		o := failed(rec, "http "+strconv.Itoa(code), false)
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			o.retryAfter = time.Duration(s) * time.Second
		}
		return o, true
	}
	return failed(rec, "http "+strconv.Itoa(code), true), true
}

// netFailure classifies an error from Client.Do.
func (f *fetcher) netFailure(parent context.Context, rec Record, err error) outcome {
	if parent.Err() != nil {
		return outcome{rec: rec, canceled: true}
	}
	var redir *redirectError
	switch {
	case errors.As(err, &redir):
		return failed(rec, redir.Error(), true)
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return failed(rec, "timeout", false)
	}
	reason, transient := classifyNetError(err)
	o := failed(rec, reason, !transient)
	if isDNSNotFound(err) {
		// A dead domain: not worth retrying now, but a later run on a
		// working network should try again.
		o.rec.Permanent, o.transient = false, false
	}
	return o
}

// save streams the body to a temporary file beside the final one, hashing
// it, verifies that it is an image and commits it (fsync, rename). Run
// removes temporary files a killed run left behind.
func (f *fetcher) save(parent context.Context, rec Record, body io.Reader) outcome {
	tmp, err := storage.Create(filepath.Join(f.dir, filepath.FromSlash(rec.Path)), 0o644)
	if err != nil {
		return failed(rec, err.Error(), false)
	}
	defer tmp.Abort()
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(tmp, h), io.LimitReader(body, f.o.MaxBytes+1))
	rec.Bytes = n
	if err != nil {
		return f.bodyFailure(parent, rec, err)
	}
	if n > f.o.MaxBytes {
		return failed(rec, fmt.Sprintf("too large: body over %d bytes", f.o.MaxBytes), true)
	}
	if n == 0 {
		return failed(rec, "empty body", true)
	}
	rec.SHA256 = hex.EncodeToString(h.Sum(nil))
	var bad bool
	var o outcome
	if rec, o, bad = f.verify(rec, tmp.File()); bad {
		return o
	}
	if err := tmp.Commit(); err != nil {
		return failed(rec, err.Error(), false)
	}
	rec.Status = StatusOK
	return outcome{rec: rec}
}

func (f *fetcher) bodyFailure(parent context.Context, rec Record, err error) outcome {
	switch {
	case parent.Err() != nil:
		return outcome{rec: rec, canceled: true}
	case errors.Is(err, context.DeadlineExceeded), isTimeout(err):
		return failed(rec, "timeout reading body", false)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return failed(rec, "truncated body", false)
	}
	reason, _ := classifyNetError(err)
	return failed(rec, "reading body: "+reason, false)
}

// verify decodes the temporary file fully and notes what it is in rec.
func (f *fetcher) verify(rec Record, tmp *os.File) (Record, outcome, bool) {
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return rec, failed(rec, "seek: "+err.Error(), false), true
	}
	info, err := VerifyImage(tmp, f.o.MaxPixels)
	rec.Format, rec.Width, rec.Height = info.Format, info.Width, info.Height
	switch {
	case errors.Is(err, ErrNotImage):
		return rec, failed(rec, fmt.Sprintf("not an image (Content-Type %q)", rec.ContentType), true), true
	case err != nil:
		return rec, failed(rec, err.Error(), true), true
	}
	return rec, outcome{}, false
}

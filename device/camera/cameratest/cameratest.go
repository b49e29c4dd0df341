// Package cameratest provides a fake camera.Source for tests of the layers
// above the camera: it replays given images at given times and can inject
// errors (a disconnect, a skipped file) at chosen frames.
package cameratest

import (
	"context"
	"image"
	"io"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
)

// Step is one call to Next: a frame, or an error.
type Step struct {
	Img  *image.RGBA
	Time time.Time
	Name string
	Err  error
}

// Source replays Steps in order, then io.EOF.
type Source struct {
	Steps  []Step
	next   int
	Closed bool
}

// Next returns the next step.
func (s *Source) Next(ctx context.Context) (camera.Frame, error) {
	if err := ctx.Err(); err != nil {
		return camera.Frame{}, err
	}
	if s.next >= len(s.Steps) {
		return camera.Frame{}, io.EOF
	}
	st := s.Steps[s.next]
	f := camera.Frame{Img: st.Img, Time: st.Time, Seq: uint64(s.next), Name: st.Name}
	s.next++
	return f, st.Err
}

// Close records that the source was closed.
func (s *Source) Close() error {
	s.Closed = true
	return nil
}

// Timeline builds steps showing imgs[i] for durations[i] each at fps frames
// per second, starting at start.
func Timeline(start time.Time, fps float64, imgs []*image.RGBA, durations []time.Duration) []Step {
	var steps []Step
	t := start
	dt := time.Duration(float64(time.Second) / fps)
	for i, img := range imgs {
		for end := t.Add(durations[i]); t.Before(end); t = t.Add(dt) {
			steps = append(steps, Step{Img: img, Time: t})
		}
	}
	return steps
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/device/camera/capture"
	"github.com/yogamirror/yogamirror/display/overlay"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/movenet"
	"github.com/yogamirror/yogamirror/inference/pose"
)

func init() {
	commands["detect"] = command{"keypoints and poses for images, folders and videos, as JSON Lines", runDetect}
}

type detectKeypoint struct {
	Part  string  `json:"part"`
	X     float32 `json:"x"`
	Y     float32 `json:"y"`
	Score float32 `json:"score"`
}

type detectLine struct {
	Source    string           `json:"source"`
	Frame     uint64           `json:"frame"`
	TimeS     float64          `json:"time_s"`
	Person    bool             `json:"person"`
	Keypoints []detectKeypoint `json:"keypoints"`
	Poses     []pose.Class     `json:"poses"`
}

func runDetect(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("detect", "[flags] PATH... (images, folders, videos, devices)", stderr)
	var inf inferFlags
	inf.register(fs, true)
	annotate := fs.String("annotate", "", "write annotated JPEGs (skeleton and label) into this folder")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errUsage
	}
	var r ranges
	inf.check(&r)
	if err := r.err(); err != nil {
		return err
	}
	if err := inf.ensureModels(ctx, stderr); err != nil {
		return err
	}
	cls, err := inf.openClassifier(inf.classifier != "")
	if err != nil {
		return err
	}
	if cls != nil {
		defer cls.Close()
	}
	if *annotate != "" {
		if err := os.MkdirAll(*annotate, 0o755); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	skipped := 0
	used := map[string]bool{}
	given := map[string]string{}
	for _, path := range fs.Args() {
		if first, dup := given[resolved(path)]; dup {
			fmt.Fprintf(stderr, "%s: the same input as %s; detected once\n", path, first)
			continue
		}
		given[resolved(path)] = path
		n, err := detectSource(ctx, path, &inf, cls, enc, *annotate, used, stderr)
		skipped += n
		if err != nil {
			return err
		}
	}
	if skipped > 0 {
		return fmt.Errorf("%d input(s) could not be decoded (see above)", skipped)
	}
	return nil
}

// detectSource runs one PATH; it returns how many inputs were skipped.
func detectSource(ctx context.Context, path string, inf *inferFlags, cls *classify.Model, enc *json.Encoder, annotate string, used map[string]bool, stderr io.Writer) (int, error) {
	kind, _ := camera.Classify(path)
	mode := movenet.Video
	if kind == camera.KindImages {
		mode = movenet.Still
	}
	est, err := movenet.New(inf.estimatorOpts(mode))
	if err != nil {
		return 0, err
	}
	defer est.Close()
	src, err := capture.OpenContext(ctx, path, inf.limits.cameraOpts())
	if err != nil {
		return 0, err
	}
	defer src.Close()
	skipped := 0
	var start time.Time
	for {
		f, err := src.Next(ctx)
		var skip *camera.SkipError
		switch {
		case errors.Is(err, io.EOF):
			return skipped, nil
		case errors.As(err, &skip):
			fmt.Fprintln(stderr, err)
			skipped++
			continue
		case err != nil:
			return skipped, err
		}
		if start.IsZero() {
			start = f.Time
		}
		line, err := detectFrame(est, cls, f, start)
		if err != nil {
			return skipped, err
		}
		if err := enc.Encode(line); err != nil {
			return skipped, err
		}
		if annotate != "" {
			if err := writeAnnotated(annotate, f, line, mode == movenet.Video, used); err != nil {
				return skipped, err
			}
		}
	}
}

func detectFrame(est *movenet.Estimator, cls *classify.Model, f camera.Frame, start time.Time) (detectLine, error) {
	p, err := est.Estimate(f.Img)
	if err != nil {
		return detectLine{}, err
	}
	line := detectLine{Source: f.Name, Frame: f.Seq, TimeS: f.Time.Sub(start).Seconds()}
	for k, kp := range p.Keypoints {
		line.Keypoints = append(line.Keypoints, detectKeypoint{Part: pose.Part(k).String(), X: kp.X, Y: kp.Y, Score: kp.Score})
	}
	line.Poses = []pose.Class{}
	if cls != nil {
		pred, err := cls.Classify(p)
		if err != nil {
			return line, err
		}
		line.Person = pred.Person
		n := min(3, len(pred.Classes))
		line.Poses = pred.Classes[:n]
	} else {
		line.Person = p.MeanScore() >= classify.DefaultMinPersonScore
	}
	return line, nil
}

// writeAnnotated writes one annotated JPEG; used keeps names unique across
// inputs (a.jpg and a.png, or 001.jpg in two folders).
func writeAnnotated(dir string, f camera.Frame, line detectLine, video bool, used map[string]bool) error {
	var p pose.Pose
	for k, kp := range line.Keypoints {
		p.Keypoints[k] = pose.Keypoint{X: kp.X, Y: kp.Y, Score: kp.Score}
	}
	var caption []string
	if !line.Person {
		caption = append(caption, "no person")
	}
	for _, c := range line.Poses {
		caption = append(caption, fmt.Sprintf("%s %.0f%%", c.Label, 100*c.Score))
	}
	img := image.NewRGBA(f.Img.Rect) // the source owns f.Img: draw on a copy
	draw.Draw(img, img.Rect, f.Img, f.Img.Rect.Min, draw.Src)
	overlay.Draw(img, &p, caption...)
	stem := strings.TrimSuffix(filepath.Base(f.Name), filepath.Ext(f.Name))
	name := stem + ".jpg"
	if video {
		name = fmt.Sprintf("%s_%06d.jpg", stem, f.Seq)
	}
	for n := 2; used[name]; n++ {
		name = fmt.Sprintf("%s_%d.jpg", strings.TrimSuffix(name, ".jpg"), n)
	}
	used[name] = true
	out, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if err := jpeg.Encode(out, img, &jpeg.Options{Quality: 90}); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

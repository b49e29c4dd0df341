package dataset

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/pose"
)

// Order says what a keypoint CSV's coordinate columns really hold. It is
// declared by the user, never guessed: one shared set's header says x, y
// while its columns are y, x.
type Order string

const (
	OrderXY Order = "xy" // the first coordinate column of a part is x
	OrderYX Order = "yx" // the first coordinate column of a part is y
)

// ParseOrder validates an --order value.
func ParseOrder(s string) (Order, error) {
	switch Order(s) {
	case OrderXY, OrderYX:
		return Order(s), nil
	}
	return "", fmt.Errorf("dataset: keypoint order %q: say xy or yx (it is not guessed)", s)
}

// Labelled is a pose read from a keypoint CSV.
type Labelled struct {
	Name  string // the row's file name
	Label string
	Pose  pose.Pose
}

// GroupedSide is the square side, in pixels, that the grouped (cx/cy/cz)
// layout's 0..1 coordinates refer to.
const GroupedSide = 256

// ReadKeypointCSV reads either layout:
//   - interleaved: file_name, <PART>_x, <PART>_y, <PART>_score × 17 (COCO
//     order), …, class_name — pixels (the TF tutorial's CSVs);
//   - grouped: ImgPath, cx00..cx16, cy00..cy16, cz00..cz16, label — 0..1 over
//     a 256×256 square (the Yoga-82 keypoint CSVs).
//
// max caps the file's size (0: storage.ListLimit's default).
func ReadKeypointCSV(path string, order Order, max int64) ([]Labelled, error) {
	if _, err := ParseOrder(string(order)); err != nil {
		return nil, err
	}
	f, err := storage.Open(path, storage.ListLimit(max))
	if err != nil {
		return nil, fmt.Errorf("dataset: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: header: %w", path, err)
	}
	l, err := parseHeader(header)
	if err != nil {
		return nil, fmt.Errorf("dataset: %s: %w", path, err)
	}
	var out []Labelled
	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("dataset: %s: %w", path, err)
		}
		row, err := l.row(rec, order)
		if err != nil {
			return nil, fmt.Errorf("dataset: %s:%d: %w", path, line, err)
		}
		out = append(out, row)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("dataset: %s: no rows", path)
	}
	return out, nil
}

// layout maps a header to columns: coord[k] = {first, second, score}.
type layout struct {
	name, label int
	coord       [pose.NumParts][3]int
	grouped     bool
}

func parseHeader(h []string) (layout, error) {
	col := map[string]int{}
	for i, name := range h {
		col[strings.ToLower(strings.TrimSpace(name))] = i
	}
	var l layout
	if _, ok := col["cx00"]; ok {
		l.grouped = true
		for k := 0; k < pose.NumParts; k++ {
			for j, prefix := range []string{"cx", "cy", "cz"} {
				c, ok := col[fmt.Sprintf("%s%02d", prefix, k)]
				if !ok {
					return l, fmt.Errorf("header lacks column %s%02d", prefix, k)
				}
				l.coord[k][j] = c
			}
		}
		return l, l.find(col, []string{"imgpath"}, []string{"label"})
	}
	for k := 0; k < pose.NumParts; k++ {
		part := pose.Part(k).String()
		for j, suffix := range []string{"_x", "_y", "_score"} {
			c, ok := col[part+suffix]
			if !ok {
				return l, fmt.Errorf("header lacks column %s%s (want file_name, then <part>_x, <part>_y, <part>_score for the 17 COCO parts, then class_name; or ImgPath, cx00..cz16, label)", strings.ToUpper(part), suffix)
			}
			l.coord[k][j] = c
		}
	}
	return l, l.find(col, []string{"file_name", "filename"}, []string{"class_name", "label"})
}

func (l *layout) find(col map[string]int, names, labels []string) error {
	l.name, l.label = -1, -1
	for _, n := range names {
		if c, ok := col[n]; ok {
			l.name = c
		}
	}
	for _, n := range labels {
		if c, ok := col[n]; ok {
			l.label = c
		}
	}
	if l.name < 0 || l.label < 0 {
		return fmt.Errorf("header needs a file name column (%s) and a label column (%s)", strings.Join(names, "/"), strings.Join(labels, "/"))
	}
	return nil
}

func (l *layout) row(rec []string, order Order) (Labelled, error) {
	out := Labelled{Name: rec[l.name], Label: strings.TrimSpace(rec[l.label])}
	if out.Label == "" {
		return out, fmt.Errorf("empty label")
	}
	scale := float32(1)
	if l.grouped {
		scale = GroupedSide
		out.Pose.Width, out.Pose.Height = GroupedSide, GroupedSide
	}
	for k, cols := range l.coord {
		var v [3]float32
		for j, c := range cols {
			f, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 32)
			if err != nil {
				return out, fmt.Errorf("%s: %w", pose.Part(k), err)
			}
			if err := l.check(j, f); err != nil {
				return out, fmt.Errorf("%s %s", pose.Part(k), err)
			}
			v[j] = float32(f)
		}
		x, y := v[0], v[1]
		if order == OrderYX {
			x, y = y, x
		}
		out.Pose.Keypoints[k] = pose.Keypoint{X: x * scale, Y: y * scale, Score: v[2]}
	}
	return out, nil
}

// MaxPixelCoord bounds pixel coordinates in keypoint CSVs: no image the
// project decodes is wider (the 50-megapixel limit), so a larger value (a
// 1e38 from a broken export) is garbage that would swamp training.
const MaxPixelCoord = 100_000

// check refuses a value that cannot be a keypoint: j is 0 or 1 for the two
// coordinates, 2 for the score.
func (l *layout) check(j int, f float64) error {
	v := float32(f) // as parsed, and as it prints
	switch {
	case math.IsNaN(f) || math.IsInf(f, 0):
		return fmt.Errorf("value %g is not a number", v)
	case j == 2 && (f < 0 || f > 1):
		return fmt.Errorf("score %g is outside [0, 1]", v)
	case j < 2 && l.grouped && (f < -1 || f > 2):
		return fmt.Errorf("coordinate %g is outside the image (normalised coordinates run 0 to 1)", v)
	case j < 2 && math.Abs(f) > MaxPixelCoord:
		return fmt.Errorf("coordinate %g is outside any image (want at most %d pixels)", v, MaxPixelCoord)
	}
	return nil
}

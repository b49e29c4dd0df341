package yoga82

import (
	"path"
	"sort"
	"strings"
)

// ClassCount counts the images of one class found on disk, in total and
// per split.
type ClassCount struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`
	Images int    `json:"images"`
	Splits []int  `json:"splits"` // in the order of Stats.Splits
}

// Duplicate is a set of files with the same bytes.
type Duplicate struct {
	SHA256     string   `json:"sha256"`
	Paths      []string `json:"paths"`
	CrossClass bool     `json:"cross_class"` // in more than one 82-level class
	CrossSplit bool     `json:"cross_split"` // in more than one split: leakage
}

// Quantiles are the 0, 5, 50, 95 and 100th percentiles of a quantity.
type Quantiles struct {
	Min, P5, Median, P95, Max float64
}

// Stats is the exploratory summary of a local copy of the images.
type Stats struct {
	Images     int            `json:"images"`
	Bytes      int64          `json:"bytes"`
	Unreadable []string       `json:"unreadable"` // paths that are not images
	Unlisted   int            `json:"unlisted"`   // images in no split
	Unknown    []string       `json:"unknown_folders"`
	Splits     []string       `json:"splits"`
	Class6     []ClassCount   `json:"class6"`
	Class20    []ClassCount   `json:"class20"`
	Class82    []ClassCount   `json:"class82"`
	Formats    map[string]int `json:"formats"`
	// Misnamed counts images whose extension does not match their format,
	// such as WebP files named .jpg.
	Misnamed   int         `json:"misnamed"`
	Width      Quantiles   `json:"width"`
	Height     Quantiles   `json:"height"`
	LongSide   []float64   `json:"-"` // per readable image, for the histogram
	FileKB     Quantiles   `json:"file_kb"`
	Duplicates []Duplicate `json:"duplicates"`
	// DuplicateFiles counts the files beyond the first of each duplicate set.
	DuplicateFiles int `json:"duplicate_files"`
}

// Summarise computes Stats from scanned files, the hierarchy and the splits.
func Summarise(h *Hierarchy, splits []Split, files []ImageFile) Stats {
	st := Stats{Formats: map[string]int{}}
	a := accumulator{h: h, st: &st, splitOf: map[string]int{}, unknown: map[string]bool{}}
	for i, s := range splits {
		st.Splits = append(st.Splits, s.Name)
		for _, e := range s.Entries {
			a.splitOf[e.Path] = i
		}
	}
	a.levels = [3]*[]ClassCount{&st.Class6, &st.Class20, &st.Class82}
	for i := range Levels {
		for id, name := range h.names[i] {
			*a.levels[i] = append(*a.levels[i], ClassCount{ID: id, Name: name, Splits: make([]int, len(splits))})
		}
	}
	for _, f := range files {
		a.add(f)
	}
	for u := range a.unknown {
		st.Unknown = append(st.Unknown, u)
	}
	sort.Strings(st.Unknown)
	st.Width, st.Height, st.FileKB = quantiles(a.widths), quantiles(a.heights), quantiles(a.kb)
	st.Duplicates, st.DuplicateFiles = duplicates(files, a.splitOf)
	return st
}

// accumulator adds files to Stats one at a time.
type accumulator struct {
	h                   *Hierarchy
	st                  *Stats
	levels              [3]*[]ClassCount
	splitOf             map[string]int
	unknown             map[string]bool
	widths, heights, kb []float64
}

func (a *accumulator) add(f ImageFile) {
	st := a.st
	st.Images++
	st.Bytes += f.Bytes
	a.kb = append(a.kb, float64(f.Bytes)/1024)
	if f.Format == "" {
		st.Unreadable = append(st.Unreadable, f.Path)
	} else {
		st.Formats[f.Format]++
		if !extMatches(f.Path, f.Format) {
			st.Misnamed++
		}
		a.widths, a.heights = append(a.widths, float64(f.Width)), append(a.heights, float64(f.Height))
		st.LongSide = append(st.LongSide, float64(max(f.Width, f.Height)))
	}
	si, listed := a.splitOf[f.Path]
	if !listed {
		st.Unlisted++
	}
	id82, ok := a.h.Class82(folder(f.Path))
	if !ok {
		a.unknown[folder(f.Path)] = true
		return
	}
	for i, l := range Levels {
		c := &(*a.levels[i])[a.h.Parent(l, id82)]
		c.Images++
		if listed {
			c.Splits[si]++
		}
	}
}

func extMatches(p, format string) bool {
	ext := strings.ToLower(path.Ext(p))
	switch format {
	case "jpeg":
		return ext == ".jpg" || ext == ".jpeg"
	default:
		return ext == "."+format
	}
}

func quantiles(v []float64) Quantiles {
	if len(v) == 0 {
		return Quantiles{}
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	at := func(q float64) float64 { return s[int(q*float64(len(s)-1)+0.5)] }
	return Quantiles{Min: s[0], P5: at(0.05), Median: at(0.5), P95: at(0.95), Max: s[len(s)-1]}
}

// duplicates groups files by hash; groups are sorted by their first path.
func duplicates(files []ImageFile, splitOf map[string]int) ([]Duplicate, int) {
	by := map[string][]string{}
	for _, f := range files {
		if f.SHA256 != "" && f.Bytes > 0 {
			by[f.SHA256] = append(by[f.SHA256], f.Path)
		}
	}
	var out []Duplicate
	extra := 0
	for sum, paths := range by {
		if len(paths) < 2 {
			continue
		}
		sort.Strings(paths)
		d := Duplicate{SHA256: sum, Paths: paths}
		split := map[int]bool{}
		for _, p := range paths {
			d.CrossClass = d.CrossClass || folder(p) != folder(paths[0])
			if si, ok := splitOf[p]; ok {
				split[si] = true
			}
		}
		d.CrossSplit = len(split) > 1
		out = append(out, d)
		extra += len(paths) - 1
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Paths[0] < out[j].Paths[0] })
	return out, extra
}

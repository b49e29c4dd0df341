package yoga82

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// Split is a named list of entries, e.g. "train" and yoga_train.txt.
type Split struct {
	Name    string
	Entries []Entry
}

// Presence counts how many of a set of images are on disk.
type Presence struct {
	Present int `json:"present"`
	Total   int `json:"total"`
}

// Missing returns Total - Present.
func (p Presence) Missing() int { return p.Total - p.Present }

func (p *Presence) add(q Presence) { p.Present += q.Present; p.Total += q.Total }

// ClassPresence is the presence of one class, per split and overall.
type ClassPresence struct {
	ID     int        `json:"id"`
	Name   string     `json:"name"`
	Splits []Presence `json:"splits"` // in the order of CheckReport.Splits
	All    Presence   `json:"all"`
}

// CheckReport says which split images are present, per class at each level.
type CheckReport struct {
	Splits  []string        `json:"splits"`
	Class6  []ClassPresence `json:"class6"`
	Class20 []ClassPresence `json:"class20"`
	Class82 []ClassPresence `json:"class82"`
	Total   ClassPresence   `json:"total"`
	// Missing lists the missing paths of every split, sorted.
	Missing []string `json:"missing"`
}

// Check counts the split entries present according to exists (called with
// each entry's slash path). Entries must have been validated.
func Check(h *Hierarchy, splits []Split, exists func(path string) bool) CheckReport {
	r := CheckReport{Total: ClassPresence{ID: -1, Name: "total", Splits: make([]Presence, len(splits))}}
	levels := []*[]ClassPresence{&r.Class6, &r.Class20, &r.Class82}
	for i := range Levels {
		for id, name := range h.names[i] {
			*levels[i] = append(*levels[i], ClassPresence{ID: id, Name: name, Splits: make([]Presence, len(splits))})
		}
	}
	missing := map[string]bool{}
	for si, s := range splits {
		r.Splits = append(r.Splits, s.Name)
		for _, e := range s.Entries {
			p := Presence{Total: 1}
			if exists(e.Path) {
				p.Present = 1
			} else {
				missing[e.Path] = true
			}
			for i, l := range Levels {
				c := &(*levels[i])[h.Parent(l, e.Class82)]
				c.Splits[si].add(p)
				c.All.add(p)
			}
			r.Total.Splits[si].add(p)
			r.Total.All.add(p)
		}
	}
	for p := range missing {
		r.Missing = append(r.Missing, p)
	}
	sort.Strings(r.Missing)
	return r
}

// WriteTable writes the report as aligned text tables: the 82 classes, then
// the 20- and 6-level rollups, each with a total line.
func (r CheckReport) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, part := range []struct {
		title string
		rows  []ClassPresence
	}{{"82 classes", r.Class82}, {"20 classes", r.Class20}, {"6 classes", r.Class6}} {
		head := []string{"id", part.title}
		for _, s := range r.Splits {
			head = append(head, s+" present", s+" total")
		}
		fmt.Fprintln(tw, strings.Join(append(head, "missing", "present %", ""), "\t"))
		for _, c := range append(part.rows, r.Total) {
			id := fmt.Sprint(c.ID)
			if c.ID < 0 {
				id = ""
			}
			cells := []string{id, c.Name}
			for _, p := range c.Splits {
				cells = append(cells, fmt.Sprint(p.Present), fmt.Sprint(p.Total))
			}
			cells = append(cells, fmt.Sprint(c.All.Missing()), percent(c.All.Present, c.All.Total), "")
			fmt.Fprintln(tw, strings.Join(cells, "\t"))
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

func percent(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", 100*float64(n)/float64(of))
}

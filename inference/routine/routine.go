// Package routine reads guided routines (session.Routine) from YAML: one
// routine per file in a folder, or a list in the daemon's configuration.
// Decoding is strict — unknown or repeated keys, wrong types and
// impossible values are errors — and every problem is reported at once
// with its file and line, so a studio owner editing a routine by hand
// learns exactly what to fix. Whether each pose exists depends on the
// classifier, so Check runs once the model is loaded.
//
// A routine file:
//
//	name: Morning balance    # required, unique
//	rest_s: 10               # rest before each step; default 10
//	steps:                   # at least one
//	  - pose: tree           # a label of the classifier
//	    hold_s: 30           # more than 0
//	    side: both           # optional: left, right, or both (two steps)
package routine

import (
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/yogamirror/yogamirror/device/storage"
	"github.com/yogamirror/yogamirror/inference/session"
)

// DefaultRest is the rest before each step when a routine names none.
const DefaultRest = 10 * time.Second

// maxHoldS bounds holds and rests (an hour), as the daemon's hold targets.
const maxHoldS = 3600

// Parse reads one routine from a file's contents; file names it in errors.
func Parse(file string, data []byte) (session.Routine, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return session.Routine{}, fmt.Errorf("%s: %w", file, err)
	}
	if len(doc.Content) == 0 {
		return session.Routine{}, fmt.Errorf("%s: empty file, want a routine (name, steps)", file)
	}
	return ParseNode(file, doc.Content[0])
}

// ParseList reads a YAML list of routines (the configuration's
// routines.list); file names it in errors.
func ParseList(file string, n *yaml.Node) ([]session.Routine, error) {
	if n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, fmt.Errorf("%s:%d: want a list of routines", file, n.Line)
	}
	var out []session.Routine
	var errs []error
	for _, item := range n.Content {
		r, err := ParseNode(file, item)
		errs = append(errs, err)
		out = append(out, r)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// ParseNode reads one routine from a YAML mapping.
func ParseNode(file string, n *yaml.Node) (session.Routine, error) {
	p := &parser{file: file}
	r := session.Routine{Where: p.at(n), Rest: DefaultRest}
	var steps *yaml.Node
	p.mapping(n, "routine", map[string]func(*yaml.Node){
		"name":   func(v *yaml.Node) { r.Name = p.text(v, "name") },
		"rest_s": func(v *yaml.Node) { r.Rest = p.seconds(v, "rest_s", true) },
		"steps":  func(v *yaml.Node) { steps = v },
	})
	if n.Kind == yaml.MappingNode {
		if r.Name == "" && !p.failedOn("name") {
			p.bad(n, "a routine needs a name")
		}
		r.Steps = p.steps(n, steps)
	}
	if err := errors.Join(p.errs...); err != nil {
		return session.Routine{}, err
	}
	return r, nil
}

// parser collects problems with their lines.
type parser struct {
	file   string
	errs   []error
	failed []string // keys whose value was bad (not to report twice)
}

func (p *parser) at(n *yaml.Node) string { return p.file + ":" + strconv.Itoa(n.Line) }

func (p *parser) bad(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s", p.at(n), fmt.Sprintf(format, args...)))
}

func (p *parser) failedOn(key string) bool { return slices.Contains(p.failed, key) }

// mapping walks a mapping's keys, refusing unknown and repeated ones.
func (p *parser) mapping(n *yaml.Node, what string, fields map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.bad(n, "want a %s (keys %s), got %s", what, keys(fields), kind(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		switch {
		case seen[k.Value]:
			p.bad(k, "%s is repeated", k.Value)
		case !ok:
			p.bad(k, "unknown key %q in a %s (known: %s)", k.Value, what, keys(fields))
		default:
			f(v)
		}
		seen[k.Value] = true
	}
}

func (p *parser) text(v *yaml.Node, key string) string {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" || strings.TrimSpace(v.Value) == "" {
		p.bad(v, "%s: want text, got %s", key, kind(v))
		p.failed = append(p.failed, key)
		return ""
	}
	return strings.TrimSpace(v.Value)
}

// seconds reads a duration in seconds: more than 0, or at least 0 when
// zeroOK.
func (p *parser) seconds(v *yaml.Node, key string, zeroOK bool) time.Duration {
	f, err := strconv.ParseFloat(v.Value, 64)
	switch {
	case v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") || err != nil:
		p.bad(v, "%s: want a number of seconds, got %s", key, kind(v))
	case math.IsNaN(f) || f < 0 || (f == 0 && !zeroOK) || f > maxHoldS:
		want := "more than 0"
		if zeroOK {
			want = "0 or more"
		}
		p.bad(v, "%s: %s, want %s (and at most %d)", key, v.Value, want, maxHoldS)
	default:
		return time.Duration(f * float64(time.Second))
	}
	p.failed = append(p.failed, key)
	return 0
}

// steps reads the step list; "side: both" becomes left then right.
func (p *parser) steps(routine, n *yaml.Node) []session.Step {
	if n == nil {
		p.bad(routine, "a routine needs steps (a list of pose, hold_s, side)")
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		p.bad(n, "steps: want a list of at least one step, got %s", kind(n))
		return nil
	}
	var out []session.Step
	for _, item := range n.Content {
		s := session.Step{Where: p.at(item)}
		side := ""
		gotPose, gotHold := false, false
		p.mapping(item, "step", map[string]func(*yaml.Node){
			"pose":   func(v *yaml.Node) { s.Pose, s.Where, gotPose = p.text(v, "pose"), p.at(v), true },
			"hold_s": func(v *yaml.Node) { s.Hold, gotHold = p.seconds(v, "hold_s", false), true },
			"side":   func(v *yaml.Node) { side = p.side(v) },
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		if !gotPose {
			p.bad(item, "a step needs a pose")
		}
		if !gotHold {
			p.bad(item, "a step needs hold_s (seconds)")
		}
		if side == "both" {
			l, r := s, s
			l.Side, r.Side = session.SideLeft, session.SideRight
			out = append(out, l, r)
			continue
		}
		s.Side = side
		out = append(out, s)
	}
	return out
}

func (p *parser) side(v *yaml.Node) string {
	switch v.Value {
	case session.SideLeft, session.SideRight, "both":
		if v.Kind == yaml.ScalarNode {
			return v.Value
		}
	}
	p.bad(v, "side: %s, want left, right or both", kind(v))
	return ""
}

func keys(m map[string]func(*yaml.Node)) string {
	k := make([]string, 0, len(m))
	for s := range m {
		k = append(k, s)
	}
	sort.Strings(k)
	return strings.Join(k, ", ")
}

func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		return strconv.Quote(n.Value)
	}
	return "nothing"
}

// LoadDir reads every *.yaml and *.yml file in dir, in name order. A
// missing folder has no routines; every bad file is reported.
func LoadDir(dir string) ([]session.Routine, error) {
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(filepath.Join(dir, pat))
		if err != nil {
			return nil, fmt.Errorf("routine: %w", err)
		}
		files = append(files, m...)
	}
	sort.Strings(files)
	var out []session.Routine
	var errs []error
	for _, f := range files {
		r, err := Load(f)
		errs = append(errs, err)
		if err == nil {
			out = append(out, r)
		}
	}
	return out, errors.Join(errs...)
}

// fileLimit caps a routine file: a routine of 100 steps is about 5 KB, and
// yaml.v3 decodes mappings in quadratic time, so a bounded file is a
// bounded parse (and a FIFO or /dev/zero is refused at once).
func fileLimit() storage.Limit {
	return storage.Limit{Max: 64 << 10, What: "routine files", Raise: "nothing: split it into several routine files"}
}

// Load reads one routine file.
func Load(file string) (session.Routine, error) {
	data, err := storage.ReadFile(file, fileLimit())
	if err != nil {
		return session.Routine{}, fmt.Errorf("routine: %w", err)
	}
	return Parse(file, data)
}

// Check validates routines against the classifier's poses (known) and
// refuses two routines of one name, reporting every problem.
func Check(rs []session.Routine, known func(pose string) bool) error {
	var errs []error
	seen := map[string]string{}
	for _, r := range rs {
		errs = append(errs, r.Validate(known))
		if first, ok := seen[r.Name]; ok {
			errs = append(errs, fmt.Errorf("%s: a routine named %q is already defined at %s", r.Where, r.Name, first))
		}
		seen[r.Name] = r.Where
	}
	return errors.Join(errs...)
}

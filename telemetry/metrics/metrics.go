// Package metrics is the daemon's Prometheus endpoint: counters, gauges and
// histograms kept with atomics (updating one on the frame path takes no
// lock and allocates nothing), values read at scrape time from callbacks
// (outbox depth, CPU temperature), and the text exposition format written
// on /metrics. It is small on purpose: a mirror exports a few dozen series,
// and the Prometheus client library would double the daemon's binary for
// them. Names follow Prometheus conventions (yogamirror_…_total for
// counters, base units: seconds, bytes, degrees Celsius).
package metrics

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// Registry holds metric families in registration order.
type Registry struct {
	mu       sync.Mutex
	families []family
	names    map[string]bool
}

// family is one metric name: its HELP, TYPE and samples.
type family interface {
	meta() (name, help, typ string)
	write(w *strings.Builder)
}

// NewRegistry makes an empty Registry.
func NewRegistry() *Registry { return &Registry{names: map[string]bool{}} }

func (r *Registry) add(f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	name, _, _ := f.meta()
	if !validName(name) {
		panic(fmt.Sprintf("metrics: invalid metric name %q", name))
	}
	if r.names[name] {
		panic(fmt.Sprintf("metrics: %s registered twice", name))
	}
	r.names[name] = true
	r.families = append(r.families, f)
}

// WriteTo writes every family in the Prometheus text format 0.0.4.
func (r *Registry) WriteTo(w io.Writer) (int64, error) {
	r.mu.Lock()
	fams := append([]family(nil), r.families...)
	r.mu.Unlock()
	var b strings.Builder
	for _, f := range fams {
		name, help, typ := f.meta()
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s %s\n", name, escapeHelp(help), name, typ)
		f.write(&b)
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// Handler serves the registry on GET.
func (r *Registry) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			http.Error(w, "GET only", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		r.WriteTo(w)
	})
}

// Counter only goes up.
type Counter struct {
	name, help string
	bits       atomic.Uint64 // float64 bits
}

// Counter registers a counter; its name must end in _total.
func (r *Registry) Counter(name, help string) *Counter {
	if !strings.HasSuffix(name, "_total") {
		panic("metrics: counter " + name + " must end in _total")
	}
	c := &Counter{name: name, help: help}
	r.add(c)
	return c
}

// Inc adds one.
func (c *Counter) Inc() { c.Add(1) }

// Add adds v (negative values are ignored: counters never go down).
func (c *Counter) Add(v float64) {
	if v <= 0 || math.IsNaN(v) {
		return
	}
	addFloat(&c.bits, v)
}

// Value is the count so far.
func (c *Counter) Value() float64 { return math.Float64frombits(c.bits.Load()) }

func (c *Counter) meta() (string, string, string) { return c.name, c.help, "counter" }
func (c *Counter) write(b *strings.Builder)       { sample(b, c.name, "", c.Value()) }

// Gauge goes up and down.
type Gauge struct {
	name, help string
	bits       atomic.Uint64
}

// Gauge registers a gauge.
func (r *Registry) Gauge(name, help string) *Gauge {
	g := &Gauge{name: name, help: help}
	r.add(g)
	return g
}

// Set sets the value.
func (g *Gauge) Set(v float64) { g.bits.Store(math.Float64bits(v)) }

// Value is the current value.
func (g *Gauge) Value() float64 { return math.Float64frombits(g.bits.Load()) }

func (g *Gauge) meta() (string, string, string) { return g.name, g.help, "gauge" }
func (g *Gauge) write(b *strings.Builder)       { sample(b, g.name, "", g.Value()) }

// funcFamily is a gauge or counter read at scrape time; each call returns
// the samples as label sets and values (ok false: no sample now).
type funcFamily struct {
	name, help, typ string
	collect         func() []Sample
}

// Sample is one series of a callback family: Labels are name/value pairs.
type Sample struct {
	Labels []string
	Value  float64
}

// GaugeFunc registers a gauge whose samples f returns at each scrape (none
// when it returns nil: e.g. no thermal zone on this machine).
func (r *Registry) GaugeFunc(name, help string, f func() []Sample) {
	r.add(&funcFamily{name: name, help: help, typ: "gauge", collect: f})
}

// CounterFunc is GaugeFunc for a value that only goes up (kept elsewhere,
// e.g. the outbox's persisted drop count).
func (r *Registry) CounterFunc(name, help string, f func() []Sample) {
	if !strings.HasSuffix(name, "_total") {
		panic("metrics: counter " + name + " must end in _total")
	}
	r.add(&funcFamily{name: name, help: help, typ: "counter", collect: f})
}

// Value is a one-sample callback result without labels.
func Value(v float64) []Sample { return []Sample{{Value: v}} }

func (f *funcFamily) meta() (string, string, string) { return f.name, f.help, f.typ }

func (f *funcFamily) write(b *strings.Builder) {
	for _, s := range f.collect() {
		sample(b, f.name, labelString(s.Labels), s.Value)
	}
}

// labelString renders name/value pairs as {a="x",b="y"}, sorted by name.
func labelString(kv []string) string {
	if len(kv) < 2 {
		return ""
	}
	type pair struct{ k, v string }
	ps := make([]pair, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		ps = append(ps, pair{kv[i], kv[i+1]})
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i].k < ps[j].k })
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.k)
		b.WriteString(`="`)
		b.WriteString(escapeLabel(p.v))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String()
}

func sample(b *strings.Builder, name, labels string, v float64) {
	b.WriteString(name)
	b.WriteString(labels)
	b.WriteByte(' ')
	b.WriteString(formatFloat(v))
	b.WriteByte('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func addFloat(bits *atomic.Uint64, v float64) {
	for {
		old := bits.Load()
		if bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

func escapeHelp(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(s)
}

func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`).Replace(s)
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		ok := c == '_' || c == ':' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return false
		}
	}
	return true
}

package metrics

import (
	"math"
	"strings"
	"sync/atomic"
)

// Histogram counts observations into fixed buckets (upper bounds, in the
// metric's base unit) plus their sum.
type Histogram struct {
	name, help string
	bounds     []float64
	counts     []atomic.Uint64 // per bucket, not cumulative; the last is +Inf
	sum        atomic.Uint64   // float64 bits
}

// Histogram registers a histogram with ascending bucket upper bounds.
func (r *Registry) Histogram(name, help string, bounds []float64) *Histogram {
	for i := 1; i < len(bounds); i++ {
		if !(bounds[i] > bounds[i-1]) {
			panic("metrics: histogram " + name + " buckets must ascend")
		}
	}
	h := &Histogram{name: name, help: help, bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
	r.add(h)
	return h
}

// Observe records one value.
func (h *Histogram) Observe(v float64) {
	if math.IsNaN(v) {
		return
	}
	i := 0
	for i < len(h.bounds) && v > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	addFloat(&h.sum, v)
}

// Count is the number of observations.
func (h *Histogram) Count() uint64 {
	var n uint64
	for i := range h.counts {
		n += h.counts[i].Load()
	}
	return n
}

func (h *Histogram) meta() (string, string, string) { return h.name, h.help, "histogram" }

func (h *Histogram) write(b *strings.Builder) {
	var cum uint64
	for i := range h.counts {
		cum += h.counts[i].Load()
		le := "+Inf"
		if i < len(h.bounds) {
			le = formatFloat(h.bounds[i])
		}
		sample(b, h.name+"_bucket", `{le="`+le+`"}`, float64(cum))
	}
	sample(b, h.name+"_sum", "", math.Float64frombits(h.sum.Load()))
	sample(b, h.name+"_count", "", float64(cum))
}

// ExpBuckets are n bounds starting at start, each factor times the last.
func ExpBuckets(start, factor float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = start
		start *= factor
	}
	return out
}

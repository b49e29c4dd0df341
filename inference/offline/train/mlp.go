// Package train builds pose classifiers from labelled keypoints in pure Go —
// an MLP with softmax (AdamW, dropout, class weighting, early stopping,
// seeded and reproducible bit for bit) or k-nearest neighbours — and exports
// them as TensorFlow Lite models that TFLite 2.9 runs.
package train

import (
	"math"
	"math/rand/v2"
)

// Dense is a fully connected layer: out = W·in + B, W row-major [Out][In].
type Dense struct {
	In, Out int
	W, B    []float32
}

// MLP is Dense layers with ReLU between them and softmax at the end.
type MLP struct {
	Layers []Dense
}

// NewMLP makes an MLP with the given layer sizes (input first, classes
// last), He-initialised from the seeded generator.
func NewMLP(sizes []int, rng *rand.Rand) *MLP {
	m := &MLP{}
	for i := 0; i+1 < len(sizes); i++ {
		d := Dense{In: sizes[i], Out: sizes[i+1], W: make([]float32, sizes[i]*sizes[i+1]), B: make([]float32, sizes[i+1])}
		std := math.Sqrt(2 / float64(d.In))
		for k := range d.W {
			d.W[k] = float32(rng.NormFloat64() * std)
		}
		m.Layers = append(m.Layers, d)
	}
	return m
}

// Classes is the output size.
func (m *MLP) Classes() int { return m.Layers[len(m.Layers)-1].Out }

// Clone deep-copies the weights.
func (m *MLP) Clone() *MLP {
	c := &MLP{Layers: make([]Dense, len(m.Layers))}
	for i, d := range m.Layers {
		c.Layers[i] = Dense{In: d.In, Out: d.Out, W: append([]float32(nil), d.W...), B: append([]float32(nil), d.B...)}
	}
	return c
}

// forward computes the activations of every layer (acts[0] = x) and the
// output probabilities into acts[len]. acts is reused when big enough.
func (m *MLP) forward(x []float32, acts [][]float32) [][]float32 {
	if len(acts) != len(m.Layers)+1 {
		acts = make([][]float32, len(m.Layers)+1)
		for i, d := range m.Layers {
			acts[i+1] = make([]float32, d.Out)
		}
	}
	acts[0] = x
	for i, d := range m.Layers {
		in, out := acts[i], acts[i+1]
		for o := 0; o < d.Out; o++ {
			s := d.B[o]
			row := d.W[o*d.In : (o+1)*d.In]
			for k, w := range row {
				s += w * in[k]
			}
			if i < len(m.Layers)-1 && s < 0 {
				s = 0
			}
			out[o] = s
		}
	}
	softmax(acts[len(m.Layers)])
	return acts
}

// Predict returns class probabilities for one feature vector.
func (m *MLP) Predict(x []float32) []float32 {
	acts := m.forward(x, nil)
	return append([]float32(nil), acts[len(acts)-1]...)
}

func softmax(v []float32) {
	mx := v[0]
	for _, x := range v {
		mx = max(mx, x)
	}
	var sum float32
	for i, x := range v {
		v[i] = float32(math.Exp(float64(x - mx)))
		sum += v[i]
	}
	for i := range v {
		v[i] /= sum
	}
}

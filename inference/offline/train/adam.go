package train

import (
	"math"
	"math/rand/v2"
)

// trainer holds AdamW state and gradient buffers for one MLP.
type trainer struct {
	m       *MLP
	o       FitOpts
	weights []float64
	gW, gB  [][]float32 // gradients per layer
	mW, vW  [][]float64 // Adam moments
	mB, vB  [][]float64
	t       int
	acts    [][]float32
	deltas  [][]float32
	masks   [][]float32
}

func newTrainer(m *MLP, o FitOpts, weights []float64) *trainer {
	st := &trainer{m: m, o: o, weights: weights}
	for _, d := range m.Layers {
		st.gW = append(st.gW, make([]float32, len(d.W)))
		st.gB = append(st.gB, make([]float32, len(d.B)))
		st.mW = append(st.mW, make([]float64, len(d.W)))
		st.vW = append(st.vW, make([]float64, len(d.W)))
		st.mB = append(st.mB, make([]float64, len(d.B)))
		st.vB = append(st.vB, make([]float64, len(d.B)))
		st.deltas = append(st.deltas, make([]float32, d.Out))
		st.masks = append(st.masks, make([]float32, d.Out))
	}
	return st
}

// step runs one minibatch: forward with dropout, backward, AdamW update.
// It returns the summed (weighted) loss of the batch.
func (st *trainer) step(s Set, batch []int, rng *rand.Rand) float64 {
	for l := range st.gW {
		clear(st.gW[l])
		clear(st.gB[l])
	}
	loss, wsum := 0.0, 0.0
	for _, i := range batch {
		w := st.weights[s.Y[i]]
		loss += w * st.backprop(s.X[i], s.Y[i], float32(w), rng)
		wsum += w
	}
	st.update(wsum)
	return loss
}

// backprop accumulates the gradient of one example's weighted loss.
func (st *trainer) backprop(x []float32, y int, w float32, rng *rand.Rand) float64 {
	m := st.m
	st.acts = m.forwardTrain(x, st.acts, st.masks, st.o.Dropout, rng)
	L := len(m.Layers)
	p := st.acts[L]
	loss := -math.Log(math.Max(float64(p[y]), 1e-12))
	d := st.deltas[L-1]
	for c := range d {
		d[c] = w * p[c]
	}
	d[y] -= w
	for l := L - 1; l >= 0; l-- {
		layer, in, delta := m.Layers[l], st.acts[l], st.deltas[l]
		for o := 0; o < layer.Out; o++ {
			g := delta[o]
			if g == 0 {
				continue
			}
			st.gB[l][o] += g
			row := st.gW[l][o*layer.In : (o+1)*layer.In]
			for k, v := range in {
				row[k] += g * v
			}
		}
		if l == 0 {
			break
		}
		prev := st.deltas[l-1]
		clear(prev)
		for o := 0; o < layer.Out; o++ {
			g := delta[o]
			if g == 0 {
				continue
			}
			row := layer.W[o*layer.In : (o+1)*layer.In]
			for k, wv := range row {
				prev[k] += g * wv
			}
		}
		for k := range prev { // through ReLU and dropout
			if st.acts[l][k] <= 0 {
				prev[k] = 0
			} else {
				prev[k] *= st.masks[l-1][k]
			}
		}
	}
	return loss
}

// forwardTrain is forward with inverted dropout after each hidden layer;
// masks[l] holds the scale applied to layer l's output (0 or 1/keep).
func (m *MLP) forwardTrain(x []float32, acts, masks [][]float32, dropout float64, rng *rand.Rand) [][]float32 {
	if len(acts) != len(m.Layers)+1 {
		acts = m.forward(x, acts) // allocates the buffers
	}
	acts[0] = x
	keep := 1 - dropout
	for l := range m.Layers {
		m.layerForward(l, acts)
		if l == len(m.Layers)-1 {
			break
		}
		for k, out := 0, acts[l+1]; k < len(out); k++ {
			masks[l][k] = 1
			if dropout > 0 {
				masks[l][k] = 0
				if rng.Float64() < keep {
					masks[l][k] = float32(1 / keep)
				}
			}
			out[k] *= masks[l][k]
		}
	}
	return acts
}

// layerForward recomputes layer l's output from acts[l] (softmax at the end).
func (m *MLP) layerForward(l int, acts [][]float32) {
	d := m.Layers[l]
	in, out := acts[l], acts[l+1]
	for o := 0; o < d.Out; o++ {
		s := d.B[o]
		for k, w := range d.W[o*d.In : (o+1)*d.In] {
			s += w * in[k]
		}
		if l < len(m.Layers)-1 && s < 0 {
			s = 0
		}
		out[o] = s
	}
	if l == len(m.Layers)-1 {
		softmax(out)
	}
}

const (
	beta1 = 0.9
	beta2 = 0.999
	eps   = 1e-8
)

func (st *trainer) update(wsum float64) {
	st.t++
	c1 := 1 - math.Pow(beta1, float64(st.t))
	c2 := 1 - math.Pow(beta2, float64(st.t))
	lr, wd := st.o.LR, st.o.WeightDecay
	for l := range st.m.Layers {
		adam(st.m.Layers[l].W, st.gW[l], st.mW[l], st.vW[l], wsum, c1, c2, lr, wd)
		adam(st.m.Layers[l].B, st.gB[l], st.mB[l], st.vB[l], wsum, c1, c2, lr, 0)
	}
}

func adam(p, g []float32, m, v []float64, n, c1, c2, lr, wd float64) {
	for i := range p {
		gi := float64(g[i]) / n
		m[i] = beta1*m[i] + (1-beta1)*gi
		v[i] = beta2*v[i] + (1-beta2)*gi*gi
		step := lr * (m[i] / c1) / (math.Sqrt(v[i]/c2) + eps)
		p[i] = float32(float64(p[i]) - step - lr*wd*float64(p[i]))
	}
}

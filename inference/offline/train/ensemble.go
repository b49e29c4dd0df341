package train

// Merge joins MLPs of the same depth into one MLP whose logits are the
// average of theirs: the first layers are stacked, the hidden ones placed
// block-diagonally, and the last ones laid side by side and scaled by 1/n.
// The result is an ordinary MLP, so it exports as the same TFLite graph.
func Merge(ms []*MLP) *MLP {
	if len(ms) == 1 {
		return ms[0]
	}
	n := float32(len(ms))
	depth := len(ms[0].Layers)
	out := &MLP{}
	for l := 0; l < depth; l++ {
		var in, o int
		for _, m := range ms {
			d := m.Layers[l]
			o += d.Out
			if l == 0 {
				in = d.In
			} else {
				in += d.In
			}
		}
		last := l == depth-1
		if last {
			o = ms[0].Layers[l].Out
		}
		d := Dense{In: in, Out: o, W: make([]float32, in*o), B: make([]float32, o)}
		rowOff, colOff := 0, 0
		for _, m := range ms {
			src := m.Layers[l]
			for r := 0; r < src.Out; r++ {
				row := r
				if !last {
					row += rowOff
				}
				col := 0
				if l > 0 {
					col = colOff
				}
				for c := 0; c < src.In; c++ {
					w := src.W[r*src.In+c]
					if last {
						w /= n
					}
					d.W[row*in+col+c] = w
				}
				if last {
					d.B[r] += src.B[r] / n
				} else {
					d.B[row] = src.B[r]
				}
			}
			rowOff += src.Out
			colOff += src.In
		}
		out.Layers = append(out.Layers, d)
	}
	return out
}

package train

import "sort"

// KNN is a k-nearest-neighbour classifier over feature vectors (Euclidean).
type KNN struct {
	K       int
	Classes int
	X       [][]float32
	Y       []int
}

// Predict returns the share of the K nearest neighbours in each class.
func (k *KNN) Predict(x []float32) []float32 {
	type nb struct {
		d float32
		y int
	}
	nbs := make([]nb, len(k.X))
	for i, t := range k.X {
		var d float32
		for j, v := range t {
			e := v - x[j]
			d += e * e
		}
		nbs[i] = nb{d, k.Y[i]}
	}
	kk := min(k.K, len(nbs))
	sort.SliceStable(nbs, func(a, b int) bool { return nbs[a].d < nbs[b].d })
	out := make([]float32, k.Classes)
	for _, n := range nbs[:kk] {
		out[n.y] += 1 / float32(kk)
	}
	return out
}

package train

import (
	"encoding/json"
	"fmt"

	"github.com/yogamirror/yogamirror/inference/tflitefile"

	"github.com/yogamirror/yogamirror/inference/classify"
)

// ExportMLP writes the MLP as a TFLite model: FULLY_CONNECTED layers (ReLU
// fused on the hidden ones) and SOFTMAX, with the Spec as metadata so the
// classifier knows its features and labels without being told.
func ExportMLP(m *MLP, spec classify.Spec) ([]byte, error) {
	g := &tflitefile.Graph{Description: "yogamirror pose classifier (MLP)"}
	x := g.Input("features", 1, m.Layers[0].In)
	for i, d := range m.Layers {
		w := g.Const(fmt.Sprintf("dense%d/weights", i), d.W, d.Out, d.In)
		b := g.Const(fmt.Sprintf("dense%d/bias", i), d.B, d.Out)
		out := g.Activation(fmt.Sprintf("dense%d", i), 1, d.Out)
		g.FullyConnected(x, w, b, out, i < len(m.Layers)-1)
		x = out
	}
	probs := g.Activation("probabilities", 1, m.Classes())
	g.Softmax(x, probs)
	g.Output(probs)
	return finish(g, spec)
}

// ExportKNN writes k-NN as a TFLite graph: one FULLY_CONNECTED computes
// 2·x·t − |t|² for every training vector t (the negated squared distance
// up to |x|², which doesn't change the order), TOPK_V2 picks the k nearest,
// GATHER their one-hot labels, SUM and MUL by 1/k give the vote shares.
func ExportKNN(k *KNN, spec classify.Spec) ([]byte, error) {
	n, dim := len(k.X), len(k.X[0])
	kk := min(k.K, n)
	w := make([]float32, 0, n*dim)
	bias := make([]float32, n)
	onehot := make([]float32, n*k.Classes)
	for i, t := range k.X {
		for _, v := range t {
			w = append(w, 2*v)
			bias[i] -= v * v
		}
		onehot[i*k.Classes+k.Y[i]] = 1
	}
	g := &tflitefile.Graph{Description: fmt.Sprintf("yogamirror pose classifier (%d-NN)", kk)}
	x := g.Input("features", 1, dim)
	score := g.Activation("neg_distance", 1, n)
	g.FullyConnected(x, g.Const("train/2x", w, n, dim), g.Const("train/-norm2", bias, n), score, false)
	vals, idx := g.Activation("nearest/score", 1, kk), g.Int32Activation("nearest/index", 1, kk)
	g.TopK(score, g.ConstInt32("k", []int32{int32(kk)}), vals, idx)
	votes := g.Activation("votes", 1, kk, k.Classes)
	g.Gather(g.Const("train/onehot", onehot, n, k.Classes), idx, votes)
	sum := g.Activation("vote_sum", 1, k.Classes)
	g.Sum(votes, g.ConstInt32("axis", []int32{1}, 1), sum)
	probs := g.Activation("probabilities", 1, k.Classes)
	g.Mul(sum, g.Const("1/k", []float32{1 / float32(kk)}, 1), probs)
	g.Output(probs)
	return finish(g, spec)
}

// finish adds the Spec as metadata and seals the model with its checksum,
// which the classifier verifies at every load.
func finish(g *tflitefile.Graph, spec classify.Spec) ([]byte, error) {
	spec.Version, spec.Checksum = classify.SpecVersion, classify.ChecksumPlaceholder
	meta, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	g.Metadata(classify.MetadataName, meta)
	data, err := g.Bytes()
	if err != nil {
		return nil, err
	}
	return classify.Seal(data)
}

package train

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
)

// FitOpts configure MLP training. Zero values take the defaults noted.
type FitOpts struct {
	Hidden      []int   // hidden layer sizes (default 128, 64)
	Epochs      int     // maximum epochs (default 300)
	Patience    int     // stop after this many epochs without a better validation loss (default 30)
	Batch       int     // minibatch size (default 32)
	LR          float64 // Adam learning rate (default 1e-3)
	WeightDecay float64 // decoupled weight decay (AdamW, default 1e-4)
	Dropout     float64 // dropout after each hidden layer (default 0.2; negative: none)
	// ClassWeights weights each class's loss by n/(classes·count) when true.
	ClassWeights bool
	Seed         uint64
	// Progress is called after each epoch.
	Progress func(e Epoch) `json:"-"`
	// Done, when closed (a context's Done), stops training between
	// minibatches with an error wrapping ErrStopped.
	Done <-chan struct{} `json:"-"`
}

// ErrStopped means training was stopped through FitOpts.Done.
var ErrStopped = errors.New("train: stopped")

// stopped reports whether done is closed.
func stopped(done <-chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// Epoch is one line of the training history.
type Epoch struct {
	N         int     `json:"epoch"`
	TrainLoss float64 `json:"train_loss"`
	ValLoss   float64 `json:"val_loss"`
	ValAcc    float64 `json:"val_acc"`
}

// Set is a feature matrix with integer labels.
type Set struct {
	X [][]float32
	Y []int
}

func (o *FitOpts) defaults() {
	if len(o.Hidden) == 0 {
		o.Hidden = []int{128, 64}
	}
	if o.Epochs <= 0 {
		o.Epochs = 300
	}
	if o.Patience <= 0 {
		o.Patience = 30
	}
	if o.Batch <= 0 {
		o.Batch = 32
	}
	if o.LR <= 0 {
		o.LR = 1e-3
	}
	if o.WeightDecay == 0 {
		o.WeightDecay = 1e-4
	}
	if o.Dropout == 0 {
		o.Dropout = 0.2
	}
}

// Fit trains an MLP on train, keeping the weights with the best validation
// loss. Single-threaded and seeded, so the same inputs give the same bits.
func Fit(train, val Set, classes int, o FitOpts) (*MLP, []Epoch, error) {
	o.defaults()
	if len(train.X) == 0 || len(val.X) == 0 {
		return nil, nil, errors.New("train: empty training or validation set")
	}
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	sizes := append(append([]int{len(train.X[0])}, o.Hidden...), classes)
	m := NewMLP(sizes, rng)
	st := newTrainer(m, o, classWeights(train.Y, classes, o.ClassWeights))
	best, bestLoss, since := m.Clone(), math.Inf(1), 0
	var hist []Epoch
	order := make([]int, len(train.X))
	for i := range order {
		order[i] = i
	}
	for e := 1; e <= o.Epochs && since < o.Patience; e++ {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		loss := 0.0
		for b := 0; b < len(order); b += o.Batch {
			if stopped(o.Done) {
				return nil, hist, fmt.Errorf("%w at epoch %d", ErrStopped, e)
			}
			loss += st.step(train, order[b:min(b+o.Batch, len(order))], rng)
		}
		vl, va := Evaluate(m, val)
		ep := Epoch{N: e, TrainLoss: loss / float64(len(order)), ValLoss: vl, ValAcc: va}
		if math.IsNaN(ep.TrainLoss) {
			return nil, hist, fmt.Errorf("train: loss became NaN at epoch %d (learning rate too high?)", e)
		}
		hist = append(hist, ep)
		if o.Progress != nil {
			o.Progress(ep)
		}
		if vl < bestLoss-1e-6 {
			best, bestLoss, since = m.Clone(), vl, 0
		} else {
			since++
		}
	}
	return best, hist, nil
}

func classWeights(y []int, classes int, on bool) []float64 {
	w := make([]float64, classes)
	count := make([]int, classes)
	for _, c := range y {
		count[c]++
	}
	for c := range w {
		w[c] = 1
		if on && count[c] > 0 {
			w[c] = float64(len(y)) / float64(classes*count[c])
		}
	}
	return w
}

// Evaluate returns mean cross-entropy and accuracy.
func Evaluate(m *MLP, s Set) (loss, acc float64) {
	var acts [][]float32
	correct := 0
	for i, x := range s.X {
		acts = m.forward(x, acts)
		p := acts[len(acts)-1]
		loss -= math.Log(math.Max(float64(p[s.Y[i]]), 1e-12))
		if argmax(p) == s.Y[i] {
			correct++
		}
	}
	return loss / float64(len(s.X)), float64(correct) / float64(len(s.X))
}

func argmax(p []float32) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

package tflitefile

import (
	"encoding/binary"
	"fmt"
	"math"

	flatbuffers "github.com/google/flatbuffers/go"
)

// Graph is a small TFLite model under construction: one subgraph of float32
// and int32 tensors and builtin ops, plus metadata entries. It writes schema
// version 3 flatbuffers with op versions TFLite 2.9 runs.
type Graph struct {
	Description string
	tensors     []wTensor
	ops         []wOp
	inputs      []int
	outputs     []int
	metadata    []wMeta
}

// Op codes and option kinds the project's exporters use (schema.fbs numbers).
const (
	OpFullyConnected  = 9
	OpGather          = 36
	OpMul             = 18
	OpSoftmax         = 25
	OpTopKV2          = 48
	OpSum             = 74
	optFullyConnected = 8
	optSoftmax        = 9
	optMul            = 21
	optGather         = 23
	optReducer        = 27
	optTopKV2         = 34
)

const (
	typeFloat32 = 0
	typeInt32   = 2
)

type wTensor struct {
	name  string
	shape []int32
	typ   int8
	data  []byte // nil for activations
}

type wOp struct {
	code, version int32
	inputs        []int32
	outputs       []int32
	optType       byte
	options       func(b *flatbuffers.Builder) flatbuffers.UOffsetT
}

type wMeta struct {
	name string
	data []byte
}

func (g *Graph) tensor(name string, shape []int, typ int8, data []byte) int {
	s := make([]int32, len(shape))
	for i, d := range shape {
		s[i] = int32(d)
	}
	g.tensors = append(g.tensors, wTensor{name: name, shape: s, typ: typ, data: data})
	return len(g.tensors) - 1
}

// Input adds a float32 graph input.
func (g *Graph) Input(name string, shape ...int) int {
	t := g.tensor(name, shape, typeFloat32, nil)
	g.inputs = append(g.inputs, t)
	return t
}

// Activation adds an intermediate float32 tensor.
func (g *Graph) Activation(name string, shape ...int) int {
	return g.tensor(name, shape, typeFloat32, nil)
}

// Int32Activation adds an intermediate int32 tensor.
func (g *Graph) Int32Activation(name string, shape ...int) int {
	return g.tensor(name, shape, typeInt32, nil)
}

// Output marks a tensor as a graph output.
func (g *Graph) Output(t int) { g.outputs = append(g.outputs, t) }

// Const adds a constant float32 tensor.
func (g *Graph) Const(name string, values []float32, shape ...int) int {
	data := make([]byte, 4*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint32(data[4*i:], math.Float32bits(v))
	}
	return g.tensor(name, shape, typeFloat32, data)
}

// ConstInt32 adds a constant int32 tensor.
func (g *Graph) ConstInt32(name string, values []int32, shape ...int) int {
	data := make([]byte, 4*len(values))
	for i, v := range values {
		binary.LittleEndian.PutUint32(data[4*i:], uint32(v))
	}
	return g.tensor(name, shape, typeInt32, data)
}

// Metadata attaches a named metadata buffer.
func (g *Graph) Metadata(name string, data []byte) {
	g.metadata = append(g.metadata, wMeta{name, data})
}

func (g *Graph) op(code, version int32, in, out []int, optType byte, opts func(*flatbuffers.Builder) flatbuffers.UOffsetT) {
	o := wOp{code: code, version: version, optType: optType, options: opts}
	for _, t := range in {
		o.inputs = append(o.inputs, int32(t))
	}
	for _, t := range out {
		o.outputs = append(o.outputs, int32(t))
	}
	g.ops = append(g.ops, o)
}

// FullyConnected adds out = act(in·Wᵀ + b); relu selects ReLU as the fused activation.
func (g *Graph) FullyConnected(in, weights, bias, out int, relu bool) {
	act := byte(0)
	if relu {
		act = 1
	}
	g.op(OpFullyConnected, 1, []int{in, weights, bias}, []int{out}, optFullyConnected,
		func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
			b.StartObject(4)
			b.PrependByteSlot(0, act, 0)
			return b.EndObject()
		})
}

// Softmax adds out = softmax(in) with beta 1.
func (g *Graph) Softmax(in, out int) {
	g.op(OpSoftmax, 1, []int{in}, []int{out}, optSoftmax, func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		b.StartObject(1)
		b.PrependFloat32Slot(0, 1, 0)
		return b.EndObject()
	})
}

// TopK adds the k largest values and their indices along the last axis.
func (g *Graph) TopK(in, k, values, indices int) {
	g.op(OpTopKV2, 1, []int{in, k}, []int{values, indices}, optTopKV2, emptyOptions)
}

// Gather adds out = params[indices] along axis 0.
func (g *Graph) Gather(params, indices, out int) {
	g.op(OpGather, 1, []int{params, indices}, []int{out}, optGather, func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		b.StartObject(2)
		b.PrependInt32Slot(0, 0, 0)
		return b.EndObject()
	})
}

// Sum adds a reduction over the axes tensor, without keeping dims.
func (g *Graph) Sum(in, axes, out int) {
	g.op(OpSum, 1, []int{in, axes}, []int{out}, optReducer, func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		b.StartObject(1)
		b.PrependBoolSlot(0, false, false)
		return b.EndObject()
	})
}

// Mul adds out = a * b (broadcasting).
func (g *Graph) Mul(a, c, out int) {
	g.op(OpMul, 1, []int{a, c}, []int{out}, optMul, func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		b.StartObject(1)
		return b.EndObject()
	})
}

func emptyOptions(b *flatbuffers.Builder) flatbuffers.UOffsetT {
	b.StartObject(0)
	return b.EndObject()
}

// Bytes serialises the model.
func (g *Graph) Bytes() ([]byte, error) {
	if len(g.inputs) == 0 || len(g.outputs) == 0 || len(g.ops) == 0 {
		return nil, fmt.Errorf("tflite: graph needs inputs, outputs and ops")
	}
	b := flatbuffers.NewBuilder(1 << 16)
	buffers, tensorBuf := g.writeBuffers(b)
	codes, opIndex := g.writeOpCodes(b)
	subgraph := g.writeSubgraph(b, tensorBuf, opIndex)
	meta := g.writeMetadata(b, len(g.tensors)+1)
	desc := b.CreateString(g.Description)
	b.StartObject(8)
	b.PrependUint32Slot(0, 3, 0)
	b.PrependUOffsetTSlot(1, codes, 0)
	b.PrependUOffsetTSlot(2, subgraph, 0)
	b.PrependUOffsetTSlot(3, desc, 0)
	b.PrependUOffsetTSlot(4, buffers, 0)
	if meta != 0 {
		b.PrependUOffsetTSlot(6, meta, 0)
	}
	b.FinishWithFileIdentifier(b.EndObject(), []byte("TFL3"))
	return b.FinishedBytes(), nil
}

package tflitefile

import flatbuffers "github.com/google/flatbuffers/go"

// writeBuffers writes buffer 0 (the empty sentinel), one buffer per tensor
// (empty for activations) and then one per metadata entry. Data vectors are
// aligned to 16 bytes, as TFLite expects for constant tensors.
func (g *Graph) writeBuffers(b *flatbuffers.Builder) (flatbuffers.UOffsetT, []uint32) {
	datas := [][]byte{nil}
	tensorBuf := make([]uint32, len(g.tensors))
	for i, t := range g.tensors {
		tensorBuf[i] = uint32(len(datas))
		datas = append(datas, t.data)
	}
	for _, m := range g.metadata {
		datas = append(datas, m.data)
	}
	offs := make([]flatbuffers.UOffsetT, len(datas))
	for i := len(datas) - 1; i >= 0; i-- {
		var vec flatbuffers.UOffsetT
		if len(datas[i]) > 0 {
			b.StartVector(1, len(datas[i]), 16)
			for k := len(datas[i]) - 1; k >= 0; k-- {
				b.PlaceByte(datas[i][k])
			}
			vec = b.EndVector(len(datas[i]))
		}
		b.StartObject(3)
		if vec != 0 {
			b.PrependUOffsetTSlot(0, vec, 0)
		}
		offs[i] = b.EndObject()
	}
	return tableVector(b, offs), tensorBuf
}

func (g *Graph) writeOpCodes(b *flatbuffers.Builder) (flatbuffers.UOffsetT, []uint32) {
	type key struct{ code, version int32 }
	var keys []key
	index := map[key]uint32{}
	opIndex := make([]uint32, len(g.ops))
	for i, o := range g.ops {
		k := key{o.code, o.version}
		if _, ok := index[k]; !ok {
			index[k] = uint32(len(keys))
			keys = append(keys, k)
		}
		opIndex[i] = index[k]
	}
	offs := make([]flatbuffers.UOffsetT, len(keys))
	for i, k := range keys {
		b.StartObject(4)
		b.PrependInt8Slot(0, int8(k.code), 0) // deprecated_builtin_code, read by old runtimes
		b.PrependInt32Slot(2, k.version, 1)
		b.PrependInt32Slot(3, k.code, 0)
		offs[i] = b.EndObject()
	}
	return tableVector(b, offs), opIndex
}

func (g *Graph) writeSubgraph(b *flatbuffers.Builder, tensorBuf, opIndex []uint32) flatbuffers.UOffsetT {
	tensors := make([]flatbuffers.UOffsetT, len(g.tensors))
	for i, t := range g.tensors {
		name := b.CreateString(t.name)
		shape := int32Vector(b, t.shape)
		b.StartObject(4)
		b.PrependUOffsetTSlot(0, shape, 0)
		b.PrependInt8Slot(1, t.typ, 0)
		b.PrependUint32Slot(2, tensorBuf[i], 0)
		b.PrependUOffsetTSlot(3, name, 0)
		tensors[i] = b.EndObject()
	}
	ops := make([]flatbuffers.UOffsetT, len(g.ops))
	for i, o := range g.ops {
		in, out := int32Vector(b, o.inputs), int32Vector(b, o.outputs)
		opts := o.options(b)
		b.StartObject(5)
		b.PrependUint32Slot(0, opIndex[i], 0)
		b.PrependUOffsetTSlot(1, in, 0)
		b.PrependUOffsetTSlot(2, out, 0)
		b.PrependByteSlot(3, o.optType, 0)
		b.PrependUOffsetTSlot(4, opts, 0)
		ops[i] = b.EndObject()
	}
	tv, ov := tableVector(b, tensors), tableVector(b, ops)
	in, out := int32Vector(b, toInt32(g.inputs)), int32Vector(b, toInt32(g.outputs))
	name := b.CreateString("main")
	b.StartObject(5)
	b.PrependUOffsetTSlot(0, tv, 0)
	b.PrependUOffsetTSlot(1, in, 0)
	b.PrependUOffsetTSlot(2, out, 0)
	b.PrependUOffsetTSlot(3, ov, 0)
	b.PrependUOffsetTSlot(4, name, 0)
	return tableVector(b, []flatbuffers.UOffsetT{b.EndObject()})
}

// writeMetadata writes the Metadata entries; their buffers follow the
// tensors' (firstBuffer is the index of the first metadata buffer).
func (g *Graph) writeMetadata(b *flatbuffers.Builder, firstBuffer int) flatbuffers.UOffsetT {
	if len(g.metadata) == 0 {
		return 0
	}
	offs := make([]flatbuffers.UOffsetT, len(g.metadata))
	for i, m := range g.metadata {
		name := b.CreateString(m.name)
		b.StartObject(2)
		b.PrependUOffsetTSlot(0, name, 0)
		b.PrependUint32Slot(1, uint32(firstBuffer+i), 0)
		offs[i] = b.EndObject()
	}
	return tableVector(b, offs)
}

func tableVector(b *flatbuffers.Builder, offs []flatbuffers.UOffsetT) flatbuffers.UOffsetT {
	b.StartVector(4, len(offs), 4)
	for i := len(offs) - 1; i >= 0; i-- {
		b.PrependUOffsetT(offs[i])
	}
	return b.EndVector(len(offs))
}

func int32Vector(b *flatbuffers.Builder, v []int32) flatbuffers.UOffsetT {
	b.StartVector(4, len(v), 4)
	for i := len(v) - 1; i >= 0; i-- {
		b.PrependInt32(v[i])
	}
	return b.EndVector(len(v))
}

func toInt32(v []int) []int32 {
	out := make([]int32, len(v))
	for i, x := range v {
		out[i] = int32(x)
	}
	return out
}

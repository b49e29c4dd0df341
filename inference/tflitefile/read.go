package tflitefile

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
)

// The few parts of the TFLite flatbuffer schema (schema.fbs) that yogamirror
// reads without the runtime: operator codes, to name what a model needs, and
// metadata entries, where the project's own classifiers carry their
// preprocessing. Every read is bounds-checked, so a truncated or hostile file
// gives an error, never a panic.

// OpCode is one entry of Model.operator_codes.
type OpCode struct {
	Builtin int32  // BuiltinOperator, 32 (CUSTOM) for custom ops
	Custom  string // custom op name, when Builtin is CUSTOM
	Version int32
}

// Name is the operator's schema name when known, or its number.
func (o OpCode) Name() string {
	if o.Custom != "" {
		return o.Custom
	}
	if n, ok := builtinNames[o.Builtin]; ok {
		return n
	}
	return fmt.Sprintf("BUILTIN_%d", o.Builtin)
}

// builtinNames covers the ops the models here use and the usual suspects.
var builtinNames = map[int32]string{
	0: "ADD", 1: "AVERAGE_POOL_2D", 2: "CONCATENATION", 3: "CONV_2D", 4: "DEPTHWISE_CONV_2D",
	6: "DEQUANTIZE", 9: "FULLY_CONNECTED", 14: "LOGISTIC", 17: "MAX_POOL_2D", 18: "MUL",
	19: "RELU", 21: "RELU6", 22: "RESHAPE", 23: "RESIZE_BILINEAR", 25: "SOFTMAX", 28: "TANH",
	32: "CUSTOM", 34: "PAD", 36: "GATHER", 39: "TRANSPOSE", 40: "MEAN", 41: "SUB", 42: "DIV",
	43: "SQUEEZE", 45: "STRIDED_SLICE", 47: "EXP", 53: "CAST", 55: "MAXIMUM", 56: "ARG_MAX",
	57: "MINIMUM", 65: "SLICE", 70: "EXPAND_DIMS", 74: "SUM", 75: "SQRT", 76: "RSQRT",
	77: "SHAPE", 83: "PACK", 88: "UNPACK", 90: "FLOOR_DIV", 92: "SQUARE", 94: "FILL",
	101: "ABS", 114: "QUANTIZE", 117: "HARD_SWISH", 126: "BATCH_MATMUL",
}

var errBounds = errors.New("offset out of range")

type fbuf []byte

func (b fbuf) u32(pos int) (uint32, error) {
	if pos < 0 || pos+4 > len(b) {
		return 0, errBounds
	}
	return binary.LittleEndian.Uint32(b[pos:]), nil
}

func (b fbuf) u16(pos int) (uint16, error) {
	if pos < 0 || pos+2 > len(b) {
		return 0, errBounds
	}
	return binary.LittleEndian.Uint16(b[pos:]), nil
}

// field returns the absolute position of field i of the table at pos, or 0 when absent.
func (b fbuf) field(table, i int) (int, error) {
	so, err := b.u32(table)
	if err != nil {
		return 0, err
	}
	vt := table - int(int32(so))
	vtSize, err := b.u16(vt)
	if err != nil {
		return 0, err
	}
	if 4+2*i+2 > int(vtSize) {
		return 0, nil
	}
	off, err := b.u16(vt + 4 + 2*i)
	if err != nil || off == 0 {
		return 0, err
	}
	return table + int(off), nil
}

// deref follows a uoffset stored at pos.
func (b fbuf) deref(pos int) (int, error) {
	o, err := b.u32(pos)
	if err != nil {
		return 0, err
	}
	p := pos + int(o)
	if p >= len(b) {
		return 0, errBounds
	}
	return p, nil
}

// vector returns the start of the elements and the length of the vector referenced from pos.
func (b fbuf) vector(pos int) (int, int, error) {
	v, err := b.deref(pos)
	if err != nil {
		return 0, 0, err
	}
	n, err := b.u32(v)
	if err != nil {
		return 0, 0, err
	}
	if int(n) > len(b) {
		return 0, 0, errBounds
	}
	return v + 4, int(n), nil
}

func (b fbuf) str(pos int) (string, error) {
	start, n, err := b.vector(pos)
	if err != nil {
		return "", err
	}
	if start+n > len(b) {
		return "", errBounds
	}
	return string(b[start : start+n]), nil
}

func (b fbuf) int32Field(table, i int, def int32) (int32, error) {
	p, err := b.field(table, i)
	if err != nil || p == 0 {
		return def, err
	}
	v, err := b.u32(p)
	return int32(v), err
}

func (b fbuf) int8Field(table, i int) (int32, error) {
	p, err := b.field(table, i)
	if err != nil || p == 0 {
		return 0, err
	}
	if p >= len(b) {
		return 0, errBounds
	}
	return int32(int8(b[p])), nil
}

// rootTable returns the position of the Model table.
func (b fbuf) rootTable() (int, error) {
	if len(b) < 8 {
		return 0, errBounds
	}
	return b.deref(0)
}

// tables walks a vector of tables stored in field i of the root Model table.
func (b fbuf) tables(i int, each func(table int) error) error {
	root, err := b.rootTable()
	if err != nil {
		return err
	}
	p, err := b.field(root, i)
	if err != nil || p == 0 {
		return err
	}
	start, n, err := b.vector(p)
	if err != nil {
		return err
	}
	for k := 0; k < n; k++ {
		t, err := b.deref(start + 4*k)
		if err != nil {
			return err
		}
		if err := each(t); err != nil {
			return err
		}
	}
	return nil
}

// ReadOpCodes lists the operator codes a model declares.
func ReadOpCodes(model []byte) ([]OpCode, error) {
	b := fbuf(model)
	var ops []OpCode
	err := b.tables(1, func(t int) error {
		dep, err := b.int8Field(t, 0)
		if err != nil {
			return err
		}
		ver, err := b.int32Field(t, 2, 1)
		if err != nil {
			return err
		}
		code, err := b.int32Field(t, 3, 0)
		if err != nil {
			return err
		}
		op := OpCode{Builtin: max(dep, code), Version: ver}
		if p, err := b.field(t, 1); err != nil {
			return err
		} else if p != 0 {
			if op.Custom, err = b.str(p); err != nil {
				return err
			}
		}
		ops = append(ops, op)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("operator codes: %w", err)
	}
	return ops, nil
}

// ReadMetadata returns the contents of the model's metadata entry with the
// given name (Model.metadata → Model.buffers), or nil when there is none.
func ReadMetadata(model []byte, name string) ([]byte, error) {
	start, end, err := MetadataRange(model, name)
	if err != nil || start < 0 {
		return nil, err
	}
	return append([]byte(nil), model[start:end]...), nil
}

// MetadataRange returns where the bytes of the metadata entry called name
// lie in model, or -1, -1 when there is none.
func MetadataRange(model []byte, name string) (start, end int, err error) {
	b := fbuf(model)
	index := -1
	err = b.tables(6, func(t int) error {
		p, err := b.field(t, 0)
		if err != nil || p == 0 {
			return err
		}
		n, err := b.str(p)
		if err != nil || n != name {
			return err
		}
		buf, err := b.int32Field(t, 1, 0)
		index = int(uint32(buf))
		return err
	})
	if err != nil || index < 0 {
		return -1, -1, wrapMeta(name, err)
	}
	start, end = -1, -1
	k := 0
	err = b.tables(4, func(t int) error {
		defer func() { k++ }()
		if k != index {
			return nil
		}
		p, err := b.field(t, 0)
		if err != nil || p == 0 {
			return err
		}
		s, n, err := b.vector(p)
		if err != nil {
			return err
		}
		if s+n > len(b) {
			return errBounds
		}
		start, end = s, s+n
		return nil
	})
	return start, end, wrapMeta(name, err)
}

func wrapMeta(name string, err error) error {
	if err != nil {
		return fmt.Errorf("metadata %q: %w", name, err)
	}
	return nil
}

// Checksum is the hex SHA-256 of model with the bytes of its metadata
// entry called name zeroed: it covers everything else in the file — the
// graph, the tensors, the weights — and can be stored in that entry
// (written as a placeholder of the same length, then filled in) without
// changing itself.
func Checksum(model []byte, name string) (string, error) {
	start, end, err := MetadataRange(model, name)
	if err != nil {
		return "", err
	}
	if start < 0 {
		return "", fmt.Errorf("metadata %q: not in the model", name)
	}
	h := sha256.New()
	h.Write(model[:start])
	h.Write(make([]byte, end-start))
	h.Write(model[end:])
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Check says why data is not a readable TensorFlow Lite model (empty, no
// TFL3 identifier, a truncated or corrupt flatbuffer), naming it as name.
func Check(name string, data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("%s: empty file", name)
	}
	if len(data) < 8 || string(data[4:8]) != "TFL3" {
		return fmt.Errorf("%s: not a TensorFlow Lite model (no TFL3 file identifier)", name)
	}
	if _, err := ReadOpCodes(data); err != nil {
		return fmt.Errorf("%s: corrupt or truncated model: %w", name, err)
	}
	return nil
}

//go:build tflite

package train

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/catalog"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/movenet"
	"github.com/yogamirror/yogamirror/inference/tflite"
	"github.com/yogamirror/yogamirror/inference/tflitefile"
)

func loadModel(path string) (*classify.Model, error) {
	return classify.Load(classify.Opts{Path: path, TFLite: tflite.Options{Delegate: tflite.DelegateCPU}, TopK: -1})
}

func writeModel(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, name)
	testkit.WriteFile(t, path, data)
	return path
}

// TestTamperedClassifierIsRefused: flipping 16 bytes of a trained model's
// weights used to load and answer confidently wrong; now the checksum `yogamirror train`
// seals into the metadata catches it, naming the file.
func TestTamperedClassifierIsRefused(t *testing.T) {
	m := NewMLP([]int{testSpec.Features.Len(), 16, 3}, rand.New(rand.NewPCG(1, 2)))
	data, err := ExportMLP(m, testSpec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := writeModel(t, dir, "classifier.tflite", data)
	cls, err := loadModel(good)
	if err != nil {
		t.Fatal(err)
	}
	if cls.Integrity() != classify.Verified {
		t.Errorf("integrity %q, want verified", cls.Integrity())
	}
	cls.Close()

	// 16 bytes of the first layer's weights, found by their value.
	w := make([]byte, 16)
	for i := range 4 {
		binary.LittleEndian.PutUint32(w[4*i:], math.Float32bits(m.Layers[0].W[i]))
	}
	at := bytes.Index(data, w)
	if at < 0 {
		t.Fatal("weights not found in the file")
	}
	bad := append([]byte(nil), data...)
	for i := at; i < at+16; i++ {
		bad[i] ^= 0x5a
	}
	path := writeModel(t, dir, "tampered.tflite", bad)
	_, err = loadModel(path)
	if !errors.Is(err, classify.ErrCorrupt) || !strings.Contains(err.Error(), "model corrupt: checksum mismatch") || !strings.Contains(err.Error(), path) {
		t.Fatalf("tampered weights: %v, want a checksum mismatch naming %s", err, path)
	}
	if _, err := classify.VerifyFile(path, 0); !errors.Is(err, classify.ErrCorrupt) {
		t.Errorf("VerifyFile(tampered) = %v", err)
	}
	if got, err := classify.VerifyFile(good, 0); err != nil || got != classify.Verified {
		t.Errorf("VerifyFile(good) = %q, %v", got, err)
	}
	// The same with the graph: a flipped byte anywhere outside the metadata.
	bad = append([]byte(nil), data...)
	bad[40] ^= 1
	if _, err := loadModel(writeModel(t, dir, "graph.tflite", bad)); err == nil {
		t.Error("a flipped byte in the graph was accepted")
	}
}

// TestModelsWithoutChecksumLoadUnverified: models trained before
// checksums keep loading, and say they are unverified.
func TestModelsWithoutChecksumLoadUnverified(t *testing.T) {
	m := NewMLP([]int{testSpec.Features.Len(), 8, 3}, rand.New(rand.NewPCG(3, 4)))
	g := &tflitefile.Graph{Description: "an older model"}
	x := g.Input("features", 1, m.Layers[0].In)
	for i, d := range m.Layers {
		out := g.Activation("dense", 1, d.Out)
		g.FullyConnected(x, g.Const("w", d.W, d.Out, d.In), g.Const("b", d.B, d.Out), out, i == 0)
		x = out
	}
	probs := g.Activation("probabilities", 1, 3)
	g.Softmax(x, probs)
	g.Output(probs)
	spec := testSpec
	spec.Version = classify.SpecVersion
	meta, _ := json.Marshal(spec)
	g.Metadata(classify.MetadataName, meta)
	data, err := g.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	cls, err := loadModel(writeModel(t, t.TempDir(), "old.tflite", data))
	if err != nil {
		t.Fatal(err)
	}
	defer cls.Close()
	if cls.Integrity() != classify.Unverified {
		t.Errorf("integrity %q, want unverified", cls.Integrity())
	}
}

// TestCatalogModelsAreVerifiedAtLoad: Google's classifier and MoveNet are
// checked against their pinned sha256 at every load, not only at download.
func TestCatalogModelsAreVerifiedAtLoad(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{catalog.YogaClassifier, catalog.MoveNetLightning} {
		data, err := os.ReadFile(testkit.Path(t, "models/"+name))
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 1
		writeModel(t, dir, name, data)
	}
	cls, err := loadModel(testkit.Path(t, "models/"+catalog.YogaClassifier))
	if err != nil {
		t.Fatal(err)
	}
	if cls.Integrity() != classify.Pinned {
		t.Errorf("integrity %q, want pinned", cls.Integrity())
	}
	cls.Close()
	flipped := filepath.Join(dir, catalog.YogaClassifier)
	if _, err := loadModel(flipped); !errors.Is(err, catalog.ErrChecksum) || !strings.Contains(err.Error(), "model corrupt") || !strings.Contains(err.Error(), flipped) {
		t.Errorf("flipped classifier: %v", err)
	}
	flipped = filepath.Join(dir, catalog.MoveNetLightning)
	if _, err := movenet.New(movenet.Opts{Model: flipped}); !errors.Is(err, catalog.ErrChecksum) || !strings.Contains(err.Error(), flipped) {
		t.Errorf("flipped MoveNet: %v", err)
	}
}

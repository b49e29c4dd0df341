// Package tflitefile reads and writes TensorFlow Lite model files in pure Go,
// without the runtime: it checks a file is a well-formed model, lists the
// operators it needs, reads and writes metadata entries, and builds the small
// graphs `yogamirror train` exports. Every read is bounds-checked, so a
// truncated or hostile file gives an error, never a panic. The runtime that
// executes models is inference/tflite, the only cgo half.
package tflitefile

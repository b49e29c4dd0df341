//go:build tflite

package tflite

import (
	"fmt"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

// BenchmarkMoveNetInvoke measures one MoveNet Lightning int8 invoke per back
// end and thread count; pick the default from these numbers.
func BenchmarkMoveNetInvoke(b *testing.B) {
	for _, d := range []Delegate{DelegateCPU, DelegateXNNPACK} {
		for _, threads := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/threads=%d", d, threads), func(b *testing.B) {
				it, err := Load(testkit.MoveNet(b), Options{Delegate: d, Threads: threads})
				if err != nil {
					b.Fatal(err)
				}
				defer it.Close()
				in, _ := it.Uint8Input(0)
				for k := range in {
					in[k] = uint8(k * 7)
				}
				out := make([]float32, 51)
				b.ResetTimer()
				for n := 0; n < b.N; n++ {
					if err := it.Invoke(); err != nil {
						b.Fatal(err)
					}
					if out, err = it.Output(0, out); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

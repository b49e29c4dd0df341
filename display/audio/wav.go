package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

// PCM is mono 16-bit audio.
type PCM struct {
	Rate    int // samples per second
	Samples []int16
}

// Duration is how long p plays.
func (p PCM) Duration() time.Duration {
	if p.Rate <= 0 {
		return 0
	}
	return time.Duration(len(p.Samples)) * time.Second / time.Duration(p.Rate)
}

// RMS is the root mean square level, 0 (silence) to 1 (full scale).
func (p PCM) RMS() float64 {
	if len(p.Samples) == 0 {
		return 0
	}
	var sum float64
	for _, s := range p.Samples {
		v := float64(s) / math.MaxInt16
		sum += v * v
	}
	return math.Sqrt(sum / float64(len(p.Samples)))
}

// Scale multiplies every sample by gain (0..1), in place.
func (p PCM) Scale(gain float64) {
	for i, s := range p.Samples {
		p.Samples[i] = int16(math.Round(float64(s) * gain))
	}
}

// WAV encodes p as a RIFF/WAVE file (PCM, mono, 16-bit), what aplay plays.
func (p PCM) WAV() []byte {
	var b bytes.Buffer
	data := 2 * len(p.Samples)
	w := func(v any) { binary.Write(&b, binary.LittleEndian, v) }
	b.WriteString("RIFF")
	w(uint32(36 + data))
	b.WriteString("WAVEfmt ")
	w(uint32(16))         // fmt chunk size
	w(uint16(1))          // PCM
	w(uint16(1))          // mono
	w(uint32(p.Rate))     // sample rate
	w(uint32(2 * p.Rate)) // byte rate
	w(uint16(2))          // block align
	w(uint16(16))         // bits per sample
	b.WriteString("data")
	w(uint32(data))
	w(p.Samples)
	return b.Bytes()
}

// ErrNotWAV reports data that is not 16-bit PCM WAV.
var ErrNotWAV = errors.New("audio: not a 16-bit PCM WAV")

// DecodeWAV reads 16-bit PCM WAV, mono or the first channel of several.
// Sizes in the header may be placeholders (espeak-ng writing to a pipe
// cannot seek back to fill them in): the data runs to the end.
func DecodeWAV(b []byte) (PCM, error) {
	if len(b) < 12 || string(b[:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return PCM{}, ErrNotWAV
	}
	var rate, channels, bits int
	for i := 12; i+8 <= len(b); {
		id, size := string(b[i:i+4]), int(binary.LittleEndian.Uint32(b[i+4:i+8]))
		body := b[i+8:]
		switch id {
		case "fmt ":
			if len(body) < 16 || binary.LittleEndian.Uint16(body) != 1 {
				return PCM{}, ErrNotWAV
			}
			channels = int(binary.LittleEndian.Uint16(body[2:]))
			rate = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if bits != 16 || channels < 1 || rate <= 0 {
				return PCM{}, fmt.Errorf("%w: %d bits, %d channels at %d Hz", ErrNotWAV, bits, channels, rate)
			}
			body = body[:min(len(body), size)&^1]
			step := 2 * channels
			p := PCM{Rate: rate, Samples: make([]int16, len(body)/step)}
			for j := range p.Samples {
				p.Samples[j] = int16(binary.LittleEndian.Uint16(body[j*step:]))
			}
			return p, nil
		}
		i += 8 + size + size%2
	}
	return PCM{}, fmt.Errorf("%w: no data chunk", ErrNotWAV)
}

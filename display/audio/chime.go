package audio

import (
	"math"
	"time"
)

// Chime names one of the synthesised sounds.
type Chime uint8

// The chimes: a soft bell when a pose is recognised (or a routine step
// begins), a single low tone at half time, a rising pair when a hold or a
// step is complete.
const (
	ChimeRecognised Chime = iota + 1
	ChimeHalf
	ChimeDone
)

func (c Chime) String() string {
	switch c {
	case ChimeRecognised:
		return "recognised"
	case ChimeHalf:
		return "half"
	case ChimeDone:
		return "done"
	}
	return "chime"
}

// SampleRate is the rate chimes are made at (espeak-ng's, so a queue of
// chimes and speech keeps one format).
const SampleRate = 22050

// note is one tone: a fundamental with a few partials (a bell's
// brightness), a 5 ms attack against clicks and an exponential decay.
type note struct {
	at, length time.Duration
	freq       float64
	decay      time.Duration // to 1/e
}

var chimes = map[Chime][]note{
	ChimeRecognised: {{0, 450 * time.Millisecond, 880, 120 * time.Millisecond}},
	ChimeHalf:       {{0, 350 * time.Millisecond, 587.33, 110 * time.Millisecond}},
	ChimeDone: {
		{0, 500 * time.Millisecond, 659.25, 160 * time.Millisecond},
		{180 * time.Millisecond, 750 * time.Millisecond, 987.77, 220 * time.Millisecond},
	},
}

// partials are the overtones' frequency ratios and levels.
var partials = [][2]float64{{1, 1}, {2, 0.35}, {3, 0.12}, {4.2, 0.05}}

// Synth makes chime c at gain (0..1 of full scale).
func Synth(c Chime, gain float64) PCM {
	ns := chimes[c]
	var end time.Duration
	for _, n := range ns {
		end = max(end, n.at+n.length)
	}
	buf := make([]float64, int(end.Seconds()*SampleRate))
	for _, n := range ns {
		add(buf, n)
	}
	var peak float64
	for _, v := range buf {
		peak = math.Max(peak, math.Abs(v))
	}
	p := PCM{Rate: SampleRate, Samples: make([]int16, len(buf))}
	if peak == 0 {
		return p
	}
	for i, v := range buf {
		p.Samples[i] = int16(math.Round(v / peak * gain * 0.9 * math.MaxInt16))
	}
	return p
}

func add(buf []float64, n note) {
	start := int(n.at.Seconds() * SampleRate)
	length := int(n.length.Seconds() * SampleRate)
	attack := 0.005 * SampleRate
	release := 0.02 * SampleRate // fade the tail to zero: no click at the end
	for i := 0; i < length && start+i < len(buf); i++ {
		t := float64(i) / SampleRate
		env := math.Exp(-t / n.decay.Seconds())
		if f := float64(i); f < attack {
			env *= f / attack
		}
		if left := float64(length - i); left < release {
			env *= left / release
		}
		var v float64
		for _, p := range partials {
			v += p[1] * math.Sin(2*math.Pi*n.freq*p[0]*t)
		}
		buf[start+i] += env * v
	}
}

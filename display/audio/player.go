// Package audio is the mirror's voice: chimes when a pose is recognised,
// at half time and when a hold is complete, and spoken pose names, routine
// steps and form cues, for a class that cannot look at the screen (heads
// down in downward dog, turned away in triangle).
//
// Chimes are synthesised here (sines with an envelope); speech is
// espeak-ng's (--stdout gives WAV); both play through ALSA's aplay, or are
// written as WAV files to a folder instead (for tests and for trying
// voices). A Player runs on its own goroutine with a bounded queue: Play
// never blocks, and when sounds come faster than they play the newest are
// dropped and counted. A missing espeak-ng or aplay, or a speaker that
// fails, is one log line (repeated at most every ten minutes with a
// count), never an error that stops the daemon.
package audio

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Defaults.
const (
	DefaultVolume = 80
	DefaultVoice  = "en-us"
	DefaultSpeed  = 150 // words per minute: espeak-ng's 175 is hurried for a class
	DefaultQueue  = 8
	relogEvery    = 10 * time.Minute
)

// Sound is one thing to play: a chime, or else speech.
type Sound struct {
	Chime Chime
	Text  string
}

func (s Sound) String() string {
	if s.Chime != 0 {
		return s.Chime.String()
	}
	return "speech"
}

// Opts configures a Player. Zero values take the defaults.
type Opts struct {
	Volume int    // 1..100 percent; 0 means DefaultVolume
	Voice  string // espeak-ng voice ("en-us", "en-gb", "en-us+f3"); "" means DefaultVoice
	Speed  int    // words per minute, 80..450; 0 means DefaultSpeed
	Device string // ALSA device for aplay -D ("" its default, e.g. "plughw:1,0")
	// OutDir, when set, receives each sound as NNNN-kind.wav instead of
	// playing it.
	OutDir string
	// Espeak and Aplay are the programs; "" means espeak-ng and aplay from
	// PATH.
	Espeak, Aplay string
	Queue         int // sounds waiting at most; 0 means DefaultQueue
	Logger        *slog.Logger
}

// Validate reports every problem at once.
func (o Opts) Validate() error {
	var errs []error
	if o.Volume < 0 || o.Volume > 100 {
		errs = append(errs, fmt.Errorf("volume %d, want 1..100 (0 for %d)", o.Volume, DefaultVolume))
	}
	if o.Speed != 0 && (o.Speed < 80 || o.Speed > 450) {
		errs = append(errs, fmt.Errorf("speed %d words per minute, want 80..450 (0 for %d)", o.Speed, DefaultSpeed))
	}
	if strings.ContainsAny(o.Voice, " \t\n/") {
		errs = append(errs, fmt.Errorf("voice %q: want an espeak-ng voice name such as en-us or en-gb+f3", o.Voice))
	}
	if o.Queue < 0 {
		errs = append(errs, fmt.Errorf("queue %d is negative", o.Queue))
	}
	return errors.Join(errs...)
}

// Stats count what the Player did.
type Stats struct {
	Played  uint64 // played or written
	Dropped uint64 // the queue was full
	Failed  uint64 // synthesis or playback failed
}

// Player plays Sounds in order on its own goroutine.
type Player struct {
	o       Opts
	log     *slog.Logger
	espeak  string // "" when missing: speech is off
	aplay   string // "" when missing (and no OutDir): playback is off
	gain    float64
	chimes  map[Chime][]byte // WAV, made once
	q       chan Sound
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{}
	closeMu sync.Mutex
	closed  bool

	played, dropped, failed atomic.Uint64
	pending                 atomic.Int64 // queued or playing
	files                   int
	warned                  map[string]time.Time // last log per problem
	since                   map[string]int       // failures since that log
}

// New starts a Player. Missing programs are logged once here; New fails
// only on bad options or an OutDir it cannot create.
func New(o Opts) (*Player, error) {
	if err := o.Validate(); err != nil {
		return nil, fmt.Errorf("audio: %w", err)
	}
	o = o.withDefaults()
	p := &Player{o: o, log: o.Logger, gain: float64(o.Volume) / 100, chimes: map[Chime][]byte{},
		q: make(chan Sound, o.Queue), done: make(chan struct{}), warned: map[string]time.Time{}, since: map[string]int{}}
	if o.OutDir != "" {
		if err := os.MkdirAll(o.OutDir, 0o755); err != nil {
			return nil, fmt.Errorf("audio: %w", err)
		}
	}
	var err error
	if p.espeak, err = exec.LookPath(o.Espeak); err != nil {
		p.log.Warn("audio: espeak-ng not found, so nothing will be spoken (install the espeak-ng package)", "program", o.Espeak)
		p.espeak = ""
	}
	if o.OutDir == "" {
		if p.aplay, err = exec.LookPath(o.Aplay); err != nil {
			p.log.Warn("audio: aplay not found, so no sound will play (install the alsa-utils package)", "program", o.Aplay)
			p.aplay = ""
		}
	}
	for _, c := range []Chime{ChimeRecognised, ChimeHalf, ChimeDone} {
		p.chimes[c] = Synth(c, p.gain).WAV()
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	go p.run()
	return p, nil
}

func (o Opts) withDefaults() Opts {
	if o.Volume == 0 {
		o.Volume = DefaultVolume
	}
	if o.Voice == "" {
		o.Voice = DefaultVoice
	}
	if o.Speed == 0 {
		o.Speed = DefaultSpeed
	}
	if o.Espeak == "" {
		o.Espeak = "espeak-ng"
	}
	if o.Aplay == "" {
		o.Aplay = "aplay"
	}
	if o.Queue == 0 {
		o.Queue = DefaultQueue
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return o
}

// Play queues s and returns at once: false when the queue is full (or the
// Player closed) and s was dropped.
func (p *Player) Play(s Sound) bool {
	p.closeMu.Lock()
	defer p.closeMu.Unlock()
	if p.closed {
		return false
	}
	select {
	case p.q <- s:
		p.pending.Add(1)
		return true
	default:
		p.dropped.Add(1)
		return false
	}
}

// Stats returns the counters so far.
func (p *Player) Stats() Stats {
	return Stats{Played: p.played.Load(), Dropped: p.dropped.Load(), Failed: p.failed.Load()}
}

// Close stops the Player: what waits is dropped and a sound playing is cut
// short, so shutting down never waits on a speaker. With OutDir, what
// waits is written first (files never hang), so a replay's sounds are
// all there.
func (p *Player) Close() error {
	if p.o.OutDir != "" {
		p.Flush()
	}
	p.closeMu.Lock()
	if !p.closed {
		p.closed = true
		close(p.q)
	}
	p.closeMu.Unlock()
	p.cancel()
	<-p.done
	return nil
}

// Flush waits until every queued sound has been played or written (tests,
// and --audio-out runs that end with their source).
func (p *Player) Flush() {
	for p.pending.Load() > 0 {
		select {
		case <-p.done:
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func (p *Player) run() {
	defer close(p.done)
	for s := range p.q {
		switch err := p.playUnlessClosing(s); {
		case err != nil:
			p.failed.Add(1)
			p.warn(s.String(), err)
		case p.ctx.Err() == nil:
			p.played.Add(1)
		}
		p.pending.Add(-1)
	}
}

func (p *Player) playUnlessClosing(s Sound) error {
	if p.ctx.Err() != nil {
		return nil // closing: drop the rest
	}
	return p.play(s)
}

// play makes s's WAV and plays or writes it.
func (p *Player) play(s Sound) error {
	var wav []byte
	if s.Chime != 0 {
		wav = p.chimes[s.Chime]
	} else {
		if p.espeak == "" {
			return errSilent
		}
		var err error
		if wav, err = p.speak(s.Text); err != nil {
			return err
		}
	}
	if p.o.OutDir != "" {
		p.files++
		name := fmt.Sprintf("%04d-%s.wav", p.files, slug(s))
		return os.WriteFile(filepath.Join(p.o.OutDir, name), wav, 0o644)
	}
	if p.aplay == "" {
		return errSilent
	}
	return p.output(wav)
}

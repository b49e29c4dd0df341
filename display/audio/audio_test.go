package audio

import (
	"bytes"
	"encoding/binary"
	"log/slog"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/cross/testkit"
)

func TestChimes(t *testing.T) {
	for c, want := range map[Chime]time.Duration{ChimeRecognised: 450 * time.Millisecond, ChimeHalf: 350 * time.Millisecond, ChimeDone: 930 * time.Millisecond} {
		t.Run(c.String(), func(t *testing.T) {
			p := Synth(c, 0.8)
			if d := p.Duration(); d < want-5*time.Millisecond || d > want+5*time.Millisecond {
				t.Errorf("lasts %v, want %v", d, want)
			}
			if rms := p.RMS(); rms < 0.05 {
				t.Errorf("RMS %.3f: too quiet to hear", rms)
			}
			var peak int
			for _, s := range p.Samples {
				peak = max(peak, int(math.Abs(float64(s))))
			}
			if float64(peak) > 0.8*0.9*math.MaxInt16+1 {
				t.Errorf("peak %d exceeds the gain", peak)
			}
			// No click: it starts and ends at (nearly) zero.
			for _, s := range []int16{p.Samples[0], p.Samples[len(p.Samples)-1]} {
				if math.Abs(float64(s)) > 0.01*math.MaxInt16 {
					t.Errorf("starts or ends at %d", s)
				}
			}
		})
	}
}

func TestWAVRoundTrip(t *testing.T) {
	p := Synth(ChimeHalf, 0.5)
	got, err := DecodeWAV(p.WAV())
	if err != nil || got.Rate != SampleRate || !slices.Equal(got.Samples, p.Samples) {
		t.Fatalf("round trip: rate %d, %d samples, %v", got.Rate, len(got.Samples), err)
	}
	// espeak-ng on a pipe writes placeholder sizes (0x7fffffff).
	wav := p.WAV()
	binary.LittleEndian.PutUint32(wav[4:], 0x7ffff024)
	binary.LittleEndian.PutUint32(wav[40:], 0x7ffff000)
	if got, err := DecodeWAV(wav); err != nil || len(got.Samples) != len(p.Samples) {
		t.Errorf("streamed header: %d samples, %v", len(got.Samples), err)
	}
	if _, err := DecodeWAV([]byte("RIFF....WAVEjunk")); err == nil {
		t.Error("junk decoded")
	}
}

// needEspeak fails without espeak-ng: make setup installs it (cross/setup.sh).
func needEspeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		if testing.Short() {
			t.Skip("espeak-ng not installed (-short)")
		}
		t.Fatal("espeak-ng is not installed: run make setup (cross/setup.sh installs espeak-ng and alsa-utils)")
	}
}

func readWAV(t *testing.T, path string) PCM {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodeWAV(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return p
}

// With OutDir every sound becomes a WAV file, in order: real espeak-ng
// speech (long enough and not silent) and chimes, at the set volume.
func TestOutDirWritesEverySound(t *testing.T) {
	needEspeak(t)
	dir := t.TempDir()
	p, err := New(Opts{OutDir: dir, Volume: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []Sound{{Text: "Warrior 2, left side, 30 seconds"}, {Chime: ChimeDone}} {
		if !p.Play(s) {
			t.Fatalf("Play(%v) dropped", s)
		}
	}
	p.Flush()
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.wav"))
	want := []string{"0001-speech-warrior-2-left-side-30-seconds.wav", "0002-done.wav"}
	if len(files) != 2 || filepath.Base(files[0]) != want[0] || filepath.Base(files[1]) != want[1] {
		t.Fatalf("files %v, want %v", files, want)
	}
	speech := readWAV(t, files[0])
	if d := speech.Duration(); d < time.Second || d > 5*time.Second {
		t.Errorf("speech lasts %v, want 1–5 s for seven words", d)
	}
	if rms := speech.RMS(); rms < 0.02 {
		t.Errorf("speech RMS %.4f: silent", rms)
	}
	if st := p.Stats(); st.Played != 2 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}

	// The volume scales speech too.
	quiet := t.TempDir()
	q, err := New(Opts{OutDir: quiet, Volume: 25})
	if err != nil {
		t.Fatal(err)
	}
	q.Play(Sound{Text: "Warrior 2, left side, 30 seconds"})
	q.Flush()
	q.Close()
	soft := readWAV(t, filepath.Join(quiet, want[0]))
	if r := soft.RMS() / speech.RMS(); r < 0.2 || r > 0.3 {
		t.Errorf("volume 25 gives %.2f of volume 100's level, want 0.25", r)
	}
}

// logLines counts log records.
type logLines struct{ bytes.Buffer }

func (l *logLines) lines() []string {
	return strings.Split(strings.TrimSpace(l.String()), "\n")
}

func newLogger(w *logLines) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }

// Missing programs are one clear line each, at start; sounds after that
// are dropped quietly and nothing fails.
func TestMissingProgramsAreOneLine(t *testing.T) {
	var log logLines
	p, err := New(Opts{Espeak: "/nonexistent/espeak-ng", Aplay: "/nonexistent/aplay", Logger: newLogger(&log)})
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		p.Play(Sound{Text: "tree"})
		p.Play(Sound{Chime: ChimeDone})
		p.Flush()
	}
	p.Close()
	lines := log.lines()
	if len(lines) != 2 || !strings.Contains(lines[0], "install the espeak-ng package") || !strings.Contains(lines[1], "install the alsa-utils package") {
		t.Errorf("log:\n%s\nwant two lines naming the packages", log.String())
	}
}

// A speaker that fails (here: an ALSA device that does not exist) is one
// line, not one per sound.
func TestPlaybackFailureIsOneLine(t *testing.T) {
	if _, err := exec.LookPath("aplay"); err != nil {
		t.Fatal("aplay is not installed: run make setup (cross/setup.sh installs alsa-utils)")
	}
	var log logLines
	p, err := New(Opts{Device: "nosuchcard", Logger: newLogger(&log)})
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		p.Play(Sound{Chime: ChimeHalf})
		p.Flush()
	}
	p.Close()
	if st := p.Stats(); st.Failed != 5 || st.Played != 0 {
		t.Errorf("stats %+v, want 5 failures", st)
	}
	if lines := log.lines(); len(lines) != 1 || !strings.Contains(lines[0], "audio: playback failed") || !strings.Contains(lines[0], "aplay") {
		t.Errorf("log:\n%s\nwant one line about aplay", log.String())
	}
}

// Play never waits: with the speaker stuck, sounds beyond the queue are
// dropped and counted, and Close cuts the stuck one short.
func TestPlayNeverBlocks(t *testing.T) {
	stuck := filepath.Join(t.TempDir(), "aplay")
	testkit.WriteFile(t, stuck, []byte("#!/bin/sh\nexec sleep 600\n"))
	if err := os.Chmod(stuck, 0o755); err != nil {
		t.Fatal(err)
	}
	p, err := New(Opts{Aplay: stuck, Queue: 2})
	if err != nil {
		t.Fatal(err)
	}
	queued := 0
	for range 10 {
		if p.Play(Sound{Chime: ChimeDone}) {
			queued++
		}
	}
	if queued > 3 || p.Stats().Dropped < 7 {
		t.Errorf("%d queued, stats %+v: want at most the queue (2) and the one playing", queued, p.Stats())
	}
	p.Close() // returns: the stuck aplay is killed
	if p.Play(Sound{Chime: ChimeDone}) {
		t.Error("Play after Close queued a sound")
	}
}

func TestValidate(t *testing.T) {
	err := Opts{Volume: 101, Speed: 20, Voice: "en us", Queue: -1}.Validate()
	for _, w := range []string{"volume 101", "speed 20", `voice "en us"`, "queue -1"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Validate: %v, want %q", err, w)
		}
	}
}

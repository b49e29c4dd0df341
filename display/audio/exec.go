package audio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// errSilent marks sounds dropped because a program is missing (already
// logged at New).
var errSilent = errors.New("audio: program missing")

// speak runs espeak-ng on text (given on stdin, so no text is taken for an
// option) and scales its WAV to the volume.
func (p *Player) speak(text string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.espeak, "--stdout", "-v", p.o.Voice, "-s", strconv.Itoa(p.o.Speed))
	cmd.Stdin = strings.NewReader(text)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("espeak-ng: %w: %s", err, strings.TrimSpace(errOut.String()))
	}
	pcm, err := DecodeWAV(out.Bytes())
	if err != nil {
		return nil, fmt.Errorf("espeak-ng output: %w", err)
	}
	pcm.Scale(p.gain)
	return pcm.WAV(), nil
}

// output plays wav through aplay.
func (p *Player) output(wav []byte) error {
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	args := []string{"-q"}
	if p.o.Device != "" {
		args = append(args, "-D", p.o.Device)
	}
	cmd := exec.CommandContext(ctx, p.aplay, append(args, "-")...)
	cmd.Stdin = bytes.NewReader(wav)
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("aplay: %w: %s", err, strings.TrimSpace(errOut.String()))
	}
	return nil
}

// warn logs a failure the first time, then at most every relogEvery with
// the number since.
func (p *Player) warn(kind string, err error) {
	if errors.Is(err, errSilent) || p.ctx.Err() != nil {
		return
	}
	key := "speech"
	if kind != "speech" || strings.HasPrefix(err.Error(), "aplay") {
		key = "playback"
	}
	p.since[key]++
	if last, ok := p.warned[key]; ok && time.Since(last) < relogEvery {
		return
	}
	p.log.Warn("audio: "+key+" failed; sounds go on without it (logged again at most every 10 min)",
		"err", err, "failures", p.since[key])
	p.warned[key], p.since[key] = time.Now(), 0
}

// slug names a sound's file: the chime, or the first words spoken.
func slug(s Sound) string {
	if s.Chime != 0 {
		return s.Chime.String()
	}
	var b strings.Builder
	b.WriteString("speech")
	for _, w := range strings.Fields(strings.ToLower(s.Text)) {
		if b.Len() > 32 {
			break
		}
		b.WriteByte('-')
		for _, r := range w {
			if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

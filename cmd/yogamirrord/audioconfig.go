package main

import (
	"fmt"
	"log/slog"

	"github.com/yogamirror/yogamirror/display/audio"
)

// audioConfig is the "audio" section: off unless enabled (or out_dir set).
type audioConfig struct {
	Enabled bool   `yaml:"enabled"`
	Volume  int    `yaml:"volume"`
	Voice   string `yaml:"voice"`
	Speed   int    `yaml:"speed"`
	Device  string `yaml:"device"`
	Chimes  *bool  `yaml:"chimes"`
	Speech  *bool  `yaml:"speech"`
	OutDir  string `yaml:"out_dir"`
}

func (a *audioConfig) defaults() {
	if a.OutDir != "" {
		a.Enabled = true // --audio-out asks for sound, written instead of played
	}
	on := true
	if a.Chimes == nil {
		a.Chimes = &on
	}
	if a.Speech == nil {
		a.Speech = &on
	}
}

func (a audioConfig) validate() error {
	if err := a.opts(nil).Validate(); err != nil {
		return fmt.Errorf("audio: %w", err)
	}
	return nil
}

func (a audioConfig) opts(log *slog.Logger) audio.Opts {
	return audio.Opts{Volume: a.Volume, Voice: a.Voice, Speed: a.Speed, Device: a.Device, OutDir: a.OutDir, Logger: log}
}

func (a audioConfig) sinkOpts() audio.SinkOpts {
	return audio.SinkOpts{Chimes: a.Chimes == nil || *a.Chimes, Speech: a.Speech == nil || *a.Speech}
}

// Command yogamirrord is the smart-mirror daemon: it watches the camera,
// recognises the yoga pose, times the hold, shows pose, timer and cues on
// the display, logs session events locally and publishes them over MQTT.
// It runs under systemd (Type=notify, watchdog) or by hand to replay a
// video or a folder of images.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/yogamirror/yogamirror/device/storage"
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go exitAfterSignal(ctx, os.Stderr)
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h, --version
		}
		fmt.Fprintln(os.Stderr, "yogamirrord:", err)
		os.Exit(1)
	}
}

// stopLimit bounds shutdown after SIGTERM. Every step honours the signal
// (config parsing, camera open and reads, the MQTT drain, which gets until
// drainBudget); this is the backstop for whatever still does not. Nothing
// is lost by it: events are fsync'd to the log first and queued again from
// it at the next start.
const stopLimit = 4500 * time.Millisecond

// exitAfterSignal exits the process stopLimit after ctx ends (a signal).
func exitAfterSignal(ctx context.Context, stderr io.Writer) {
	<-ctx.Done()
	time.Sleep(stopLimit)
	fmt.Fprintf(stderr, "yogamirrord: still stopping %v after the signal; exiting now (logged events are re-queued at the next start)\n", stopLimit)
	os.Exit(1)
}

// flags are the command line; set ones override the config file.
type flags struct {
	config       string
	maxConfigKiB int64
	fs           *flag.FlagSet
	// apply lays each flag's value over the config, by flag name; only the
	// flags given on the command line are applied.
	apply map[string]func(*Config)
}

// each declares one flag and where its value goes in the Config: the one
// place a flag is named.
func (f *flags) str(name, usage string, field func(*Config) *string) {
	v := f.fs.String(name, "", usage)
	f.apply[name] = func(c *Config) { *field(c) = *v }
}

func (f *flags) float(name, usage string, field func(*Config) *float64) {
	v := f.fs.Float64(name, 0, usage)
	f.apply[name] = func(c *Config) { *field(c) = *v }
}

func (f *flags) boolPtr(name string, def bool, usage string, field func(*Config) **bool) {
	v := f.fs.Bool(name, def, usage)
	f.apply[name] = func(c *Config) { *field(c) = v }
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{fs: flag.NewFlagSet("yogamirrord", flag.ContinueOnError), apply: map[string]func(*Config){}}
	f.fs.SetOutput(stderr)
	f.fs.StringVar(&f.config, "config", "", "YAML configuration file (unknown keys are errors)")
	f.fs.Int64Var(&f.maxConfigKiB, "max-config-kib", storage.ConfigLimit(0).Max>>10, "largest configuration file read, KiB")
	f.str("source", `"camera" (default), a device index or /dev/videoN, "libcamera", a GStreamer pipeline, an rtsp:// URL, a video file or an image folder (replayed)`, func(c *Config) *string { return &c.Source })
	f.float("fps", "frames per second of image-folder replays (files in lexical order); requested camera rate (default 10)", func(c *Config) *float64 { return &c.FPS })
	f.boolPtr("realtime", true, "pace replays to their timestamps; false processes as fast as possible on the frames' own timeline", func(c *Config) **bool { return &c.Realtime })
	f.str("models", "models folder (default STATE_DIR/models)", func(c *Config) *string { return &c.Models.Dir })
	f.str("classifier", "pose classifier .tflite (default: MODELS/classifier.tflite, else Google's yoga classifier)", func(c *Config) *string { return &c.Models.Classifier })
	f.str("labels", "labels file (not needed for yogamirror's own models)", func(c *Config) *string { return &c.Models.Labels })
	f.float("hold-target", "hold target in seconds (default 30)", func(c *Config) *float64 { return &c.Tracker.HoldTargetS })
	f.str("events", "append session events as JSON Lines to this file (default STATE_DIR/events.jsonl)", func(c *Config) *string { return &c.Events.File })
	f.str("device-id", "device id for MQTT topics and events (default: the host name)", func(c *Config) *string { return &c.DeviceID })
	f.str("state-dir", "outbox, counters and local state (default $STATE_DIRECTORY or /var/lib/yogamirror)", func(c *Config) *string { return &c.StateDir })
	f.str("mqtt-broker", "MQTT broker URL, e.g. tcp://hub.local:1883 or mqtts://hub.local:8883 (empty: no MQTT)", func(c *Config) *string { return &c.MQTT.Broker })
	f.str("display", "display driver: none, ssd1306, st7567, st7789, ili9341, framebuffer, terminal, text", func(c *Config) *string { return &c.Display.Driver })
	f.str("routine", "start this routine at launch: a routine's name, or a routine file (YAML: name, rest_s, steps)", func(c *Config) *string { return &c.Routines.Start })
	f.str("audio-out", "write each sound (chimes, speech) as a WAV file in this folder instead of playing it; turns audio on", func(c *Config) *string { return &c.Audio.OutDir })
	f.str("log-level", "debug, info, warn or error", func(c *Config) *string { return &c.Log.Level })
	showVersion := f.fs.Bool("version", false, "print the version and exit")
	if err := f.fs.Parse(args); err != nil {
		return nil, err
	}
	if f.fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q (use --source)", f.fs.Args())
	}
	if *showVersion {
		fmt.Fprintln(stderr, "yogamirrord", version)
		return nil, flag.ErrHelp
	}
	return f, nil
}

// load reads the config file and lays the set flags over it. Parsing a
// large file (up to --max-config-kib) takes seconds; it is abandoned when
// ctx ends.
func (f *flags) load(ctx context.Context) (*Config, error) {
	c := Config{path: f.config}
	if f.config != "" {
		data, err := storage.ReadFile(f.config, storage.ConfigLimit(f.maxConfigKiB<<10))
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		decoded := make(chan error, 1)
		go func() { decoded <- decodeStrict(data, &c) }()
		select {
		case err = <-decoded:
		case <-ctx.Done():
			return nil, fmt.Errorf("config: %s: %w", f.config, ctx.Err())
		}
		if err != nil {
			return nil, fmt.Errorf("%s:\n%w", f.config, err)
		}
	}
	f.fs.Visit(func(fl *flag.Flag) {
		if apply, ok := f.apply[fl.Name]; ok {
			apply(&c)
		}
	})
	c.defaults()
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return &c, nil
}

// run is the daemon; a signal that stops it while it is still starting
// (parsing its config, fetching models, opening the camera) is a clean
// stop, not an error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	err := start(ctx, args, stdout, stderr)
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

func start(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	c, err := f.load(ctx)
	if err != nil {
		return err
	}
	d, err := newDaemon(ctx, c, stdout, stderr)
	if err != nil {
		return err
	}
	return d.run(ctx)
}

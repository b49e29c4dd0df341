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
)

// version is set at build time (-ldflags "-X main.version=…").
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return // -h, --version
		}
		fmt.Fprintln(os.Stderr, "yogamirrord:", err)
		os.Exit(1)
	}
}

// flags are the command line; set ones override the config file.
type flags struct {
	config   string
	fs       *flag.FlagSet
	c        Config
	hold     float64
	realtime bool
	display  string
}

func parseFlags(args []string, stderr io.Writer) (*flags, error) {
	f := &flags{fs: flag.NewFlagSet("yogamirrord", flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(stderr)
	fs.StringVar(&f.config, "config", "", "YAML configuration file (unknown keys are errors)")
	fs.StringVar(&f.c.Source, "source", "", `"camera" (default), a device index or /dev/videoN, "libcamera", a GStreamer pipeline, an rtsp:// URL, a video file or an image folder (replayed)`)
	fs.Float64Var(&f.c.FPS, "fps", 0, "frames per second of image-folder replays (files in lexical order); requested camera rate (default 10)")
	fs.BoolVar(&f.realtime, "realtime", true, "pace replays to their timestamps; false processes as fast as possible on the frames' own timeline")
	fs.StringVar(&f.c.Models.Dir, "models", "", "models folder (default STATE_DIR/models)")
	fs.StringVar(&f.c.Models.Classifier, "classifier", "", "pose classifier .tflite (default: MODELS/classifier.tflite, else Google's yoga classifier)")
	fs.StringVar(&f.c.Models.Labels, "labels", "", "labels file (not needed for yogamirror's own models)")
	fs.Float64Var(&f.hold, "hold-target", 0, "hold target in seconds (default 30)")
	fs.StringVar(&f.c.Events.File, "events", "", "append session events as JSON Lines to this file (default STATE_DIR/events.jsonl)")
	fs.StringVar(&f.c.DeviceID, "device-id", "", "device id for MQTT topics and events (default: the host name)")
	fs.StringVar(&f.c.StateDir, "state-dir", "", "outbox, counters and local state (default $STATE_DIRECTORY or /var/lib/yogamirror)")
	fs.StringVar(&f.c.MQTT.Broker, "mqtt-broker", "", "MQTT broker URL, e.g. tcp://hub.local:1883 or mqtts://hub.local:8883 (empty: no MQTT)")
	fs.StringVar(&f.display, "display", "", "display driver: none, ssd1306, st7567, terminal, text")
	fs.StringVar(&f.c.Log.Level, "log-level", "", "debug, info, warn or error")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments %q (use --source)", fs.Args())
	}
	if *showVersion {
		fmt.Fprintln(stderr, "yogamirrord", version)
		return nil, flag.ErrHelp
	}
	return f, nil
}

// load reads the config file and lays the set flags over it.
func (f *flags) load() (*Config, error) {
	var c Config
	if f.config != "" {
		data, err := os.ReadFile(f.config)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		if err := decodeStrict(data, &c); err != nil {
			return nil, fmt.Errorf("%s:\n%w", f.config, err)
		}
	}
	f.fs.Visit(func(fl *flag.Flag) {
		switch fl.Name {
		case "source":
			c.Source = f.c.Source
		case "fps":
			c.FPS = f.c.FPS
		case "realtime":
			c.Realtime = &f.realtime
		case "models":
			c.Models.Dir = f.c.Models.Dir
		case "classifier":
			c.Models.Classifier = f.c.Models.Classifier
		case "labels":
			c.Models.Labels = f.c.Models.Labels
		case "hold-target":
			c.Tracker.HoldTargetS = f.hold
		case "events":
			c.Events.File = f.c.Events.File
		case "device-id":
			c.DeviceID = f.c.DeviceID
		case "state-dir":
			c.StateDir = f.c.StateDir
		case "mqtt-broker":
			c.MQTT.Broker = f.c.MQTT.Broker
		case "display":
			c.Display.Driver = f.display
		case "log-level":
			c.Log.Level = f.c.Log.Level
		}
	})
	c.defaults()
	if err := c.validate(); err != nil {
		return nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	return &c, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	c, err := f.load()
	if err != nil {
		return err
	}
	d, err := newDaemon(ctx, c, stdout, stderr)
	if err != nil {
		return err
	}
	return d.run(ctx)
}

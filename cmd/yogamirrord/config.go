package main

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/display/panel"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/inference/tflite"
	"github.com/yogamirror/yogamirror/telemetry"
)

// Config is the daemon's YAML configuration (systemd/config.example.yaml
// documents every key). Flags override it.
type Config struct {
	DeviceID string         `yaml:"device_id"`
	StateDir string         `yaml:"state_dir"`
	Source   string         `yaml:"source"`
	FPS      float64        `yaml:"fps"`
	Realtime *bool          `yaml:"realtime"`
	Camera   cameraConfig   `yaml:"camera"`
	Models   modelsConfig   `yaml:"models"`
	Tracker  trackerConfig  `yaml:"tracker"`
	Cues     cuesConfig     `yaml:"cues"`
	Display  panel.Opts     `yaml:"display"`
	Audio    audioConfig    `yaml:"audio"`
	Routines routinesConfig `yaml:"routines"`
	Events   eventsConfig   `yaml:"events"`
	MQTT     mqttConfig     `yaml:"mqtt"`
	Log      logConfig      `yaml:"log"`
	Limits   limitsConfig   `yaml:"limits"`

	path     string            // the config file, "" without one
	routines []session.Routine // routines.list, parsed
}

// limitsConfig caps what the daemon reads (0: the defaults in
// device/storage and device/camera).
type limitsConfig struct {
	ModelMiB        int64   `yaml:"model_mib"`
	ImageMiB        int64   `yaml:"image_mib"`
	ImageMegapixels float64 `yaml:"image_megapixels"`
	ListMiB         int64   `yaml:"list_mib"`
}

func (l limitsConfig) pixels() int { return int(l.ImageMegapixels * 1e6) }

type cameraConfig struct {
	Width  int `yaml:"width"`
	Height int `yaml:"height"`
}

type modelsConfig struct {
	Dir        string        `yaml:"dir"`
	MoveNet    string        `yaml:"movenet"`
	Classifier string        `yaml:"classifier"`
	Labels     string        `yaml:"labels"`
	Delegate   string        `yaml:"delegate"`
	Threads    int           `yaml:"threads"`
	EdgeTPU    edgeTPUConfig `yaml:"edgetpu"`
}

type edgeTPUConfig struct {
	Library  string `yaml:"library"`
	Device   string `yaml:"device"`
	Required bool   `yaml:"required"`
	MoveNet  string `yaml:"movenet"` // a *_edgetpu.tflite model used when the delegate is edgetpu
}

type trackerConfig struct {
	HoldTargetS  float64            `yaml:"hold_target_s"`
	HoldTargets  map[string]float64 `yaml:"hold_targets"`
	GraceS       float64            `yaml:"grace_s"`
	SessionIdleS float64            `yaml:"session_idle_s"`
	MinPoseS     float64            `yaml:"min_pose_s"`
	Enter        float64            `yaml:"enter"`
	Exit         float64            `yaml:"exit"`
	SmoothingS   float64            `yaml:"smoothing_s"`
	MinPerson    float64            `yaml:"min_person_score"`
}

type cuesConfig struct {
	Enabled      *bool   `yaml:"enabled"`
	MinIntervalS float64 `yaml:"min_interval_s"`
	ShowS        float64 `yaml:"show_s"`
	MinScore     float64 `yaml:"min_score"`
}

type eventsConfig struct {
	File string `yaml:"file"`
}

type logConfig struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// defaults fill what the file and flags left empty.
func (c *Config) defaults() {
	if c.StateDir == "" {
		c.StateDir = firstNonEmpty(os.Getenv("STATE_DIRECTORY"), "/var/lib/yogamirror")
	}
	if c.DeviceID == "" {
		c.DeviceID = defaultDeviceID()
	}
	if c.Source == "" {
		c.Source = "camera"
	}
	if c.FPS == 0 {
		c.FPS = 10
	}
	if c.Realtime == nil {
		t := true
		c.Realtime = &t
	}
	if c.Models.Dir == "" {
		c.Models.Dir = c.StateDir + "/models"
	}
	if c.Tracker.HoldTargetS == 0 {
		c.Tracker.HoldTargetS = 30
	}
	if c.Log.Level == "" {
		c.Log.Level = "info"
	}
	c.Audio.defaults()
	c.Routines.defaults(c.path)
}

// validate reports every problem at once, with key paths.
func (c *Config) validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", key, fmt.Sprintf(format, args...)))
	}
	if err := telemetry.ValidateDeviceID(c.DeviceID); err != nil {
		bad("device_id", "%v", err)
	}
	errs = append(errs, nonFinite(c)...)
	// Range checks skip NaN and infinities: nonFinite reported them.
	if finite(c.FPS) && (c.FPS <= 0 || c.FPS > 120) {
		bad("fps", "%g, want 0 < fps <= 120", c.FPS)
	}
	if c.Camera.Width < 0 || c.Camera.Height < 0 {
		bad("camera", "negative size")
	}
	switch tflite.Delegate(c.Models.Delegate) {
	case tflite.DelegateAuto, tflite.DelegateCPU, tflite.DelegateXNNPACK, tflite.DelegateEdgeTPU:
	default:
		bad("models.delegate", "%q, want cpu, xnnpack or edgetpu", c.Models.Delegate)
	}
	if c.Models.Threads < 0 || c.Models.Threads > 16 {
		bad("models.threads", "%d, want 0..16", c.Models.Threads)
	}
	if c.Tracker.HoldTargetS <= 0 || c.Tracker.HoldTargetS > 3600 {
		bad("tracker.hold_target_s", "%g, want 0 < s <= 3600", c.Tracker.HoldTargetS)
	}
	for pose, s := range c.Tracker.HoldTargets {
		if finite(s) && (s <= 0 || s > 3600) {
			bad("tracker.hold_targets."+pose, "%g, want 0 < s <= 3600", s)
		}
	}
	errs = append(errs, c.rangeErrors()...)
	if err := c.Display.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.MQTT.validate(); err != nil {
		errs = append(errs, err)
	}
	for key, v := range map[string]int64{"limits.model_mib": c.Limits.ModelMiB, "limits.image_mib": c.Limits.ImageMiB, "limits.list_mib": c.Limits.ListMiB} {
		if v < 0 || v > 4096 {
			bad(key, "%d, want 0 (the default) to 4096", v)
		}
	}
	if p := c.Limits.ImageMegapixels; !(p >= 0 && p <= 1000) {
		bad("limits.image_megapixels", "%g, want 0 (the default, %d) to 1000", p, camera.DefaultMaxPixels/1_000_000)
	}
	errs = append(errs, c.Audio.validate(), c.Routines.validate())
	var err error
	if c.routines, err = c.Routines.parse(c.path); err != nil {
		errs = append(errs, err)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", "%q, want debug, info, warn or error", c.Log.Level)
	}
	return errors.Join(errs...)
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func (c *Config) trackerOpts() session.Opts {
	o := session.Opts{
		Tau: seconds(c.Tracker.SmoothingS), Enter: c.Tracker.Enter, Exit: c.Tracker.Exit,
		Grace: seconds(c.Tracker.GraceS), HoldTarget: seconds(c.Tracker.HoldTargetS),
		SessionIdle: seconds(c.Tracker.SessionIdleS), MinPose: seconds(c.Tracker.MinPoseS),
		Cues: session.CueOpts{
			Disabled: c.Cues.Enabled != nil && !*c.Cues.Enabled, MinInterval: seconds(c.Cues.MinIntervalS),
			Show: seconds(c.Cues.ShowS), MinScore: float32(c.Cues.MinScore),
		},
	}
	if len(c.Tracker.HoldTargets) > 0 {
		o.Targets = map[string]time.Duration{}
		for p, s := range c.Tracker.HoldTargets {
			o.Targets[p] = seconds(s)
		}
	}
	return o
}

func defaultDeviceID() string {
	h, _ := os.Hostname()
	return telemetry.DeviceIDFromHost(h)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// span is a float key's allowed range, inclusive (0 always means the
// built-in default for these keys).
type span struct {
	v, lo, hi float64
	what      string
}

// rangeErrors checks the tracker's and cues' numbers against their real
// ranges: probabilities and scores in [0, 1] with 0 < exit < enter < 1,
// durations non-negative and below a day. A score of 7 or 9 passed before
// and the daemon then never saw a pose.
func (c *Config) rangeErrors() []error {
	t, q := c.Tracker, c.Cues
	spans := map[string]span{
		"tracker.grace_s":          {t.GraceS, 0, 3600, "seconds"},
		"tracker.session_idle_s":   {t.SessionIdleS, 0, 86400, "seconds"},
		"tracker.smoothing_s":      {t.SmoothingS, 0, 60, "seconds"},
		"tracker.min_pose_s":       {t.MinPoseS, 0, 600, "seconds"},
		"tracker.enter":            {t.Enter, 0, 1, "a probability"},
		"tracker.exit":             {t.Exit, 0, 1, "a probability"},
		"tracker.min_person_score": {t.MinPerson, 0, 1, "a keypoint score"},
		"cues.min_interval_s":      {q.MinIntervalS, 0, 3600, "seconds"},
		"cues.show_s":              {q.ShowS, 0, 3600, "seconds"},
		"cues.min_score":           {q.MinScore, 0, 1, "a keypoint score"},
		"mqtt.keepalive_s":         {c.MQTT.KeepAliveS, 0, 3600, "seconds"},
	}
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(spans)) {
		s := spans[key]
		if finite(s.v) && (s.v < s.lo || s.v > s.hi) {
			errs = append(errs, fmt.Errorf("%s: %g, want %s in [%g, %g]", key, s.v, s.what, s.lo, s.hi))
		}
	}
	if !finite(t.Enter) || !finite(t.Exit) || t.Enter < 0 || t.Exit < 0 {
		return errs
	}
	o := c.trackerOpts()
	if err := o.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("tracker.enter, tracker.exit: %w", err))
	}
	return errs
}

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yogamirror/yogamirror/device/camera"
	"github.com/yogamirror/yogamirror/device/camera/capture"
	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/audio"
	"github.com/yogamirror/yogamirror/display/panel"
	"github.com/yogamirror/yogamirror/inference/catalog"
	"github.com/yogamirror/yogamirror/inference/classify"
	"github.com/yogamirror/yogamirror/inference/movenet"
	"github.com/yogamirror/yogamirror/inference/pipeline"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/inference/tflite"
	"github.com/yogamirror/yogamirror/systemd"
	"github.com/yogamirror/yogamirror/telemetry"
	"github.com/yogamirror/yogamirror/telemetry/delivery"
	"github.com/yogamirror/yogamirror/telemetry/eventlog"
)

// daemon holds the wired components and closes them in order.
type daemon struct {
	c        *Config
	log      *slog.Logger
	notify   *systemd.Notifier
	est      *movenet.Estimator
	cls      *classify.Model
	tracker  *session.Tracker
	routines *routineSet
	display  *panel.Display
	sound    *audio.Sink // nil when audio is off
	events   *eventlog.Log
	mqtt     *delivery.Delivery // nil without a broker
	stamper  *telemetry.Stamper
	health   *telemetry.Health
	status   string // the systemd status line while healthy
	control  chan pipeline.Control
	hup      chan os.Signal
	stopAt   atomic.Int64             // when the stop signal came (Unix ns), 0 before
	labels   atomic.Pointer[[]string] // the classifier's, for commands (replaced on reload)
	closers  []func() error
}

func newDaemon(ctx context.Context, c *Config, stdout, stderr io.Writer) (_ *daemon, err error) {
	d := &daemon{c: c, log: newLogger(c.Log, stderr), notify: systemd.NewNotifier(), control: make(chan pipeline.Control, 4)}
	d.health = telemetry.NewHealth(d.onHealth)
	context.AfterFunc(ctx, func() { d.stopAt.Store(time.Now().UnixNano()) })
	defer func() {
		if err != nil {
			d.close()
		}
	}()
	d.catchHUP()
	if err := os.MkdirAll(c.StateDir, 0o750); err != nil {
		return nil, fmt.Errorf("state dir: %w", err)
	}
	d.notify.Status("loading models")
	if err := d.openModels(ctx); err != nil {
		return nil, err
	}
	if d.routines, err = c.loadRoutines(d.cls.Labels()); err != nil {
		return nil, fmt.Errorf("routines:\n%w", err)
	}
	if d.tracker, err = session.New(d.trackerOpts()); err != nil {
		return nil, err
	}
	d.logRoutines()
	if d.display, err = panel.Open(c.Display, stdout); err != nil {
		return nil, err
	}
	d.closers = append(d.closers, d.display.Close)
	if url := d.display.PreviewURL(); url != "" {
		d.log.Info("preview", "url", url)
	}
	if err := d.openAudio(); err != nil {
		return nil, err
	}
	return d, d.openTelemetry(ctx)
}

func (d *daemon) trackerOpts() session.Opts {
	o := d.c.trackerOpts()
	o.Cues.Reference = d.cls.Reference()
	// Display and Sanskrit names for the State (and so the screen, the
	// voice and MQTT): the display's table of known poses and Yoga-82's
	// naming pattern.
	o.Names = display.Name
	d.routines.trackerOpts(&o, d.c.Routines)
	return o
}

// logRoutines says what the routines are and starts --routine's.
func (d *daemon) logRoutines() {
	rs := d.routines
	if len(rs.list) == 0 {
		return
	}
	gesture := "off"
	if p := *d.c.Routines.StartPose; p != "" {
		gesture = fmt.Sprintf("hold %s for %g s", p, d.c.Routines.StartHoldS)
	}
	d.log.Info("routines", "names", strings.Join(rs.names(), ", "), "selected", rs.selected.Name, "start gesture", gesture)
	if rs.start != nil {
		d.tracker.Command(session.RoutineCommand{Action: session.StartRoutine, Routine: rs.start})
	}
}

// openAudio starts the player and its sink when audio is on.
func (d *daemon) openAudio() error {
	a := d.c.Audio
	if !a.Enabled {
		return nil
	}
	p, err := audio.New(a.opts(d.log.With("component", "audio")))
	if err != nil {
		return err
	}
	d.closers = append(d.closers, func() error {
		err := p.Close()
		st := p.Stats()
		d.log.Info("audio", "played", st.Played, "dropped", st.Dropped, "failed", st.Failed)
		return err
	})
	d.sound = audio.NewSink(p, a.sinkOpts())
	if a.OutDir != "" {
		d.log.Info("audio: writing sounds as WAV files", "dir", a.OutDir)
	}
	return nil
}

// openModels loads MoveNet and the classifier, fetching the default models
// on first start when they are missing.
func (d *daemon) openModels(ctx context.Context) error {
	m := d.c.Models
	movenetPath := firstNonEmpty(m.MoveNet, filepath.Join(m.Dir, catalog.MoveNetLightning))
	if m.MoveNet == "" {
		d.notify.Status("checking the models in " + m.Dir)
		if err := catalog.Ensure(ctx, catalog.Opts{Dir: m.Dir, Mirror: os.Getenv("YOGAMIRROR_MODELS")}); err != nil {
			return err
		}
	}
	opts := tflite.Options{
		Delegate: tflite.Delegate(m.Delegate), Threads: m.Threads, EdgeTPULibrary: m.EdgeTPU.Library,
		EdgeTPUDevice: m.EdgeTPU.Device, RequireEdgeTPU: m.EdgeTPU.Required,
		MaxModelBytes: d.c.Limits.ModelMiB << 20,
	}
	if opts.Delegate == tflite.DelegateEdgeTPU && m.EdgeTPU.MoveNet != "" {
		movenetPath = m.EdgeTPU.MoveNet
	}
	var err error
	if d.est, err = movenet.New(movenet.Opts{Model: movenetPath, TFLite: opts, Mode: movenet.Video}); err != nil {
		return err
	}
	d.closers = append(d.closers, d.est.Close)
	if n := d.est.Notice(); n != "" {
		d.log.Warn(n)
	}
	if d.cls, err = d.loadClassifier(); err != nil {
		return err
	}
	d.setLabels(d.cls.Labels())
	d.log.Info("models loaded", "movenet", movenetPath, "backend", d.est.Backend(), "classifier", d.cls.Path(),
		"format", d.cls.Format(), "integrity", d.cls.Integrity(), "poses", strings.Join(d.cls.Labels(), ","))
	return nil
}

func (d *daemon) loadClassifier() (*classify.Model, error) {
	m := d.c.Models
	path := m.Classifier
	if path == "" {
		path = catalog.DefaultClassifier(m.Dir)
	}
	return classify.Load(classify.Opts{
		Path: path, Labels: m.Labels, TopK: -1, MinPersonScore: float32(d.c.Tracker.MinPerson),
		TFLite:       tflite.Options{Delegate: tflite.DelegateCPU, MaxModelBytes: d.c.Limits.ModelMiB << 20},
		MaxListBytes: d.c.Limits.ListMiB << 20,
	})
}

func (d *daemon) openTelemetry(ctx context.Context) error {
	var err error
	path := firstNonEmpty(d.c.Events.File, filepath.Join(d.c.StateDir, "events.jsonl"))
	if d.events, err = eventlog.Open(path, d.c.DeviceID); err != nil {
		return err
	}
	d.closers = append(d.closers, d.events.Close)
	if r := d.events.Repaired(); r != "" {
		d.log.Warn("event log repaired", "what", r)
	}
	if err := d.openStamper(path); err != nil {
		return err
	}
	if d.c.MQTT.Broker == "" {
		return delivery.Disabled(d.c.StateDir)
	}
	o := d.c.mqttOpts(version)
	o.Logger = d.log.With("component", "mqtt")
	o.Routines = d.routines.names()
	if d.mqtt, err = delivery.Open(ctx, delivery.Opts{MQTT: o, LogPath: path, Logger: d.log}); err != nil {
		return err
	}
	d.closers = append(d.closers, func() error { return d.mqtt.CloseBy(d.drainDeadline()) })
	return nil
}

// drainBudget is how long after SIGTERM the MQTT drain may run, so the
// whole shutdown stays within stopLimit (saying "offline" takes up to a
// second more). A replay that simply ends gets the full DrainGrace.
const drainBudget = 3 * time.Second

func (d *daemon) drainDeadline() time.Time {
	if at := d.stopAt.Load(); at != 0 {
		return time.Unix(0, at).Add(drainBudget)
	}
	return time.Now().Add(delivery.DrainGrace)
}

// openStamper starts the seq counter above every seq the event log and
// the MQTT hand-off mark know, so a lost counter file cannot restart seq.
func (d *daemon) openStamper(logPath string) error {
	logged, err := eventlog.LastSeq(logPath)
	if err != nil {
		return err
	}
	handed, err := delivery.MarkSeq(d.c.StateDir)
	if err != nil {
		return err
	}
	d.stamper, err = telemetry.NewStamper(telemetry.StamperOpts{
		Path: filepath.Join(d.c.StateDir, telemetry.SeqFileName), Floor: max(logged, handed) + 1,
	})
	if err != nil {
		return err
	}
	d.closers = append(d.closers, d.stamper.Close)
	if n := d.stamper.Notice(); n != "" {
		d.log.Warn(n)
	}
	return nil
}

// setLabels records the classifier's poses and warns about configured hold
// targets for poses it does not have (they would never apply).
func (d *daemon) setLabels(labels []string) {
	d.labels.Store(&labels)
	for pose := range d.c.Tracker.HoldTargets {
		if !slices.Contains(labels, pose) {
			d.log.Warn("tracker.hold_targets names a pose the classifier does not have; it never applies",
				"pose", pose, "poses", strings.Join(labels, ","))
		}
	}
}

// onHealth reports a change of the device's problems: in the log, in
// `systemctl status` and in the retained MQTT state.
func (d *daemon) onHealth(ps []telemetry.Problem) {
	if len(ps) > 0 {
		s := telemetry.ProblemSummary(ps)
		d.log.Error("health problem: needs attention", "problems", s)
		d.notify.Status("DEGRADED: " + s)
	} else {
		d.log.Info("health problems cleared")
		d.notify.Status(d.status)
	}
	if d.mqtt != nil {
		d.mqtt.Publisher().SetProblems(ps)
	}
}

func (d *daemon) setStatus(s string) {
	d.status = s
	if len(d.health.Problems()) == 0 {
		d.notify.Status(s)
	}
}

// close shuts components in reverse order of opening.
func (d *daemon) close() {
	for i := len(d.closers) - 1; i >= 0; i-- {
		if err := d.closers[i](); err != nil {
			d.log.Warn("closing", "err", err)
		}
	}
	d.closers = nil
}

// run drives the pipeline until the source ends or a signal arrives.
func (d *daemon) run(ctx context.Context) error {
	defer d.close()
	kind, _ := camera.Classify(d.source())
	live := kind == camera.KindDevice || kind == camera.KindGStreamer || kind == camera.KindURL
	var ready sync.Once
	start := time.Now() // replays are laid on a timeline starting now
	states := []pipeline.StateSink{d.display}
	// The log first: the hand-off re-queues from it. Failures of either are
	// health problems until they write again.
	events := []pipeline.EventSink{d.health.Watch("eventlog", d.events)}
	if d.mqtt != nil {
		states, events = append(states, d.mqtt.Publisher()), append(events, d.health.Watch("outbox", d.mqtt))
		go d.commands(ctx)
	}
	if d.sound != nil { // last: nothing durable waits on it
		states, events = append(states, d.sound), append(events, d.sound)
	}
	d.setStatus("waiting for the camera " + d.source())
	go d.reloadOnHUP(ctx)
	p, err := pipeline.New(pipeline.Opts{
		Open: func(ctx context.Context) (camera.Source, error) {
			src, err := capture.OpenContext(ctx, d.source(), camera.Opts{FPS: d.c.FPS, Start: start, Width: d.c.Camera.Width,
				Height: d.c.Camera.Height, MaxPixels: d.c.Limits.pixels(), MaxImageBytes: d.c.Limits.ImageMiB << 20})
			if err == nil {
				ready.Do(func() {
					d.setStatus("running on " + d.source())
					d.notify.Ready()
					d.log.Info("ready", "source", d.source(), "live", live)
				})
			}
			return src, err
		},
		Live: live, Realtime: *d.c.Realtime,
		Estimator: d.est, Classifier: d.cls, Tracker: d.tracker,
		States: states, Events: events, Stamper: d.stamper, Control: d.control,
		Logger: d.log, Heartbeat: d.notify.Beat,
	})
	if err != nil {
		return err
	}
	err = p.Run(ctx)
	d.notify.Stopping()
	st := p.Stats()
	d.log.Info("stopped", "frames", st.Frames, "dropped", st.Dropped, "events", st.Events)
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if ps := d.health.Problems(); len(ps) > 0 {
		return fmt.Errorf("stopped with unresolved problems: %s", telemetry.ProblemSummary(ps))
	}
	return nil
}

// source resolves "camera": libcamera on a Raspberry Pi, else V4L2 device 0.
func (d *daemon) source() string {
	if d.c.Source != "camera" {
		return d.c.Source
	}
	if model, err := os.ReadFile("/proc/device-tree/model"); err == nil && strings.Contains(string(model), "Raspberry Pi") {
		return "libcamera"
	}
	return "0"
}

func newLogger(c logConfig, w io.Writer) *slog.Logger {
	var level slog.Level
	level.UnmarshalText([]byte(c.Level))
	o := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}

package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/yogamirror/yogamirror/inference/pipeline"
	"github.com/yogamirror/yogamirror/inference/routine"
	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

// commands turns MQTT commands into pipeline controls.
func (d *daemon) commands(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case c, ok := <-d.mqtt.Publisher().Commands():
			if !ok {
				return
			}
			d.log.Info("command", "type", c.Type, "id", c.ID)
			switch c.Type {
			case telemetry.StartSession:
				d.send(ctx, pipeline.Control{StartSession: true})
			case telemetry.StopSession:
				d.send(ctx, pipeline.Control{StopSession: true})
			case telemetry.SetHoldTarget:
				if err := d.knownPose(c.Pose); err != nil {
					d.log.Warn("command refused", "id", c.ID, "err", err)
					d.mqtt.Publisher().Reject(c.ID, err)
					continue
				}
				d.send(ctx, pipeline.Control{HoldTarget: time.Duration(c.TargetS * float64(time.Second)), HoldPose: c.Pose})
			case telemetry.ReloadClassifier:
				d.reload(ctx)
			case telemetry.StartRoutine, telemetry.SelectRoutine, telemetry.SkipStep, telemetry.NextStep, telemetry.StopRoutine:
				d.routineCommand(ctx, c)
			}
		}
	}
}

// knownPose refuses a hold target for a pose the classifier cannot name:
// it would be accepted and never apply. "" means every pose.
func (d *daemon) knownPose(pose string) error {
	labels := *d.labels.Load()
	if pose == "" || slices.Contains(labels, pose) {
		return nil
	}
	return fmt.Errorf("%w: pose %q is not one of the classifier's: %s", telemetry.ErrBadCommand, pose, strings.Join(labels, ", "))
}

// routineCommand hands a routine command to the loop; a routine the mirror
// does not have is refused on the error topic.
func (d *daemon) routineCommand(ctx context.Context, c telemetry.Command) {
	rc := session.RoutineCommand{Action: map[telemetry.CommandType]session.RoutineAction{
		telemetry.StartRoutine: session.StartRoutine, telemetry.SelectRoutine: session.SelectRoutine,
		telemetry.SkipStep: session.SkipStep, telemetry.NextStep: session.NextStep, telemetry.StopRoutine: session.StopRoutine,
	}[c.Type]}
	if c.Routine != "" {
		if rc.Routine = d.routines.find(c.Routine); rc.Routine == nil {
			err := fmt.Errorf("no routine is named %q (have: %s)", c.Routine, strings.Join(d.routines.names(), ", "))
			d.log.Warn("command refused", "type", c.Type, "id", c.ID, "err", err)
			d.mqtt.Publisher().Reject(c.ID, err)
			return
		}
	}
	d.send(ctx, pipeline.Control{Routine: &rc})
}

// catchHUP takes SIGHUP from the start, so a reload asked for while models
// are still loading waits instead of killing the daemon.
func (d *daemon) catchHUP() {
	d.hup = make(chan os.Signal, 1)
	signal.Notify(d.hup, syscall.SIGHUP)
	d.closers = append(d.closers, func() error { signal.Stop(d.hup); return nil })
}

// reloadOnHUP reloads the classifier on SIGHUP (e.g. after `yogamirror train`).
func (d *daemon) reloadOnHUP(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-d.hup:
			d.reload(ctx)
		}
	}
}

// reload loads the classifier again and hands it to the loop; a model that
// fails to load leaves the running one in place.
func (d *daemon) reload(ctx context.Context) {
	cls, err := d.loadClassifier()
	if err != nil {
		d.log.Error("reloading the classifier failed; keeping the current one", "err", err)
		return
	}
	d.log.Info("classifier reloaded", "path", cls.Path(), "integrity", cls.Integrity(), "poses", len(cls.Labels()))
	d.setLabels(cls.Labels())
	known := func(p string) bool { return slices.Contains(cls.Labels(), p) }
	if err := routine.Check(d.routines.list, known); err != nil {
		d.log.Warn("the new classifier does not know every routine's poses: those steps cannot complete", "err", err)
	}
	d.send(ctx, pipeline.Control{Classifier: cls, Reference: cls.Reference()})
}

func (d *daemon) send(ctx context.Context, c pipeline.Control) {
	select {
	case d.control <- c:
	case <-ctx.Done():
	}
}

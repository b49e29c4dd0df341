package telemetry

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/yogamirror/yogamirror/inference/session"
)

type failingSink struct{ err error }

func (s *failingSink) Publish(context.Context, session.Event) error { return s.err }

func TestHealthWatch(t *testing.T) {
	var changes [][]Problem
	h := NewHealth(func(ps []Problem) { changes = append(changes, ps) })
	log := &failingSink{}
	sink := h.Watch("eventlog", log)
	ctx := context.Background()
	sink.Publish(ctx, session.Event{})
	full := errors.New("eventlog: write events.jsonl: no space left on device")
	log.err = full
	if err := sink.Publish(ctx, session.Event{}); err != full {
		t.Fatalf("Watch changed the error: %v", err)
	}
	sink.Publish(ctx, session.Event{}) // the same problem again: no change
	h.Report("outbox", errors.New("mqtt: disk full"))
	want := []Problem{{"eventlog", full.Error()}, {"outbox", "mqtt: disk full"}}
	if got := h.Problems(); !slices.Equal(got, want) {
		t.Fatalf("Problems() = %v, want %v", got, want)
	}
	if got := ProblemSummary(want); got != "eventlog: "+full.Error()+"; outbox: mqtt: disk full" {
		t.Errorf("summary %q", got)
	}
	log.err = nil // space freed: the next write clears it
	sink.Publish(ctx, session.Event{})
	if len(changes) != 3 || len(changes[2]) != 1 || changes[2][0].Component != "outbox" {
		t.Errorf("changes %v: want problem, second problem, eventlog cleared", changes)
	}
	// A publish cut short by shutdown is not a health problem.
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	log.err = context.Canceled
	sink.Publish(cancelled, session.Event{})
	if len(h.Problems()) != 1 {
		t.Errorf("a cancelled publish became a problem: %v", h.Problems())
	}
}

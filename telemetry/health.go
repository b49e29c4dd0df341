package telemetry

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/yogamirror/yogamirror/inference/session"
)

// Problem is something wrong with the device that a person has to fix — an
// event log on a full disk, an outbox that refuses events — as opposed to a
// passing condition such as a broker outage. The daemon shows problems in
// the retained state (State.Problems), in `systemctl status` and in its
// exit code.
type Problem struct {
	Component string `json:"component"` // "eventlog", "outbox", …
	Reason    string `json:"reason"`
}

// Health holds the current problems, at most one per component. Safe for
// concurrent use.
type Health struct {
	mu       sync.Mutex
	problems map[string]string
	onChange func([]Problem)
}

// NewHealth returns an empty Health; onChange (optional) is called with
// the new list whenever a problem appears, changes or clears.
func NewHealth(onChange func([]Problem)) *Health {
	return &Health{problems: map[string]string{}, onChange: onChange}
}

// Report records component's outcome: an error sets its problem, nil
// clears it. It reports whether the list changed.
func (h *Health) Report(component string, err error) bool {
	h.mu.Lock()
	old, had := h.problems[component]
	switch {
	case err != nil && (!had || old != err.Error()):
		h.problems[component] = err.Error()
	case err == nil && had:
		delete(h.problems, component)
	default:
		h.mu.Unlock()
		return false
	}
	list := h.list()
	h.mu.Unlock()
	if h.onChange != nil {
		h.onChange(list)
	}
	return true
}

// Problems returns the current problems, by component.
func (h *Health) Problems() []Problem {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.list()
}

func (h *Health) list() []Problem {
	out := make([]Problem, 0, len(h.problems))
	for c, r := range h.problems {
		out = append(out, Problem{Component: c, Reason: r})
	}
	slices.SortFunc(out, func(a, b Problem) int { return strings.Compare(a.Component, b.Component) })
	return out
}

// ProblemSummary is one line for `systemctl status` and the exit error.
func ProblemSummary(ps []Problem) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Component + ": " + p.Reason
	}
	return strings.Join(parts, "; ")
}

// EventSink is what Watch wraps (the pipeline's event sinks).
type EventSink interface {
	Publish(ctx context.Context, e session.Event) error
}

// Watch returns s with every Publish outcome reported as component's
// health: a failing event log is a problem until it writes again.
func (h *Health) Watch(component string, s EventSink) EventSink {
	return watched{h: h, component: component, s: s}
}

type watched struct {
	h         *Health
	component string
	s         EventSink
}

func (w watched) Publish(ctx context.Context, e session.Event) error {
	err := w.s.Publish(ctx, e)
	if ctx.Err() == nil || err == nil {
		w.h.Report(w.component, err)
	}
	return err
}

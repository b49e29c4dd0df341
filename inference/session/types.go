// Package session turns a stream of per-frame predictions into what a person
// experiences: a stable current pose (EMA smoothing with enter/exit
// hysteresis), a hold timer with a grace period and a per-pose target,
// sessions, and sparse form cues. It is pure: time comes in as a parameter,
// State and Events come out.
package session

import "time"

// EventType names a session event.
type EventType string

const (
	SessionStarted EventType = "session_started"
	PoseStarted    EventType = "pose_started"
	HoldCompleted  EventType = "hold_completed"
	PoseEnded      EventType = "pose_ended"
	SessionEnded   EventType = "session_ended"
)

// Event is something that happened in a session. ID and Seq are left empty by
// the Tracker and stamped once by the pipeline, so every sink (local log,
// MQTT) sees the same identity.
type Event struct {
	ID      string    `json:"event_id"`
	Seq     uint64    `json:"seq"`
	Type    EventType `json:"type"`
	Time    time.Time `json:"ts"`
	Session string    `json:"session_id"`
	Pose    string    `json:"pose,omitempty"`
	// HeldS is the hold so far (hold_completed) or in total (pose_ended).
	HeldS   float64  `json:"held_s,omitempty"`
	TargetS float64  `json:"target_s,omitempty"`
	Summary *Summary `json:"summary,omitempty"` // session_ended only
}

// PoseHold is one pose held during a session.
type PoseHold struct {
	Pose      string  `json:"pose"`
	HeldS     float64 `json:"held_s"`
	TargetS   float64 `json:"target_s"`
	Completed bool    `json:"completed"`
}

// Summary closes a session.
type Summary struct {
	Start     time.Time  `json:"start"`
	End       time.Time  `json:"end"`
	DurationS float64    `json:"duration_s"`
	Poses     []PoseHold `json:"poses"`
	Holds     int        `json:"holds_completed"`
	HeldS     float64    `json:"held_s_total"`
}

// State is what the display shows now.
type State struct {
	Time          time.Time `json:"ts"`
	Person        bool      `json:"person"`
	Pose          string    `json:"pose,omitempty"` // the stable pose, "" when none
	Confidence    float32   `json:"confidence,omitempty"`
	HeldS         float64   `json:"held_s"`
	TargetS       float64   `json:"target_s,omitempty"`
	Completed     bool      `json:"completed"`
	SessionActive bool      `json:"session_active"`
	SessionS      float64   `json:"session_s"`
	Cue           string    `json:"cue,omitempty"`
}

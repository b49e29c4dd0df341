// Package telemetry owns what yogamirror says to the outside world: the
// versioned JSON wire schema of events, state and command errors, the MQTT
// topic layout under a configurable base topic, the inbound command format and
// its strict parser, the Stamper that gives every event its identity (a random
// 128-bit event_id and a per-device seq that stays monotonic across restarts),
// and the small daily counter behind "sessions today".
//
// It is transport-free: telemetry/outbox stores payloads, telemetry/mqtt sends
// them, telemetry/homeassistant describes them to Home Assistant. See
// README.md for the topics and payload examples.
package telemetry

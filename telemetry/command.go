package telemetry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode/utf8"
)

// CommandType names a command accepted on the cmd topic.
type CommandType string

// The commands.
const (
	StartSession     CommandType = "start_session"
	StopSession      CommandType = "stop_session"
	SetHoldTarget    CommandType = "set_hold_target" // target_s required, pose optional
	ReloadClassifier CommandType = "reload_classifier"
	StartRoutine     CommandType = "start_routine"  // routine optional: the selected one when absent
	SelectRoutine    CommandType = "select_routine" // routine required
	SkipStep         CommandType = "skip_step"      // skip the current step (the rest still follows)
	NextStep         CommandType = "next_step"      // go on to the next step now (no rest)
	StopRoutine      CommandType = "stop_routine"
)

// Limits enforced by ParseCommand.
const (
	MaxCommandBytes = 1024
	MinTargetS      = 1.0
	MaxTargetS      = 3600.0
	maxTextLen      = 64
)

// ErrBadCommand wraps every reason ParseCommand rejects a payload.
var ErrBadCommand = errors.New("telemetry: bad command")

// Command is a validated command from the cmd topic.
type Command struct {
	Schema  int         `json:"schema,omitempty"` // optional; 1 when present
	ID      string      `json:"id,omitempty"`     // optional correlation id, echoed in errors
	Type    CommandType `json:"cmd"`
	TargetS float64     `json:"target_s,omitempty"` // set_hold_target: seconds in [1, 3600]
	Pose    string      `json:"pose,omitempty"`     // set_hold_target: one pose, or all when empty
	Routine string      `json:"routine,omitempty"`  // start_routine, select_routine: a routine's name
}

// commandKeys lists the keys each command may carry besides schema, id, cmd.
var commandKeys = map[CommandType][]string{
	StartSession:     nil,
	StopSession:      nil,
	SetHoldTarget:    {"target_s", "pose"},
	ReloadClassifier: nil,
	StartRoutine:     {"routine"},
	SelectRoutine:    {"routine"},
	SkipStep:         nil,
	NextStep:         nil,
	StopRoutine:      nil,
}

// ParseCommand decodes and validates one command: a single JSON object of at
// most MaxCommandBytes of UTF-8, with exact-case keys, no duplicates, no
// unknown fields and no field the command does not take, values in range.
func ParseCommand(payload []byte) (Command, error) {
	if len(payload) > MaxCommandBytes {
		return Command{}, badCommand("payload is %d bytes, limit %d", len(payload), MaxCommandBytes)
	}
	if !utf8.Valid(payload) {
		return Command{}, badCommand("payload is not UTF-8")
	}
	keys, err := objectKeys(payload)
	if err != nil {
		return Command{}, err
	}
	var c Command
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return Command{}, badCommand("%v", err)
	}
	if err := c.validate(keys); err != nil {
		return Command{}, err
	}
	return c, nil
}

// CommandID digs the id out of a payload ParseCommand rejected, so that
// the error can echo it (README: rejected commands echo command_id). It
// returns "" when there is no valid id, and does not look at payloads over
// MaxCommandBytes.
func CommandID(payload []byte) string {
	if len(payload) > MaxCommandBytes || !utf8.Valid(payload) {
		return ""
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(payload, &fields) != nil {
		return ""
	}
	var id string
	if json.Unmarshal(fields["id"], &id) != nil || !validText(id, false) {
		return ""
	}
	return id
}

// objectKeys checks that payload is exactly one JSON object and returns its
// top-level keys, rejecting duplicates and keys that differ from a known
// field only by case (encoding/json would match them silently).
func objectKeys(payload []byte) (map[string]bool, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, badCommand("want a JSON object")
	}
	keys := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, badCommand("%v", err)
		}
		k, _ := tok.(string)
		if !knownKey(k) {
			return nil, badCommand("unknown field %q", truncate(k, 32))
		}
		if keys[k] {
			return nil, badCommand("duplicate field %q", k)
		}
		keys[k] = true
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, badCommand("%v", err)
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, badCommand("%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badCommand("trailing data after the object")
	}
	return keys, nil
}

func knownKey(k string) bool {
	switch k {
	case "schema", "id", "cmd", "target_s", "pose", "routine":
		return true
	}
	return false
}

func (c Command) validate(keys map[string]bool) error {
	allowed, ok := commandKeys[c.Type]
	if !ok {
		return badCommand("unknown cmd %q", truncate(string(c.Type), 32))
	}
	if keys["schema"] && c.Schema != SchemaVersion {
		return badCommand("schema %d, want %d", c.Schema, SchemaVersion)
	}
	if keys["id"] && !validText(c.ID, false) {
		return badCommand("id must be 1 to %d characters of [A-Za-z0-9_.:-]", maxTextLen)
	}
	for k := range keys {
		if (k == "target_s" || k == "pose" || k == "routine") && !slices.Contains(allowed, k) {
			return badCommand("%s does not take %s", c.Type, k)
		}
	}
	if c.Type == SelectRoutine && !keys["routine"] {
		return badCommand("select_routine needs routine")
	}
	if keys["routine"] && !validText(c.Routine, true) {
		return badCommand("routine must be 1 to %d characters of letters, digits, space, _-.()", maxTextLen)
	}
	if c.Type != SetHoldTarget {
		return nil
	}
	if !keys["target_s"] || math.IsNaN(c.TargetS) || c.TargetS < MinTargetS || c.TargetS > MaxTargetS {
		return badCommand("set_hold_target needs target_s in [%g, %g]", MinTargetS, MaxTargetS)
	}
	if keys["pose"] && !validText(c.Pose, true) {
		return badCommand("pose must be 1 to %d characters of letters, digits, space, _-.()", maxTextLen)
	}
	return nil
}

// validText accepts 1–64 ASCII characters: for ids [A-Za-z0-9_.:-], for
// pose names also space and parentheses, not at either end.
func validText(s string, pose bool) bool {
	if s == "" || len(s) > maxTextLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		case !pose && c == ':':
		case pose && (c == '(' || c == ')'):
		case pose && c == ' ' && i > 0 && i < len(s)-1:
		default:
			return false
		}
	}
	return true
}

func badCommand(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadCommand}, args...)...)
}

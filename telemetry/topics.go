package telemetry

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// DefaultBase is the base topic when none is configured.
const DefaultBase = "yogamirror"

// MaxDeviceIDLen bounds a device id: it ends up in topics, client ids and
// Home Assistant unique ids.
const MaxDeviceIDLen = 64

// Payloads of the status topic.
const (
	Online  = "online"
	Offline = "offline"
)

// ErrInvalidID reports a device id outside [a-zA-Z0-9_-]{1,64}.
var ErrInvalidID = errors.New("telemetry: invalid device id")

// Topics is the layout for one device under one base topic.
type Topics struct {
	Base     string // e.g. "yogamirror" or "home/yoga"
	DeviceID string
	Status   string // <base>/<id>/status: "online"/"offline", retained, last will
	State    string // <base>/<id>/state: State JSON, retained
	Event    string // <base>/<id>/event: Event JSON, QoS 1, not retained
	Error    string // <base>/<id>/error: CommandError JSON, not retained
	Cmd      string // <base>/<id>/cmd: Command JSON, inbound
}

// NewTopics validates base (empty means DefaultBase) and deviceID and
// returns the topics.
func NewTopics(base, deviceID string) (Topics, error) {
	if base == "" {
		base = DefaultBase
	}
	if err := ValidateBase(base); err != nil {
		return Topics{}, err
	}
	if err := ValidateDeviceID(deviceID); err != nil {
		return Topics{}, err
	}
	p := base + "/" + deviceID + "/"
	return Topics{
		Base: base, DeviceID: deviceID,
		Status: p + "status", State: p + "state", Event: p + "event",
		Error: p + "error", Cmd: p + "cmd",
	}, nil
}

// ValidateDeviceID accepts 1–64 characters of [a-zA-Z0-9_-].
func ValidateDeviceID(id string) error {
	if id == "" || len(id) > MaxDeviceIDLen {
		return fmt.Errorf("%w %q: want 1 to %d characters", ErrInvalidID, id, MaxDeviceIDLen)
	}
	for _, r := range id {
		if !idRune(r) {
			return fmt.Errorf("%w %q: character %q not in [a-zA-Z0-9_-]", ErrInvalidID, id, r)
		}
	}
	return nil
}

// DeviceIDFromHost makes a device id of a host name: characters outside
// [a-zA-Z0-9_-] become '-', and it is cut to MaxDeviceIDLen.
func DeviceIDFromHost(host string) string {
	id := []rune(host)
	for i, r := range id {
		if !idRune(r) {
			id[i] = '-'
		}
	}
	if len(id) > MaxDeviceIDLen {
		id = id[:MaxDeviceIDLen]
	}
	if len(id) == 0 {
		return DefaultBase
	}
	return string(id)
}

func idRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-'
}

// ValidateBase accepts a publishable topic prefix: levels separated by '/',
// none empty, no wildcards, no NUL, not starting with '$', at most 128 bytes.
func ValidateBase(base string) error {
	switch {
	case base == "" || len(base) > 128:
		return fmt.Errorf("telemetry: base topic %q: want 1 to 128 bytes", base)
	case !utf8.ValidString(base):
		return fmt.Errorf("telemetry: base topic %q: not UTF-8", base)
	case strings.ContainsAny(base, "+#\x00"):
		return fmt.Errorf("telemetry: base topic %q: wildcards and NUL are not allowed", base)
	case strings.HasPrefix(base, "$"):
		return fmt.Errorf("telemetry: base topic %q: topics starting with $ are reserved", base)
	}
	for _, level := range strings.Split(base, "/") {
		if level == "" {
			return fmt.Errorf("telemetry: base topic %q: empty level", base)
		}
	}
	return nil
}

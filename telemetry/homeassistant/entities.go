package homeassistant

import (
	"github.com/yogamirror/yogamirror/telemetry"
)

type device struct {
	Identifiers  []string `json:"identifiers"`
	Name         string   `json:"name"`
	Manufacturer string   `json:"manufacturer"`
	Model        string   `json:"model"`
	SWVersion    string   `json:"sw_version,omitempty"`
}

type origin struct {
	Name       string `json:"name"`
	SWVersion  string `json:"sw_version,omitempty"`
	SupportURL string `json:"support_url,omitempty"`
}

// config is the union of the discovery fields the entities use.
type config struct {
	Name                string   `json:"name"`
	UniqueID            string   `json:"unique_id"`
	StateTopic          string   `json:"state_topic,omitempty"`
	ValueTemplate       string   `json:"value_template,omitempty"`
	CommandTopic        string   `json:"command_topic,omitempty"`
	CommandTemplate     string   `json:"command_template,omitempty"`
	Options             []string `json:"options,omitempty"`
	PayloadPress        string   `json:"payload_press,omitempty"`
	PayloadOn           string   `json:"payload_on,omitempty"`
	PayloadOff          string   `json:"payload_off,omitempty"`
	EventTypes          []string `json:"event_types,omitempty"`
	DeviceClass         string   `json:"device_class,omitempty"`
	StateClass          string   `json:"state_class,omitempty"`
	Unit                string   `json:"unit_of_measurement,omitempty"`
	DisplayPrecision    *int     `json:"suggested_display_precision,omitempty"`
	Icon                string   `json:"icon,omitempty"`
	QoS                 int      `json:"qos,omitempty"`
	AvailabilityTopic   string   `json:"availability_topic"`
	PayloadAvailable    string   `json:"payload_available"`
	PayloadNotAvailable string   `json:"payload_not_available"`
	Device              *device  `json:"device"`
	Origin              *origin  `json:"origin"`
}

type entity struct {
	component, object string
	config            config
}

func precision(n int) *int { return &n }

// allRoutineEntities makes entities list the routine entities too (with a
// placeholder option), for removals.
var allRoutineEntities = []string{"-"}

// entities lists what a mirror exposes. The state payload is
// telemetry.State; the event payload (telemetry.Event) already carries the
// "event_type" key the event entity needs, so it takes no template.
// Routine entities come only with routines.
func entities(t telemetry.Topics, routines []string) []entity {
	out := []entity{
		{"sensor", "pose", config{Name: "Pose", StateTopic: t.State, Icon: "mdi:yoga",
			ValueTemplate: "{{ value_json.pose if value_json.pose else 'none' }}"}},
		{"sensor", "hold", config{Name: "Hold", StateTopic: t.State, ValueTemplate: "{{ value_json.held_s }}",
			DeviceClass: "duration", StateClass: "measurement", Unit: "s", DisplayPrecision: precision(0)}},
		{"sensor", "sessions_today", config{Name: "Sessions today", StateTopic: t.State, Icon: "mdi:counter",
			ValueTemplate: "{{ value_json.sessions_today }}", StateClass: "total_increasing"}},
		{"sensor", "last_session", config{Name: "Last session", StateTopic: t.State,
			ValueTemplate: "{{ value_json.last_session_min }}", DeviceClass: "duration",
			StateClass: "measurement", Unit: "min", DisplayPrecision: precision(1)}},
		{"binary_sensor", "session_active", config{Name: "Session active", StateTopic: t.State, Icon: "mdi:meditation",
			ValueTemplate: "{{ 'ON' if value_json.session_active else 'OFF' }}", PayloadOn: "ON", PayloadOff: "OFF"}},
		{"binary_sensor", "person", config{Name: "Person", StateTopic: t.State, DeviceClass: "occupancy",
			ValueTemplate: "{{ 'ON' if value_json.person else 'OFF' }}", PayloadOn: "ON", PayloadOff: "OFF"}},
		{"event", "session_event", config{Name: "Session event", StateTopic: t.Event, Icon: "mdi:yoga",
			EventTypes: EventTypes, QoS: 1}},
		{"button", "start_session", config{Name: "Start session", CommandTopic: t.Cmd, Icon: "mdi:play",
			PayloadPress: `{"cmd":"start_session"}`, QoS: 1}},
		{"button", "stop_session", config{Name: "Stop session", CommandTopic: t.Cmd, Icon: "mdi:stop",
			PayloadPress: `{"cmd":"stop_session"}`, QoS: 1}},
	}
	if len(routines) == 0 {
		return out
	}
	return append(out,
		entity{"select", "routine", config{Name: "Routine", StateTopic: t.State, CommandTopic: t.Cmd, Icon: "mdi:format-list-numbered",
			ValueTemplate:   "{{ value_json.routine_selected }}",
			CommandTemplate: `{"cmd":"select_routine","routine":{{ value | tojson }}}`, Options: routines, QoS: 1}},
		entity{"sensor", "routine_progress", config{Name: "Routine progress", StateTopic: t.State, Icon: "mdi:progress-check",
			ValueTemplate: "{{ value_json.routine ~ ' ' ~ value_json.routine_step ~ '/' ~ value_json.routine_steps if value_json.routine else 'none' }}"}},
		entity{"button", "start_routine", config{Name: "Start routine", CommandTopic: t.Cmd, Icon: "mdi:play-circle",
			PayloadPress: `{"cmd":"start_routine"}`, QoS: 1}},
		entity{"button", "skip_step", config{Name: "Skip step", CommandTopic: t.Cmd, Icon: "mdi:skip-next",
			PayloadPress: `{"cmd":"skip_step"}`, QoS: 1}},
		entity{"button", "stop_routine", config{Name: "Stop routine", CommandTopic: t.Cmd, Icon: "mdi:stop-circle",
			PayloadPress: `{"cmd":"stop_routine"}`, QoS: 1}},
	)
}

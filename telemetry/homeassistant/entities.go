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

// entities lists what a mirror exposes. The state payload is
// telemetry.State; the event payload (telemetry.Event) already carries the
// "event_type" key the event entity needs, so it takes no template.
func entities(t telemetry.Topics) []entity {
	return []entity{
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
}

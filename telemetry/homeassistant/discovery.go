// Package homeassistant builds Home Assistant MQTT discovery messages for a
// mirror: one device with sensors (current pose, hold seconds, sessions
// today, last session minutes), binary sensors (session active, person
// present), an event entity fed by the event topic, buttons that send
// commands, and — when the mirror has routines — a select that picks the
// routine, buttons that start, skip and stop it, and a sensor of its
// progress. It only builds messages; telemetry/mqtt publishes them
// (retained) and republishes them when Home Assistant announces "online".
package homeassistant

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/yogamirror/yogamirror/inference/session"
	"github.com/yogamirror/yogamirror/telemetry"
)

// DefaultPrefix is Home Assistant's default discovery prefix.
const DefaultPrefix = "homeassistant"

// Opts describe the device.
type Opts struct {
	Prefix       string           // discovery prefix, default DefaultPrefix
	Topics       telemetry.Topics // the mirror's topics (telemetry.NewTopics)
	Name         string           // device name, default "Yoga mirror <device id>"
	Manufacturer string           // default "yogamirror"
	Model        string           // default "Yoga mirror"
	SWVersion    string           // the daemon's version
	SupportURL   string           // optional, in origin
	// Routines are the names of the mirror's routines: the select's
	// options. None: no routine entities.
	Routines []string
}

// Message is a discovery message; publish it retained with QoS 1.
type Message struct {
	Topic   string
	Payload []byte // empty removes the entity
}

// StatusTopic is where Home Assistant announces "online" and "offline".
func StatusTopic(prefix string) string {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return prefix + "/status"
}

// EventTypes are the event_types of the session event entity: every
// session event.
var EventTypes = func() []string {
	var out []string
	for _, t := range session.EventTypes {
		out = append(out, string(t))
	}
	return out
}()

// Configs returns the config message of every entity, in a stable order.
func Configs(o Opts) ([]Message, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	dev, org := o.device(), o.origin()
	var out []Message
	for _, e := range entities(o.Topics, o.Routines) {
		e.config.UniqueID = "yogamirror_" + o.Topics.DeviceID + "_" + e.object
		e.config.AvailabilityTopic = o.Topics.Status
		e.config.PayloadAvailable, e.config.PayloadNotAvailable = telemetry.Online, telemetry.Offline
		e.config.Device, e.config.Origin = dev, org
		b, err := marshal(e.config)
		if err != nil {
			return nil, fmt.Errorf("homeassistant: %s: %w", e.object, err)
		}
		out = append(out, Message{Topic: o.topic(e.component, e.object), Payload: b})
	}
	return out, nil
}

// Removals returns empty retained payloads that delete every entity.
func Removals(o Opts) ([]Message, error) {
	o, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	var out []Message
	for _, e := range entities(o.Topics, allRoutineEntities) {
		out = append(out, Message{Topic: o.topic(e.component, e.object), Payload: []byte{}})
	}
	return out, nil
}

func (o Opts) withDefaults() (Opts, error) {
	if err := telemetry.ValidateDeviceID(o.Topics.DeviceID); err != nil {
		return o, fmt.Errorf("homeassistant: %w (build Topics with telemetry.NewTopics)", err)
	}
	if o.Prefix == "" {
		o.Prefix = DefaultPrefix
	}
	if err := telemetry.ValidateBase(o.Prefix); err != nil {
		return o, fmt.Errorf("homeassistant: prefix: %w", err)
	}
	if o.Name == "" {
		o.Name = "Yoga mirror " + o.Topics.DeviceID
	}
	if o.Manufacturer == "" {
		o.Manufacturer = "yogamirror"
	}
	if o.Model == "" {
		o.Model = "Yoga mirror"
	}
	for _, r := range o.Routines {
		if r == "" {
			return o, fmt.Errorf("homeassistant: a routine without a name")
		}
	}
	return o, nil
}

// topic is <prefix>/<component>/<node_id>/<object_id>/config with the device
// id as node_id.
func (o Opts) topic(component, object string) string {
	return o.Prefix + "/" + component + "/" + o.Topics.DeviceID + "/" + object + "/config"
}

func (o Opts) device() *device {
	return &device{Identifiers: []string{"yogamirror_" + o.Topics.DeviceID}, Name: o.Name,
		Manufacturer: o.Manufacturer, Model: o.Model, SWVersion: o.SWVersion}
}

func (o Opts) origin() *origin {
	return &origin{Name: "yogamirror", SWVersion: o.SWVersion, SupportURL: o.SupportURL}
}

// marshal is json.Marshal without HTML escaping (templates stay readable).
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

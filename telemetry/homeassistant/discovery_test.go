package homeassistant

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"

	"github.com/yogamirror/yogamirror/telemetry"
)

func opts(t *testing.T) Opts {
	t.Helper()
	topics, err := telemetry.NewTopics("", "mirror-1")
	if err != nil {
		t.Fatal(err)
	}
	return Opts{Topics: topics, SWVersion: "0.3.0", SupportURL: "https://example.org/yogamirror",
		Routines: []string{"Morning balance", "Evening strength"}}
}

func TestConfigsGolden(t *testing.T) {
	msgs, err := Configs(opts(t))
	if err != nil {
		t.Fatal(err)
	}
	var all bytes.Buffer
	for _, m := range msgs {
		var pretty bytes.Buffer
		if err := json.Indent(&pretty, m.Payload, "", "  "); err != nil {
			t.Fatalf("%s: %v", m.Topic, err)
		}
		all.WriteString(m.Topic + "\n" + pretty.String() + "\n\n")
	}
	testkit.Golden(t, "discovery.golden", all.Bytes())
}

var topicRE = regexp.MustCompile(`^homeassistant/(sensor|binary_sensor|event|button|select)/mirror-1/[a-z_]+/config$`)

func TestConfigsInvariants(t *testing.T) {
	msgs, err := Configs(opts(t))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range msgs {
		if !topicRE.MatchString(m.Topic) {
			t.Errorf("topic %q does not follow <prefix>/<component>/<node_id>/<object_id>/config", m.Topic)
		}
		var c map[string]any
		if err := json.Unmarshal(m.Payload, &c); err != nil {
			t.Fatal(err)
		}
		id, _ := c["unique_id"].(string)
		if id == "" || ids[id] {
			t.Errorf("%s: unique_id %q missing or repeated", m.Topic, id)
		}
		ids[id] = true
		if c["availability_topic"] != "yogamirror/mirror-1/status" || c["device"] == nil || c["origin"] == nil {
			t.Errorf("%s: missing availability, device or origin", m.Topic)
		}
		if c["state_class"] == "measurement" && c["unit_of_measurement"] == nil {
			t.Errorf("%s: measurement without a unit", m.Topic)
		}
	}
	if len(ids) < 7 {
		t.Errorf("%d entities", len(ids))
	}
}

func TestRemovals(t *testing.T) {
	o := opts(t)
	cfg, _ := Configs(o)
	rm, err := Removals(o)
	if err != nil {
		t.Fatal(err)
	}
	if len(rm) != len(cfg) {
		t.Fatalf("%d removals for %d configs", len(rm), len(cfg))
	}
	for i := range rm {
		if rm[i].Topic != cfg[i].Topic || len(rm[i].Payload) != 0 {
			t.Errorf("removal %d = %+v, want empty payload on %s", i, rm[i], cfg[i].Topic)
		}
	}
}

// Without routines there is nothing to select or start, so no routine
// entities; removals always cover them (a mirror may have had routines).
func TestRoutineEntitiesOnlyWithRoutines(t *testing.T) {
	o := opts(t)
	with, _ := Configs(o)
	o.Routines = nil
	without, _ := Configs(o)
	if len(with)-len(without) != 5 {
		t.Fatalf("%d configs with routines, %d without: want 5 more", len(with), len(without))
	}
	for _, m := range without {
		if strings.Contains(m.Topic, "routine") || strings.Contains(m.Topic, "skip_step") {
			t.Errorf("routine entity %s without routines", m.Topic)
		}
	}
	rm, _ := Removals(o)
	if len(rm) != len(with) {
		t.Errorf("%d removals, want all %d entities", len(rm), len(with))
	}
	var sel map[string]any
	for _, m := range with {
		if strings.HasPrefix(m.Topic, "homeassistant/select/") {
			json.Unmarshal(m.Payload, &sel)
		}
	}
	if opts, _ := sel["options"].([]any); len(opts) != 2 || opts[0] != "Morning balance" ||
		sel["command_template"] != `{"cmd":"select_routine","routine":{{ value | tojson }}}` {
		t.Errorf("select %v", sel)
	}
}

func TestOptsValidation(t *testing.T) {
	tests := []struct {
		name string
		o    Opts
		want string
	}{
		{name: "no topics", o: Opts{}, want: "device id"},
		{name: "bad prefix", o: Opts{Prefix: "ha/#", Topics: opts(t).Topics}, want: "prefix"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Configs(tt.o); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestCustomPrefix(t *testing.T) {
	o := opts(t)
	o.Prefix = "ha"
	msgs, _ := Configs(o)
	if !strings.HasPrefix(msgs[0].Topic, "ha/sensor/") || StatusTopic("ha") != "ha/status" || StatusTopic("") != "homeassistant/status" {
		t.Errorf("topic %q, status %q", msgs[0].Topic, StatusTopic("ha"))
	}
}

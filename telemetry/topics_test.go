package telemetry

import (
	"errors"
	"strings"
	"testing"
)

func TestNewTopics(t *testing.T) {
	tests := []struct {
		name, base, id string
		wantState      string
		wantErr        bool
	}{
		{name: "default base", id: "mirror-1", wantState: "yogamirror/mirror-1/state"},
		{name: "nested base", base: "home/yoga", id: "Hall_2", wantState: "home/yoga/Hall_2/state"},
		{name: "id with slash", id: "a/b", wantErr: true},
		{name: "id with wildcard", id: "a+", wantErr: true},
		{name: "id with space", id: "a b", wantErr: true},
		{name: "empty id", id: "", wantErr: true},
		{name: "id too long", id: strings.Repeat("a", 65), wantErr: true},
		{name: "non-ascii id", id: "miroir-é", wantErr: true},
		{name: "base with wildcard", base: "yoga/#", id: "m", wantErr: true},
		{name: "base with empty level", base: "yoga//x", id: "m", wantErr: true},
		{name: "base with trailing slash", base: "yoga/", id: "m", wantErr: true},
		{name: "reserved base", base: "$SYS", id: "m", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewTopics(tt.base, tt.id)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("NewTopics(%q, %q) = %+v, want an error", tt.base, tt.id, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.State != tt.wantState {
				t.Errorf("State = %q, want %q", got.State, tt.wantState)
			}
			prefix := strings.TrimSuffix(tt.wantState, "state")
			for name, topic := range map[string]string{"status": got.Status, "event": got.Event, "cmd": got.Cmd, "error": got.Error} {
				if topic != prefix+name {
					t.Errorf("%s topic = %q, want %q", name, topic, prefix+name)
				}
			}
		})
	}
}

func TestValidateDeviceIDSentinel(t *testing.T) {
	if err := ValidateDeviceID("bad id"); !errors.Is(err, ErrInvalidID) {
		t.Fatalf("err = %v, want ErrInvalidID", err)
	}
}

func TestDeviceIDFromHost(t *testing.T) {
	for host, want := range map[string]string{
		"studio1-mirror3":       "studio1-mirror3",
		"mirror.local":          "mirror-local",
		"Spiegel ÄÖ":            "Spiegel---",
		"":                      "yogamirror",
		strings.Repeat("a", 70): strings.Repeat("a", 64),
	} {
		got := DeviceIDFromHost(host)
		if got != want {
			t.Errorf("DeviceIDFromHost(%q) = %q, want %q", host, got, want)
		}
		if err := ValidateDeviceID(got); err != nil {
			t.Errorf("DeviceIDFromHost(%q) = %q is not a valid id: %v", host, got, err)
		}
	}
}

package telemetry

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestParseCommand(t *testing.T) {
	tests := []struct {
		name    string
		payload string
		want    Command
		wantErr string // substring; "" means valid
	}{
		{name: "start", payload: `{"cmd":"start_session"}`, want: Command{Type: StartSession}},
		{name: "stop with id and schema", payload: `{"schema":1,"id":"ha:42","cmd":"stop_session"}`,
			want: Command{Schema: 1, ID: "ha:42", Type: StopSession}},
		{name: "hold target all poses", payload: `{"cmd":"set_hold_target","target_s":45}`,
			want: Command{Type: SetHoldTarget, TargetS: 45}},
		{name: "hold target one pose", payload: ` {"cmd":"set_hold_target","target_s":1.5,"pose":"Downward Dog (1)"} `,
			want: Command{Type: SetHoldTarget, TargetS: 1.5, Pose: "Downward Dog (1)"}},
		{name: "reload", payload: `{"cmd":"reload_classifier"}`, want: Command{Type: ReloadClassifier}},
		{name: "start selected routine", payload: `{"cmd":"start_routine"}`, want: Command{Type: StartRoutine}},
		{name: "start a routine", payload: `{"cmd":"start_routine","routine":"Morning balance (long)"}`,
			want: Command{Type: StartRoutine, Routine: "Morning balance (long)"}},
		{name: "select", payload: `{"cmd":"select_routine","routine":"Evening"}`, want: Command{Type: SelectRoutine, Routine: "Evening"}},
		{name: "skip", payload: `{"cmd":"skip_step"}`, want: Command{Type: SkipStep}},
		{name: "next", payload: `{"cmd":"next_step","id":"ha-1"}`, want: Command{Type: NextStep, ID: "ha-1"}},
		{name: "stop routine", payload: `{"cmd":"stop_routine"}`, want: Command{Type: StopRoutine}},
		{name: "select without routine", payload: `{"cmd":"select_routine"}`, wantErr: "select_routine needs routine"},
		{name: "routine on skip", payload: `{"cmd":"skip_step","routine":"x"}`, wantErr: "does not take routine"},
		{name: "routine with a slash", payload: `{"cmd":"start_routine","routine":"../x"}`, wantErr: "routine must be"},
		{name: "routine empty", payload: `{"cmd":"start_routine","routine":""}`, wantErr: "routine must be"},
		{name: "routine number", payload: `{"cmd":"start_routine","routine":5}`, wantErr: "bad command"},
		{name: "escaped key", payload: `{"c\u006dd":"start_session"}`, want: Command{Type: StartSession}},

		{name: "empty", payload: ``, wantErr: "object"},
		{name: "not an object", payload: `["start_session"]`, wantErr: "object"},
		{name: "string", payload: `"start_session"`, wantErr: "object"},
		{name: "null", payload: `null`, wantErr: "object"},
		{name: "unknown cmd", payload: `{"cmd":"rm -rf /"}`, wantErr: "unknown cmd"},
		{name: "missing cmd", payload: `{"id":"x"}`, wantErr: "unknown cmd"},
		{name: "null cmd", payload: `{"cmd":null}`, wantErr: "unknown cmd"},
		{name: "unknown field", payload: `{"cmd":"start_session","force":true}`, wantErr: "unknown field"},
		{name: "case-folded key", payload: `{"CMD":"start_session"}`, wantErr: "unknown field"},
		{name: "duplicate key", payload: `{"cmd":"start_session","cmd":"stop_session"}`, wantErr: "duplicate"},
		{name: "trailing object", payload: `{"cmd":"start_session"}{"cmd":"stop_session"}`, wantErr: "trailing"},
		{name: "trailing garbage", payload: `{"cmd":"start_session"} x`, wantErr: "trailing"},
		{name: "truncated", payload: `{"cmd":"start_session"`, wantErr: "bad command"},
		{name: "target missing", payload: `{"cmd":"set_hold_target"}`, wantErr: "target_s"},
		{name: "target zero", payload: `{"cmd":"set_hold_target","target_s":0}`, wantErr: "target_s"},
		{name: "target negative", payload: `{"cmd":"set_hold_target","target_s":-5}`, wantErr: "target_s"},
		{name: "target huge", payload: `{"cmd":"set_hold_target","target_s":1e308}`, wantErr: "target_s"},
		{name: "target overflow", payload: `{"cmd":"set_hold_target","target_s":1e999}`, wantErr: "bad command"},
		{name: "target string", payload: `{"cmd":"set_hold_target","target_s":"30"}`, wantErr: "bad command"},
		{name: "target null", payload: `{"cmd":"set_hold_target","target_s":null}`, wantErr: "target_s"},
		{name: "target on start", payload: `{"cmd":"start_session","target_s":30}`, wantErr: "does not take target_s"},
		{name: "pose on reload", payload: `{"cmd":"reload_classifier","pose":"tree"}`, wantErr: "does not take pose"},
		{name: "pose with slash", payload: `{"cmd":"set_hold_target","target_s":3,"pose":"../../etc"}`, wantErr: "pose"},
		{name: "pose empty", payload: `{"cmd":"set_hold_target","target_s":3,"pose":""}`, wantErr: "pose"},
		{name: "pose leading space", payload: `{"cmd":"set_hold_target","target_s":3,"pose":" tree"}`, wantErr: "pose"},
		{name: "pose object", payload: `{"cmd":"set_hold_target","target_s":3,"pose":{"a":1}}`, wantErr: "bad command"},
		{name: "wrong schema", payload: `{"schema":2,"cmd":"start_session"}`, wantErr: "schema"},
		{name: "bad id", payload: `{"id":"<script>","cmd":"start_session"}`, wantErr: "id must"},
		{name: "long id", payload: `{"id":"` + strings.Repeat("a", 65) + `","cmd":"start_session"}`, wantErr: "id must"},
		{name: "invalid utf8", payload: "{\"cmd\":\"start_session\",\"id\":\"\xff\"}", wantErr: "UTF-8"},
		{name: "too large", payload: `{"cmd":"start_session","id":"` + strings.Repeat("a", MaxCommandBytes) + `"}`, wantErr: "limit"},
		{name: "deep nesting", payload: `{"pose":` + strings.Repeat("[", 500) + strings.Repeat("]", 500) + `}`, wantErr: "bad command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseCommand([]byte(tt.payload))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseCommand(%s): %v", tt.payload, err)
				}
				if got != tt.want {
					t.Errorf("ParseCommand(%s) = %+v, want %+v", tt.payload, got, tt.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseCommand(%s) = %+v, want an error containing %q", tt.payload, got, tt.wantErr)
			}
			if !errors.Is(err, ErrBadCommand) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want ErrBadCommand containing %q", err, tt.wantErr)
			}
		})
	}
}

// FuzzParseCommand checks that no payload panics the parser, that accepted
// commands are in range, and that they survive a marshal/parse round trip.
func FuzzParseCommand(f *testing.F) {
	for _, s := range []string{
		`{"cmd":"start_session"}`, `{"schema":1,"id":"x","cmd":"stop_session"}`,
		`{"cmd":"set_hold_target","target_s":30,"pose":"tree"}`, `{"cmd":"reload_classifier"}`,
		`{"cmd":"set_hold_target","target_s":1e999}`, `{"cmd":"x","cmd":"y"}`, `[]`, `{`, ``,
		`{"pose":[[[[{}]]]]}`, "{\"cmd\":\"start_session\"}\x00", `{"cmd":"start_session"} {}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		c, err := ParseCommand(payload)
		if err != nil {
			if !errors.Is(err, ErrBadCommand) {
				t.Fatalf("error %v does not wrap ErrBadCommand", err)
			}
			return
		}
		if len(payload) > MaxCommandBytes {
			t.Fatalf("accepted a %d-byte payload", len(payload))
		}
		if _, ok := commandKeys[c.Type]; !ok {
			t.Fatalf("accepted unknown command %q", c.Type)
		}
		if c.Type == SetHoldTarget && (c.TargetS < MinTargetS || c.TargetS > MaxTargetS) {
			t.Fatalf("accepted target_s %g", c.TargetS)
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseCommand(b)
		if err != nil || back != c {
			t.Fatalf("round trip of %s: %+v, %v; want %+v", b, back, err, c)
		}
	})
}

// TestCommandID: a rejected command's error echoes its id when it has a
// valid one, whatever else is wrong with it.
func TestCommandID(t *testing.T) {
	for payload, want := range map[string]string{
		`{"cmd":"format_disk","id":"c-17"}`:                           "c-17",
		`{"cmd":"set_hold_target","target_s":-1,"id":"ha-42"}`:        "ha-42",
		`{"cmd":"set_hold_target","target_s":30,"Pose":"x","id":"a"}`: "a",
		`{"cmd":"start_session","id":"bad id!"}`:                      "",
		`{"cmd":"start_session","id":7}`:                              "",
		`not json`:                                                    "",
		`{"cmd":"start_session","id":"big","x":"` + strings.Repeat("x", MaxCommandBytes) + `"}`: "",
	} {
		if got := CommandID([]byte(payload)); got != want {
			t.Errorf("CommandID(%.60s) = %q, want %q", payload, got, want)
		}
	}
}

package routine

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/session"
)

const good = `name: Morning balance
rest_s: 5
steps:
  - pose: tree
    hold_s: 30
    side: both
  - pose: chair
    hold_s: 20.5
`

func TestParse(t *testing.T) {
	r, err := Parse("balance.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	want := session.Routine{Name: "Morning balance", Rest: 5 * time.Second, Where: "balance.yaml:1", Steps: []session.Step{
		{Pose: "tree", Hold: 30 * time.Second, Side: "left", Where: "balance.yaml:4"},
		{Pose: "tree", Hold: 30 * time.Second, Side: "right", Where: "balance.yaml:4"},
		{Pose: "chair", Hold: 20500 * time.Millisecond, Where: "balance.yaml:7"},
	}}
	if r.Name != want.Name || r.Rest != want.Rest || r.Where != want.Where || len(r.Steps) != 3 {
		t.Fatalf("Parse = %+v", r)
	}
	for i := range want.Steps {
		if r.Steps[i] != want.Steps[i] {
			t.Errorf("step %d = %+v, want %+v", i, r.Steps[i], want.Steps[i])
		}
	}
	if r, _ := Parse("d.yaml", []byte("name: d\nsteps: [{pose: tree, hold_s: 3}]\n")); r.Rest != DefaultRest {
		t.Errorf("rest %v without rest_s, want %v", r.Rest, DefaultRest)
	}
}

// Bad files are errors naming the file and the line of each problem, all at
// once.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"zero steps", "name: Empty\nsteps: []\n", []string{"r.yaml:2: steps: want a list of at least one step"}},
		{"no steps key", "name: Empty\n", []string{"r.yaml:1: a routine needs steps"}},
		{"negative hold", "name: N\nsteps:\n  - pose: tree\n    hold_s: -5\n", []string{"r.yaml:4: hold_s: -5, want more than 0"}},
		{"zero hold", "name: N\nsteps:\n  - pose: tree\n    hold_s: 0\n", []string{"r.yaml:4: hold_s: 0, want more than 0"}},
		{"everything at once", "nam: X\nrest_s: -1\nsteps:\n  - pose: tree\n    hold: 30\n  - pose: [a]\n    hold_s: ten\n    side: up\n  - 5\n",
			[]string{
				`r.yaml:1: unknown key "nam" in a routine (known: name, rest_s, steps)`,
				"r.yaml:2: rest_s: -1, want 0 or more",
				`r.yaml:5: unknown key "hold" in a step (known: hold_s, pose, side)`,
				"r.yaml:4: a step needs hold_s",
				"r.yaml:6: pose: want text, got a list",
				`r.yaml:7: hold_s: want a number of seconds, got "ten"`,
				`r.yaml:8: side: "up", want left, right or both`,
				`r.yaml:9: want a step (keys hold_s, pose, side), got "5"`,
				"r.yaml:1: a routine needs a name",
			}},
		{"repeated key", "name: A\nname: B\nsteps: [{pose: tree, hold_s: 1}]\n", []string{"r.yaml:2: name is repeated"}},
		{"not a routine", "- tree\n", []string{"r.yaml:1: want a routine"}},
		{"not yaml", "name: [\n", []string{"r.yaml: yaml: line 1"}},
		{"empty", "", []string{"r.yaml: empty file"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("r.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("Parse passed")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nlacks %q", err, w)
				}
			}
			if n := len(strings.Split(err.Error(), "\n")); n != len(tc.want) {
				t.Errorf("%d problems reported, want %d:\n%v", n, len(tc.want), err)
			}
		})
	}
}

// An unknown pose is only known to be unknown once the classifier is
// loaded: Check names the file and the line of the pose.
func TestCheck(t *testing.T) {
	a, err := Parse("a.yaml", []byte("name: A\nsteps:\n  - pose: tree\n    hold_s: 5\n  - pose: lotus\n    hold_s: 5\n"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Parse("b.yaml", []byte("name: A\nsteps: [{pose: chair, hold_s: 5}]\n"))
	known := func(p string) bool { return p == "tree" || p == "chair" }
	err = Check([]session.Routine{a, b}, known)
	for _, w := range []string{`a.yaml:5: step 2: unknown pose "lotus"`, `b.yaml:1: a routine named "A" is already defined at a.yaml:1`} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Check: %v\nwant %q", err, w)
		}
	}
	if err := Check([]session.Routine{b}, known); err != nil {
		t.Errorf("Check(good) = %v", err)
	}
}

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	testkit.WriteFile(t, filepath.Join(dir, "b.yml"), []byte(good))
	testkit.WriteFile(t, filepath.Join(dir, "a.yaml"), []byte("name: First\nsteps: [{pose: tree, hold_s: 5}]\n"))
	testkit.WriteFile(t, filepath.Join(dir, "notes.txt"), []byte("not a routine"))
	rs, err := LoadDir(dir)
	if err != nil || len(rs) != 2 || rs[0].Name != "First" || rs[1].Name != "Morning balance" {
		t.Fatalf("LoadDir = %+v, %v", rs, err)
	}
	testkit.WriteFile(t, filepath.Join(dir, "c.yaml"), []byte("name: Bad\nsteps: []\n"))
	if _, err := LoadDir(dir); err == nil || !strings.Contains(err.Error(), filepath.Join(dir, "c.yaml")+":2:") {
		t.Errorf("LoadDir with a bad file: %v", err)
	}
	if rs, err := LoadDir(filepath.Join(dir, "missing")); err != nil || rs != nil {
		t.Errorf("missing folder: %v, %v", rs, err)
	}
}

func TestParseList(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("list:\n  - name: One\n    steps: [{pose: tree, hold_s: 5}]\n  - name: Two\n    steps: []\n"), &doc); err != nil {
		t.Fatal(err)
	}
	_, err := ParseList("config.yaml", doc.Content[0].Content[1])
	if err == nil || !strings.Contains(err.Error(), "config.yaml:5: steps:") {
		t.Errorf("ParseList: %v", err)
	}
}

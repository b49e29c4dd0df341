package systemd

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const (
	exampleConfig = "config.example.yaml"
	modulePath    = "github.com/yogamirror/yogamirror"
)

// TestExampleConfigLoads runs the daemon (built without cgo) on the example
// with an empty model mirror: it must get past the strict config loader and
// stop at the models. A copy with a misspelt key must stop at the loader,
// which shows the check can fail.
func TestExampleConfigLoads(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "yogamirrord")
	build := exec.Command("go", "build", "-o", bin, modulePath+"/cmd/yogamirrord")
	build.Dir = ".."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	misspelt := bytes.Replace(data, []byte("\nfps: "), []byte("\nfsp: "), 1)
	for _, tc := range []struct {
		name   string
		config []byte
		want   string // in the daemon's error output
		reject bool   // a configuration error
	}{
		{"example", data, "models missing", false},
		{"misspelt key", misspelt, "fsp (line", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(cfg, tc.config, 0o644); err != nil {
				t.Fatal(err)
			}
			mirror := t.TempDir() // empty: no download, models missing
			cmd := exec.Command(bin, "--config", cfg, "--state-dir", t.TempDir(), "--source", "/nonexistent")
			cmd.Env = append(os.Environ(), "YOGAMIRROR_MODELS="+mirror, "STATE_DIRECTORY=", "NOTIFY_SOCKET=")
			out, err := cmd.CombinedOutput()
			if err == nil {
				t.Fatalf("daemon exited 0 without models:\n%s", out)
			}
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("output lacks %q:\n%s", tc.want, out)
			}
			if rejected := strings.Contains(string(out), cfg+":"); rejected != tc.reject {
				t.Errorf("config rejected = %v, want %v:\n%s", rejected, tc.reject, out)
			}
		})
	}
}

// TestExampleConfigHasEveryKey compares the example's keys with the yaml
// tags of the daemon's Config (read from the Go source, following nested
// structs into other packages of the module), so a new key cannot go
// undocumented.
func TestExampleConfigHasEveryKey(t *testing.T) {
	src := newStructs(t)
	want := src.keys(t, "cmd/yogamirrord", ast.NewIdent("Config"), "")
	data, err := os.ReadFile(exampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	yamlKeys(doc.Content[0], "", got)
	if len(want) < 50 {
		t.Fatalf("found only %d keys in Config: %v", len(want), want)
	}
	for _, k := range want {
		if !got[k] {
			t.Errorf("%s is not in %s", k, exampleConfig)
		}
	}
}

func yamlKeys(n *yaml.Node, prefix string, out map[string]bool) {
	if n.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := prefix + n.Content[i].Value
		out[k] = true
		yamlKeys(n.Content[i+1], k+".", out)
	}
}

// structs finds struct types by package directory (relative to the module).
type structs struct {
	fset  *token.FileSet
	types map[string]map[string]*ast.TypeSpec // dir → name → spec
	files map[string][]*ast.File
}

func newStructs(t *testing.T) *structs {
	return &structs{fset: token.NewFileSet(), types: map[string]map[string]*ast.TypeSpec{}, files: map[string][]*ast.File{}}
}

func (s *structs) load(t *testing.T, dir string) map[string]*ast.TypeSpec {
	if m, ok := s.types[dir]; ok {
		return m
	}
	pkgs, err := parser.ParseDir(s.fset, filepath.Join("..", dir), func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]*ast.TypeSpec{}
	for _, p := range pkgs {
		for _, f := range p.Files {
			s.files[dir] = append(s.files[dir], f)
			ast.Inspect(f, func(n ast.Node) bool {
				if ts, ok := n.(*ast.TypeSpec); ok {
					m[ts.Name.Name] = ts
				}
				return true
			})
		}
	}
	s.types[dir] = m
	return m
}

// importDir maps a package name used in dir to its module-relative dir ("" if outside the module).
func (s *structs) importDir(dir, name string) string {
	for _, f := range s.files[dir] {
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if (imp.Name != nil && imp.Name.Name == name) || (imp.Name == nil && filepath.Base(path) == name) {
				if rel, ok := strings.CutPrefix(path, modulePath+"/"); ok {
					return rel
				}
			}
		}
	}
	return ""
}

// keys lists the dotted yaml keys of type expr (in dir), structs included.
func (s *structs) keys(t *testing.T, dir string, expr ast.Expr, prefix string) []string {
	switch e := expr.(type) {
	case *ast.StarExpr:
		return s.keys(t, dir, e.X, prefix)
	case *ast.SelectorExpr:
		if pkg, ok := e.X.(*ast.Ident); ok {
			if d := s.importDir(dir, pkg.Name); d != "" {
				return s.keys(t, d, e.Sel, prefix)
			}
		}
	case *ast.Ident:
		ts := s.load(t, dir)[e.Name]
		if ts == nil {
			return nil
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok {
			return nil
		}
		var out []string
		for _, f := range st.Fields.List {
			if f.Tag == nil {
				continue
			}
			tag, _ := strconv.Unquote(f.Tag.Value)
			key, _, _ := strings.Cut(reflect.StructTag(tag).Get("yaml"), ",")
			if key == "" || key == "-" {
				continue
			}
			out = append(out, prefix+key)
			out = append(out, s.keys(t, dir, f.Type, prefix+key+".")...)
		}
		slices.Sort(out)
		return out
	}
	return nil
}

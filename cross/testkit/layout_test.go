package testkit

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// goList runs `go list` at the module root with the cgo tags on.
func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list", "-tags", "opencv tflite"}, args...)...)
	cmd.Dir = "../.."
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list %v: %v\n%s", args, err, out)
	}
	return strings.Fields(string(out))
}

// TestCgoStaysAtTheLeaves: only device/camera/capture (gocv) and
// inference/tflite (go-tflite) import cgo libraries. The packages below
// must not depend on either, even with the cgo tags on; the model runners
// (movenet, classify, train) reach go-tflite only through inference/tflite.
// No other package's code or tests import a cgo library directly (tests
// with real models and cameras go through the leaves too).
func TestCgoStaysAtTheLeaves(t *testing.T) {
	leaves := map[string]string{
		"gocv.io/x/gocv":             "github.com/yogamirror/yogamirror/device/camera/capture",
		"github.com/mattn/go-tflite": "github.com/yogamirror/yogamirror/inference/tflite",
	}
	pure := []string{
		"./device/camera", "./device/camera/cameratest", "./device/board", "./device/storage",
		"./inference/pose", "./inference/session", "./inference/routine", "./inference/pipeline", "./inference/tflitefile",
		"./inference/offline/dataset/...", "./inference/offline/report", "./inference/offline/chart",
		"./inference/offline/yoga82/...", "./inference/offline/download/...", "./inference/catalog",
		"./display/...", "./telemetry/...", "./systemd",
	}
	for _, dep := range goList(t, append([]string{"-deps"}, pure...)...) {
		if strings.HasPrefix(dep, "gocv.io/") || strings.HasPrefix(dep, "github.com/mattn/go-tflite") {
			t.Errorf("a pure package depends on %s", dep)
		}
	}
	// Everywhere else, only the leaf imports the library directly.
	for _, line := range goList(t, "-f", "{{.ImportPath}}:{{join .Imports \",\"}},{{join .TestImports \",\"}},{{join .XTestImports \",\"}}", "./...") {
		pkg, imports, _ := strings.Cut(line, ":")
		for _, imp := range strings.Split(imports, ",") {
			for lib, leaf := range leaves {
				if (imp == lib || strings.HasPrefix(imp, lib+"/")) && pkg != leaf {
					t.Errorf("%s imports %s directly; only %s may", pkg, imp, leaf)
				}
			}
		}
	}
}

// TestDaemonLinksNoOfflineTooling: datasets, downloads, training, reports
// and charts are the CLI's; yogamirrord must not carry them.
func TestDaemonLinksNoOfflineTooling(t *testing.T) {
	deps := goList(t, "-deps", "./cmd/yogamirrord")
	found := false
	for _, dep := range deps {
		if strings.HasPrefix(dep, "github.com/yogamirror/yogamirror/inference/offline/") {
			t.Errorf("yogamirrord links %s", dep)
		}
		found = found || dep == "github.com/yogamirror/yogamirror/inference/pipeline"
	}
	if !found {
		t.Fatalf("go list gave no pipeline among yogamirrord's %d dependencies: the check looks at the wrong thing", len(deps))
	}
}

// TestImportRules checks the README's "what may import what".
func TestImportRules(t *testing.T) {
	const mod = "github.com/yogamirror/yogamirror/"
	imports := map[string][]string{}
	for _, line := range goList(t, "-f", "{{.ImportPath}}:{{join .Imports \",\"}}", "./...") {
		pkg, list, _ := strings.Cut(line, ":")
		imports[strings.TrimPrefix(pkg, mod)] = strings.Split(list, ",")
	}
	allowed := map[string][]string{ // package → the only packages of ours it may import
		"inference/pose":     {},
		"inference/session":  {"inference/pose"},
		"inference/pipeline": {"device/camera", "inference/pose", "inference/session"},
	}
	for pkg, ok := range allowed {
		if _, found := imports[pkg]; !found {
			t.Fatalf("go list does not know %s", pkg)
		}
		for _, imp := range imports[pkg] {
			if rel, ours := strings.CutPrefix(imp, mod); ours && !slices.Contains(ok, rel) {
				t.Errorf("%s imports %s", pkg, rel)
			}
		}
	}
	for pkg, list := range imports {
		if pkg == "cmd/yogamirror" || strings.HasPrefix(pkg, "inference/offline/") {
			continue
		}
		for _, imp := range list {
			if strings.HasPrefix(imp, mod+"inference/offline/") {
				t.Errorf("%s imports %s: offline tooling is the CLI's", pkg, imp)
			}
		}
	}
}

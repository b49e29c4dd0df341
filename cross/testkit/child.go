package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// childEnv holds "NAME=ARG" in a test binary re-run as a child.
const childEnv = "YOGAMIRROR_TEST_CHILD"

// Main is a package's TestMain when its tests start children they can
// SIGKILL (a crash mid-write, a last will): in a binary started by Child it
// runs the named child function with its argument and exits with its code;
// otherwise it runs the tests.
func Main(m *testing.M, children map[string]func(arg string) int) {
	if v, ok := os.LookupEnv(childEnv); ok {
		name, arg, _ := strings.Cut(v, "=")
		child, found := children[name]
		if !found {
			fmt.Fprintf(os.Stderr, "testkit: no child %q\n", name)
			os.Exit(2)
		}
		os.Exit(child(arg))
	}
	os.Exit(m.Run())
}

// Child is a command running this test binary as the named child of Main,
// with arg.
func Child(name, arg string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+name+"="+arg)
	return cmd
}

package testkit

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// SignalsHandled is what a child prints once SIGTERM reaches its handler
// (before that, SIGTERM would simply kill it).
const SignalsHandled = "test child: signals handled"

// Stopped is how a child ended after SIGTERM.
type Stopped struct {
	After time.Duration // from SIGTERM to exit
	Err   error         // cmd.Wait's
}

// StopWhen starts cmd (its Stdout and Stderr going to out), waits until
// out contains ready and then delay more, sends SIGTERM and waits for the
// exit. A child still running a minute after the signal is killed and
// fails the test; how fast it stopped is for the caller to judge.
func StopWhen(t *testing.T, cmd *exec.Cmd, out *LockedBuffer, ready string, delay time.Duration) Stopped {
	t.Helper()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	deadline := time.After(5 * time.Minute)
	for !strings.Contains(out.String(), ready) {
		select {
		case err := <-done:
			t.Fatalf("child exited (%v) before %q:\n%s", err, ready, out.String())
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("child never said %q:\n%s", ready, out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	time.Sleep(delay)
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		return Stopped{After: time.Since(start), Err: err}
	case <-time.After(time.Minute):
		cmd.Process.Kill()
		<-done
		t.Fatalf("child still running a minute after SIGTERM:\n%s", out.String())
		return Stopped{}
	}
}

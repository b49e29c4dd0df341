package terminal

import (
	"bytes"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/inference/session"
)

func TestPanelPicture(t *testing.T) {
	var out bytes.Buffer
	p, err := New(&out, Opts{Width: 4, Height: 4})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 4, 4))
	img.SetGray(0, 0, color.Gray{255}) // top half of cell (0, 0)
	img.SetGray(1, 1, color.Gray{255}) // bottom half of cell (1, 0)
	img.SetGray(3, 2, color.Gray{255}) // cell (3, 1), both halves
	img.SetGray(3, 3, color.Gray{255})
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	want := "┌────┐\n" +
		"│▀▄  │\n" +
		"│   █│\n" +
		"└────┘\n"
	if out.String() != want {
		t.Fatalf("picture:\n%s\nwant:\n%s", out.String(), want)
	}

	out.Reset()
	if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
		t.Fatal(err)
	}
	if out.Len() != 0 {
		t.Errorf("an unchanged frame wrote %q", out.String())
	}
}

func TestPanelANSIRedrawsInPlace(t *testing.T) {
	var out bytes.Buffer
	p, err := New(&out, Opts{Width: 2, Height: 2, ANSI: true})
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewGray(image.Rect(0, 0, 2, 2))
	for i, prefix := range []string{ansiClear, ansiHome} {
		out.Reset()
		img.SetGray(i, 0, color.Gray{255})
		if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(out.String(), prefix) || strings.Count(out.String(), ansiHome) != 1 {
			t.Errorf("frame %d starts %q, want %q once", i, out.String(), prefix)
		}
	}
}

// The whole chain: a Screen on a terminal panel shows the mono layout.
func TestScreenOnTerminal(t *testing.T) {
	var out bytes.Buffer
	p, err := New(&out, Opts{})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := display.NewScreen(p, display.ScreenOpts{})
	if err != nil {
		t.Fatal(err)
	}
	if !sc.Renderer().Mono() || p.ColorModel() != image1bit.BitModel {
		t.Fatal("the terminal panel did not get the one-bit layout")
	}
	if err := sc.Show(session.State{Time: time.Unix(0, 0)}); err != nil {
		t.Fatal(err)
	}
	sc.Flush()
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 32+2 || !strings.ContainsAny(out.String(), "▀▄█") {
		t.Errorf("got %d lines, want 34 (32 pixel-row pairs and the box) with blocks", len(lines))
	}
}

func TestLines(t *testing.T) {
	var out bytes.Buffer
	l := NewLines(&out)
	t0 := time.Date(2025, 3, 1, 7, 30, 0, 0, time.UTC)
	steps := []struct {
		s    session.State
		want string // "" means no line
	}{
		{session.State{Time: t0}, "07:30:00 Step onto the mat\n"},
		{session.State{Time: t0.Add(time.Second)}, ""},
		{session.State{Time: t0.Add(2 * time.Second), Person: true, Pose: "tree", HeldS: 12.3, TargetS: 30, SessionActive: true, SessionS: 125},
			"07:30:02 Tree (Vrksasana) 0:12/0:30 [########............] 41% · session 2:05\n"},
		{session.State{Time: t0.Add(2080 * time.Millisecond), Person: true, Pose: "tree", HeldS: 12.38, TargetS: 30, SessionActive: true, SessionS: 125.08}, ""},
		{session.State{Time: t0.Add(3 * time.Second), Person: true, Pose: "tree", HeldS: 30, TargetS: 30, Completed: true, SessionActive: true, SessionS: 126, Cue: "breathe"},
			"07:30:03 Tree (Vrksasana) 0:30/0:30 [####################] 100% done! · session 2:06 · cue: breathe\n"},
		{session.State{Time: t0.Add(4 * time.Second), SessionActive: true, SessionS: 127},
			"07:30:04 Back onto the mat · session 2:07\n"},
		{session.State{Time: t0.Add(5 * time.Second), SessionActive: true, SessionS: 128, Routine: session.RoutineState{
			Name: "Balance", Step: 1, Steps: 2, Resting: true, RestS: 4.2,
			Current: session.StepState{Pose: "tree", Side: "left", HoldS: 30}, Next: session.StepState{Pose: "chair", HoldS: 20}}},
			"07:30:05 Rest 0:05, next: Tree (Vrksasana) left side, hold 0:30 · step 1/2\n"},
		{session.State{Time: t0.Add(10 * time.Second), Person: true, Pose: "tree", HeldS: 3, TargetS: 30, SessionActive: true, SessionS: 133,
			Routine: session.RoutineState{Name: "Balance", Step: 1, Steps: 2, HeldS: 3,
				Current: session.StepState{Pose: "tree", Side: "left", HoldS: 30}, Next: session.StepState{Pose: "chair", HoldS: 20}}},
			"07:30:10 Tree (Vrksasana) left side 0:03/0:30 [##..................] 10% · session 2:13 · step 1/2, next: Chair\n"},
		{session.State{Time: t0.Add(11 * time.Second), Routine: session.RoutineState{Selected: "Balance",
			StartPose: session.StepState{Pose: "tree"}, StartHoldS: 3}},
			"07:30:11 Step onto the mat · Hold Tree 3 s to start Balance\n"},
	}
	for i, st := range steps {
		out.Reset()
		if err := l.Show(st.s); err != nil {
			t.Fatal(err)
		}
		if out.String() != st.want {
			t.Errorf("step %d wrote %q, want %q", i, out.String(), st.want)
		}
	}
}

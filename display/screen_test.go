package display_test

import (
	"errors"
	"image"
	"image/color"
	"testing"
	"time"

	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/displaytest"
	"github.com/yogamirror/yogamirror/inference/session"
)

var t0 = time.Date(2025, 3, 1, 7, 30, 0, 0, time.UTC)

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

func posing(ms int, held float64) session.State {
	return session.State{Time: at(ms), Person: true, Pose: "tree", HeldS: held, TargetS: 30, SessionActive: true, SessionS: 100}
}

func newScreen(t *testing.T, fps float64) (*display.Screen, *displaytest.Panel) {
	t.Helper()
	p := displaytest.NewPanel(128, 64, image1bit.BitModel)
	sc, err := display.NewScreen(p, display.ScreenOpts{MaxFPS: fps})
	if err != nil {
		t.Fatal(err)
	}
	return sc, p
}

// show shows s and waits until the Screen's goroutine has drawn it.
func show(t *testing.T, sc *display.Screen, s session.State) {
	t.Helper()
	if err := sc.Show(s); err != nil {
		t.Fatalf("Show: %v", err)
	}
	sc.Flush()
}

func TestShowSkipsUnchangedContent(t *testing.T) {
	sc, p := newScreen(t, 1000)
	// 80 ms frames within one displayed second and one percent of progress:
	// 12.00 s and 12.29 s of 30 are both 40 %.
	for i := 0; i < 4; i++ {
		show(t, sc, posing(i*80, 12+float64(i)*0.09))
	}
	if n := len(p.Frames()); n != 1 {
		t.Fatalf("drew %d frames for an unchanged display, want 1", n)
	}
	st := sc.Stats()
	if st.Shows != 4 || st.Draws != 1 || st.Unchanged != 3 {
		t.Errorf("stats %+v, want 4 shows, 1 draw, 3 unchanged", st)
	}
	show(t, sc, posing(400, 13.1)) // the second ticks
	if n := len(p.Frames()); n != 2 {
		t.Fatalf("drew %d frames after the timer ticked, want 2", n)
	}
}

func TestShowThrottles(t *testing.T) {
	sc, p := newScreen(t, 2) // at most one draw per 500 ms
	show(t, sc, posing(0, 10))
	show(t, sc, posing(100, 11)) // changed, but too soon
	show(t, sc, posing(499, 12)) // still too soon
	if n := len(p.Frames()); n != 1 {
		t.Fatalf("drew %d frames within 500 ms at 2 fps, want 1", n)
	}
	show(t, sc, posing(500, 12)) // due: the latest state is drawn
	frames := p.Frames()
	if len(frames) != 2 {
		t.Fatalf("drew %d frames, want 2", len(frames))
	}
	r, err := display.NewRenderer(display.RenderOpts{Width: 128, Height: 64, Mono: true})
	if err != nil {
		t.Fatal(err)
	}
	if !sameImage(frames[1], r.Render(posing(500, 12))) {
		t.Error("the frame drawn after throttling is not the latest state")
	}
	if st := sc.Stats(); st.Throttled != 2 {
		t.Errorf("stats %+v, want 2 throttled", st)
	}
	show(t, sc, posing(100, 13)) // time stepped back (a replay restarted): draw
	if n := len(p.Frames()); n != 3 {
		t.Errorf("drew %d frames after the clock stepped back, want 3", n)
	}
}

func TestClearAndClose(t *testing.T) {
	sc, p := newScreen(t, 0)
	show(t, sc, posing(0, 5))
	if err := sc.Clear(); err != nil {
		t.Fatal(err)
	}
	frames := p.Frames()
	if len(frames) != 2 || !allBlack(frames[1]) {
		t.Fatalf("Clear: %d frames, last all black = %v", len(frames), len(frames) == 2 && allBlack(frames[1]))
	}
	show(t, sc, posing(1, 5)) // same content as before Clear: redrawn
	if n := len(p.Frames()); n != 3 {
		t.Fatalf("Show after Clear drew %d frames in total, want 3", n)
	}
	if err := sc.Close(); err != nil {
		t.Fatal(err)
	}
	frames = p.Frames()
	if !allBlack(frames[len(frames)-1]) || p.Halts() != 1 || p.Closes() != 1 {
		t.Errorf("Close: last frame black %v, halts %d, closes %d; want blank, 1, 1", allBlack(frames[len(frames)-1]), p.Halts(), p.Closes())
	}
	if err := sc.Show(posing(2, 6)); !errors.Is(err, display.ErrClosed) {
		t.Errorf("Show after Close: %v, want ErrClosed", err)
	}
	if err := sc.Close(); err != nil || p.Halts() != 1 {
		t.Errorf("second Close: %v, halts %d", err, p.Halts())
	}
}

func TestScreenPicksLayoutByColourModel(t *testing.T) {
	tests := []struct {
		name  string
		model color.Model
		w, h  int
		mono  bool
	}{
		{"one-bit panel", image1bit.BitModel, 128, 64, true},
		{"colour preview", color.RGBAModel, 640, 360, false},
		{"grey panel", color.GrayModel, 320, 240, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc, err := display.NewScreen(displaytest.NewPanel(tc.w, tc.h, tc.model), display.ScreenOpts{})
			if err != nil {
				t.Fatal(err)
			}
			if got := sc.Renderer().Mono(); got != tc.mono {
				t.Errorf("mono layout = %v, want %v", got, tc.mono)
			}
		})
	}
	if _, err := display.NewScreen(displaytest.NewPanel(128, 32, image1bit.BitModel), display.ScreenOpts{}); err == nil {
		t.Error("NewScreen on a 128×32 panel succeeded; the layout needs 64 rows")
	}
	if _, err := display.NewScreen(displaytest.NewPanel(128, 64, image1bit.BitModel), display.ScreenOpts{MaxFPS: -1}); err == nil {
		t.Error("NewScreen with MaxFPS -1 succeeded")
	}
}

func TestScreensFanOut(t *testing.T) {
	a, pa := newScreen(t, 0)
	b, pb := newScreen(t, 0)
	pb.FailWith(errors.New("gone"))
	ss := display.Screens{a, b}
	if err := ss.Show(posing(0, 3)); err != nil {
		t.Fatal(err)
	}
	a.Flush()
	b.Flush()
	if err := ss.Show(posing(1000, 4)); err == nil {
		t.Error("Show after one screen failed to draw returned nil")
	}
	if len(pa.Frames()) != 1 {
		t.Error("a failing screen stopped the others")
	}
	if st := ss.Stats(); st.Shows != 4 || st.Errors != 1 {
		t.Errorf("stats %+v", st)
	}
	if err := ss.Close(); err == nil {
		t.Error("Close with a failing panel returned nil") // its blanking draw fails
	}
}

func sameImage(a, b *image.RGBA) bool {
	if a.Rect != b.Rect {
		return false
	}
	for i := range a.Pix {
		if a.Pix[i] != b.Pix[i] {
			return false
		}
	}
	return true
}

func allBlack(img *image.RGBA) bool {
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0 || img.Pix[i+1] != 0 || img.Pix[i+2] != 0 {
			return false
		}
	}
	return true
}

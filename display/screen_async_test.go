package display_test

import (
	"errors"
	"image"
	"strings"
	"testing"

	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/display/displaytest"
)

// slowPanel blocks each Draw until the test releases it, like a panel on a
// slow bus.
type slowPanel struct {
	*displaytest.Panel
	entered chan struct{}
	release chan struct{}
}

func (p *slowPanel) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	p.entered <- struct{}{}
	<-p.release
	return p.Panel.Draw(r, src, sp)
}

func TestShowDoesNotWaitForThePanel(t *testing.T) {
	p := &slowPanel{displaytest.NewPanel(128, 64, image1bit.BitModel), make(chan struct{}), make(chan struct{})}
	sc, err := display.NewScreen(p, display.ScreenOpts{MaxFPS: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if err := sc.Show(posing(0, 1)); err != nil {
		t.Fatal(err)
	}
	<-p.entered // the goroutine is drawing the first frame and will block
	// Three more changes while the panel is busy: Show returns at once,
	// each replacing the last.
	for i := 2; i <= 4; i++ {
		if err := sc.Show(posing(i*10, float64(i))); err != nil {
			t.Fatal(err)
		}
	}
	p.release <- struct{}{} // first frame done
	<-p.entered             // the goroutine picked up the newest content
	p.release <- struct{}{}
	sc.Flush()
	frames := p.Frames()
	if len(frames) != 2 {
		t.Fatalf("drew %d frames, want 2 (the first and the newest)", len(frames))
	}
	r, _ := display.NewRenderer(display.RenderOpts{Width: 128, Height: 64, Mono: true})
	if !sameImage(frames[1], r.Render(posing(40, 4))) {
		t.Error("the second frame is not the newest state")
	}
	if st := sc.Stats(); st.Draws != 2 || st.Shows != 4 {
		t.Errorf("stats %+v, want 2 draws of 4 shows", st)
	}
	go func() { // Close blanks the panel through the same slow Draw
		<-p.entered
		p.release <- struct{}{}
	}()
	if err := sc.Close(); err != nil || p.Halts() != 1 {
		t.Errorf("Close: %v, halts %d", err, p.Halts())
	}
}

func TestDrawErrorsComeWithTheNextShow(t *testing.T) {
	p := displaytest.NewPanel(128, 64, image1bit.BitModel)
	sc, err := display.NewScreen(p, display.ScreenOpts{})
	if err != nil {
		t.Fatal(err)
	}
	p.FailWith(errors.New("spi: bus gone"))
	show(t, sc, posing(0, 1)) // handed over: no error yet
	sc.Flush()
	if err := sc.Show(posing(1, 1)); err == nil || !strings.Contains(err.Error(), "bus gone") {
		t.Fatalf("Show after a failed draw: %v, want the draw's error", err)
	}
	p.FailWith(nil)
	show(t, sc, posing(2, 1)) // same content, never drawn: retried
	sc.Flush()
	if n := len(p.Frames()); n != 1 {
		t.Errorf("drew %d frames after recovery, want 1", n)
	}
	if err := sc.Close(); err != nil {
		t.Error(err)
	}
	if err := sc.Show(posing(3, 2)); !errors.Is(err, display.ErrClosed) {
		t.Errorf("Show after Close: %v", err)
	}
}

package terminal

import (
	"fmt"
	"io"
	"strings"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/inference/session"
)

// barWidth is the text progress bar's length in characters.
const barWidth = 20

// Lines prints the State as one line whenever what the display would show
// changes, progress aside (so about once a second while a pose is held, when
// the timer ticks). It satisfies the pipeline's StateSink. It is not safe for
// concurrent use.
type Lines struct {
	w        io.Writer
	contents display.Contents
	last     display.Content
	written  bool
}

// NewLines returns Lines writing to w.
func NewLines(w io.Writer) *Lines { return &Lines{w: w} }

// Show writes a line if s shows something new.
func (l *Lines) Show(s session.State) error {
	c := l.contents.Of(s)
	key := c
	key.Percent = 0 // the bar alone moves several times a second
	if l.written && key == l.last {
		return nil
	}
	line := s.Time.Format("15:04:05") + " " + Line(c) + "\n"
	if _, err := io.WriteString(l.w, line); err != nil {
		return fmt.Errorf("terminal: write: %w", err)
	}
	l.last, l.written = key, true
	return nil
}

// Line is Content as text, e.g.
// "Tree (Vrksasana) 0:12/0:30 [########............] 40% · session 2:05".
func Line(c display.Content) string {
	var b strings.Builder
	if c.Mode == display.ModeRest {
		b.WriteString("Rest " + c.Clock + ", next: ")
	}
	b.WriteString(c.Title)
	if c.Sanskrit != "" {
		b.WriteString(" (" + c.Sanskrit + ")")
	}
	if c.Side != "" {
		b.WriteString(" " + c.Side + " side")
	}
	switch {
	case c.Mode == display.ModeRest:
		b.WriteString(", hold " + c.Target)
	case c.Mode == display.ModePose || c.Mode == display.ModeStep:
		b.WriteString(" " + c.Clock)
		if c.Target != "" {
			b.WriteString("/" + c.Target)
		}
		if c.Percent >= 0 {
			n := c.Percent * barWidth / 100
			fmt.Fprintf(&b, " [%s%s] %d%%", strings.Repeat("#", n), strings.Repeat(".", barWidth-n), c.Percent)
		}
		if c.Done {
			b.WriteString(" done!")
		}
		if c.Session != "" {
			b.WriteString(" · session " + c.Session)
		}
	case c.Session != "":
		b.WriteString(" · session " + c.Session)
	}
	if c.Step != "" {
		b.WriteString(" · step " + c.Step)
		if c.Mode == display.ModeStep && c.Next != "" {
			b.WriteString(", next: " + c.Next)
		}
	}
	if c.Hint != "" {
		b.WriteString(" · " + c.Hint)
	}
	if c.Cue != "" {
		b.WriteString(" · cue: " + c.Cue)
	}
	return b.String()
}

package panel_test

import (
	"fmt"
	"os"
	"time"

	"github.com/yogamirror/yogamirror/display/panel"
	"github.com/yogamirror/yogamirror/inference/session"
)

// The daemon maps its YAML "display:" section onto panel.Opts, opens it once
// and hands the result to the pipeline as a StateSink. On a Raspberry Pi with
// an SSD1306 the options would be
//
//	panel.Opts{Driver: "ssd1306", SPI: "SPI0.0", DC: "GPIO25", RST: "GPIO24"}
//
// and Preview: preview.Opts{Enabled: true} adds the MJPEG stream on
// http://127.0.0.1:8088/.
func ExampleOpen() {
	d, err := panel.Open(panel.Opts{Driver: "text"}, os.Stdout)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer d.Close()
	t0 := time.Date(2025, 3, 1, 7, 30, 0, 0, time.UTC)
	for i := 0; i < 30; i++ { // 2.4 s of frames at 12.5 fps
		s := session.State{Time: t0.Add(time.Duration(i) * 80 * time.Millisecond), Person: true,
			Pose: "Warrior2", HeldS: 10 + float64(i)*0.08, TargetS: 30, SessionActive: true, SessionS: 95 + float64(i)*0.08}
		if err := d.Show(s); err != nil {
			fmt.Println(err)
		}
	}
	d.Flush()
	// Output:
	// 07:30:00 Warrior II (Virabhadrasana II) 0:10/0:30 [######..............] 33% · session 1:35
	// 07:30:01 Warrior II (Virabhadrasana II) 0:11/0:30 [#######.............] 36% · session 1:36
	// 07:30:02 Warrior II (Virabhadrasana II) 0:12/0:30 [########............] 40% · session 1:37
}

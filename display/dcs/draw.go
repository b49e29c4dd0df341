package dcs

import (
	"fmt"
	"image"
	"image/color"
	"io"

	"periph.io/x/conn/v3/gpio"
)

// backlight sets the backlight: off at 0, on at 100, PWM between.
func (d *Dev) backlight(pct int) error {
	bl := d.pins.BL
	if bl == nil || bl == gpio.INVALID {
		return nil
	}
	var err error
	switch pct {
	case 0:
		err = bl.Out(gpio.Low)
	case 100:
		err = bl.Out(gpio.High)
	default:
		err = bl.PWM(gpio.DutyMax*gpio.Duty(pct)/100, pwmHz)
	}
	if err != nil {
		return fmt.Errorf("%s: backlight %d %%: %w", d.o.Name, pct, err)
	}
	return nil
}

// SetBacklight changes the backlight, 0 (off) to 100 percent.
func (d *Dev) SetBacklight(pct int) error {
	if pct < 0 || pct > 100 {
		return fmt.Errorf("%s: backlight %d %%, want 0..100", d.o.Name, pct)
	}
	d.o.Backlight = max(pct, 1)
	return d.backlight(pct)
}

// String implements conn.Resource.
func (d *Dev) String() string { return d.o.Name + "(" + d.port.String() + ")" }

// ColorModel implements display.Drawer: RGB565.
func (d *Dev) ColorModel() color.Model { return RGB565Model }

// Bounds implements display.Drawer: the picture's size after rotation.
func (d *Dev) Bounds() image.Rectangle { return d.bounds }

// MADCTL is the memory access control byte in use (for tests and logs).
func (d *Dev) MADCTL() byte { return d.madctl }

// Draw implements display.Drawer. It converts r of src (from sp) to RGB565
// and sends the rectangles that differ from what the glass shows; the first
// Draw sends everything.
func (d *Dev) Draw(r image.Rectangle, src image.Image, sp image.Point) error {
	if d.asleep {
		if err := d.wake(); err != nil {
			return err
		}
	}
	if d.next == nil {
		d.next = NewFrame(d.bounds.Dx(), d.bounds.Dy())
	}
	if d.frame != nil {
		copy(d.next.Pix, d.frame.Pix)
	}
	d.next.Convert(r, src, sp)
	var rects []image.Rectangle
	if d.frame == nil {
		rects = []image.Rectangle{d.bounds}
	} else {
		rects = Changed(d.frame, d.next)
	}
	for _, rc := range rects {
		if err := d.send(rc); err != nil {
			d.frame = nil // unknown glass: send everything next time
			return fmt.Errorf("%s: draw: %w", d.o.Name, err)
		}
	}
	d.frame, d.next = d.next, d.frame
	return nil
}

// send writes rectangle rc of d.next to the controller.
func (d *Dev) send(rc image.Rectangle) error {
	x0, y0 := rc.Min.X+d.xOff, rc.Min.Y+d.yOff
	x1, y1 := rc.Max.X-1+d.xOff, rc.Max.Y-1+d.yOff
	if err := d.command(CASET, byte(x0>>8), byte(x0), byte(x1>>8), byte(x1)); err != nil {
		return err
	}
	if err := d.command(RASET, byte(y0>>8), byte(y0), byte(y1>>8), byte(y1)); err != nil {
		return err
	}
	if err := d.command(RAMWR); err != nil {
		return err
	}
	d.tx = d.next.AppendRect(d.tx[:0], rc)
	return d.data(d.tx)
}

// Halt implements conn.Resource: display off, controller asleep, backlight
// off. The next Draw wakes it (the frame memory is kept in sleep).
func (d *Dev) Halt() error {
	if d.asleep {
		return nil
	}
	err := d.run([]Cmd{{Op: DISPOFF}, {Op: SLPIN, Delay: sleepWait}})
	if err == nil {
		err = d.backlight(0)
	}
	if err != nil {
		return fmt.Errorf("%s: halt: %w", d.o.Name, err)
	}
	d.asleep = true
	return nil
}

func (d *Dev) wake() error {
	if err := d.run([]Cmd{{Op: SLPOUT, Delay: sleepWait}, {Op: DISPON}}); err != nil {
		return fmt.Errorf("%s: wake: %w", d.o.Name, err)
	}
	d.asleep = false
	return d.backlight(d.o.Backlight)
}

// Close closes the SPI port if it can be closed. It does not halt:
// display.Screen clears and halts first.
func (d *Dev) Close() error {
	if c, ok := d.port.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return fmt.Errorf("%s: close port: %w", d.o.Name, err)
		}
	}
	return nil
}

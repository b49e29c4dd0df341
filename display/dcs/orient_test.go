package dcs

import (
	"image"
	"testing"
)

// The orientations of the boards' reference drivers (TFT_eSPI's
// ST7789_Rotation.h and ILI9341_Rotation.h, whose rotations 1 and 3 are
// this package's 90 and 270): MADCTL byte and the address of the first
// pixel.
func TestOrientMatchesReferenceDrivers(t *testing.T) {
	st240 := Geometry{RAMWidth: 240, RAMHeight: 320, Width: 240, Height: 240}
	st135 := Geometry{RAMWidth: 240, RAMHeight: 320, Width: 135, Height: 240, ColStart: 52, RowStart: 40}
	ili := Geometry{RAMWidth: 240, RAMHeight: 320, Width: 240, Height: 320}
	tests := []struct {
		name       string
		o          Opts
		madctl     byte
		w, h       int
		xOff, yOff int
	}{
		{"st7789 240x240 0", Opts{Geometry: st240}, 0, 240, 240, 0, 0},
		{"st7789 240x240 90", Opts{Geometry: st240, Rotate: 90}, MX | MV, 240, 240, 0, 0},
		{"st7789 240x240 180", Opts{Geometry: st240, Rotate: 180}, MX | MY, 240, 240, 0, 80},
		{"st7789 240x240 270", Opts{Geometry: st240, Rotate: 270}, MY | MV, 240, 240, 80, 0},
		{"st7789 135x240 0", Opts{Geometry: st135}, 0, 135, 240, 52, 40},
		{"st7789 135x240 90", Opts{Geometry: st135, Rotate: 90}, MX | MV, 240, 135, 40, 53},
		{"st7789 135x240 180", Opts{Geometry: st135, Rotate: 180}, MX | MY, 135, 240, 53, 40},
		{"st7789 135x240 270", Opts{Geometry: st135, Rotate: 270}, MY | MV, 240, 135, 40, 52},
		{"ili9341 0", Opts{Geometry: ili, Native: MX | BGR}, MX | BGR, 240, 320, 0, 0},
		{"ili9341 90", Opts{Geometry: ili, Native: MX | BGR, Rotate: 90}, MV | BGR, 320, 240, 0, 0},
		{"ili9341 180", Opts{Geometry: ili, Native: MX | BGR, Rotate: 180}, MY | BGR, 240, 320, 0, 0},
		{"ili9341 270", Opts{Geometry: ili, Native: MX | BGR, Rotate: 270}, MX | MY | MV | BGR, 320, 240, 0, 0},
		// Flips mirror the picture as mounted: left-right is the column
		// address, which MV carries over to the physical rows.
		{"flip h", Opts{Geometry: st240, FlipH: true}, MX, 240, 240, 0, 0},
		{"flip v", Opts{Geometry: st240, FlipV: true}, MY, 240, 240, 0, 80},
		{"90 flip h", Opts{Geometry: st240, Rotate: 90, FlipH: true}, MX | MY | MV, 240, 240, 80, 0},
		{"180 flip both is 0", Opts{Geometry: st240, Rotate: 180, FlipH: true, FlipV: true}, 0, 240, 240, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, b, x, y := orient(tc.o)
			if m != tc.madctl || b != image.Rect(0, 0, tc.w, tc.h) || x != tc.xOff || y != tc.yOff {
				t.Errorf("MADCTL %#02x bounds %v offset (%d, %d); want %#02x %dx%d (%d, %d)",
					m, b, x, y, tc.madctl, tc.w, tc.h, tc.xOff, tc.yOff)
			}
		})
	}
}

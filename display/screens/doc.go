// Package screens holds the screenshots of what every supported display
// shows in every situation — a pose, half way, done, a cue, a routine's
// step and rest, the invitation — as PNG files beside this file, shown in
// the README so a buyer can see what each panel shows from the mat.
//
// They are made by this package's test through the real drivers: the TFT
// pictures are what an emulated ST7789/ILI9341 shows after the driver's
// RGB565 partial updates, the framebuffer pictures are read back from a
// device file, the one-bit panels show their thresholded renders as an
// OLED (light on black) and an LCD (dark on grey) would. `make screenshots`
// rewrites them; `go test` fails when they are out of date.
package screens

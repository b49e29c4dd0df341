// Package board owns the link to the single-board computer's hardware: it
// initialises periph's host drivers once and looks up SPI ports and GPIO pins
// by the names a configuration file uses ("SPI0.0", "GPIO25"), with errors
// that list what this host actually has.
package board

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spireg"
	"periph.io/x/host/v3"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrNotFound means no SPI port or GPIO pin has the configured name.
	ErrNotFound = errors.New("not found")
	// ErrNoSPI means the host registered no SPI port at all (SPI disabled,
	// no /dev/spidev*, or not a single-board computer).
	ErrNoSPI = errors.New("this host has no SPI ports")
	// ErrNoGPIO means the host registered no GPIO pin at all.
	ErrNoGPIO = errors.New("this host has no GPIO pins")
)

// maxListed caps how many names an error lists; a Raspberry Pi has ~60 pins.
const maxListed = 40

// Host is an initialised periph host. Its methods read periph's registries,
// which host.Init fills once per process; Host itself holds no mutable state.
type Host struct {
	state *driverreg.State
}

// Init initialises periph's host drivers (safe to call more than once: periph
// returns the first result). Drivers that find no hardware are skipped, not
// errors, so Init succeeds on a laptop; lookups then fail with clear errors.
func Init() (*Host, error) {
	st, err := host.Init()
	if err != nil {
		return nil, fmt.Errorf("board: periph host init: %w", err)
	}
	return &Host{state: st}, nil
}

// OpenSPI opens the SPI port with this name or alias ("SPI0.0",
// "/dev/spidev0.0"). The caller closes the port.
func (h *Host) OpenSPI(name string) (spi.PortCloser, error) {
	if name == "" {
		return nil, errors.New("board: no SPI port configured (want a name such as \"SPI0.0\")")
	}
	ports := h.SPIPorts()
	if len(ports) == 0 {
		return nil, fmt.Errorf("board: SPI port %q: %w%s", name, ErrNoSPI, h.spiHint())
	}
	if !slices.Contains(ports, name) {
		return nil, fmt.Errorf("board: SPI port %q %w; available: %s", name, ErrNotFound, list(ports))
	}
	p, err := spireg.Open(name)
	if err != nil {
		return nil, fmt.Errorf("board: open SPI port %q: %w", name, err)
	}
	return p, nil
}

// Pin returns the GPIO pin with this name, number or alias ("GPIO25", "25",
// "P1_22").
func (h *Host) Pin(name string) (gpio.PinIO, error) {
	if name == "" {
		return nil, errors.New("board: no GPIO pin configured (want a name such as \"GPIO25\")")
	}
	if p := gpioreg.ByName(name); p != nil {
		return p, nil
	}
	pins := h.Pins()
	if len(pins) == 0 {
		return nil, fmt.Errorf("board: GPIO pin %q: %w (no GPIO driver loaded: not a single-board computer, or no access to /dev/gpiochip*)", name, ErrNoGPIO)
	}
	return nil, fmt.Errorf("board: GPIO pin %q %w; available: %s", name, ErrNotFound, list(pins))
}

// OptionalPin is Pin for pins a panel can live without: an empty name gives
// (nil, nil).
func (h *Host) OptionalPin(name string) (gpio.PinIO, error) {
	if name == "" {
		return nil, nil
	}
	return h.Pin(name)
}

// SPIPorts lists the SPI port names and aliases this host registered.
func (h *Host) SPIPorts() []string {
	var out []string
	for _, r := range spireg.All() {
		out = append(out, r.Name)
		out = append(out, r.Aliases...)
	}
	return out
}

// Pins lists the GPIO pin names this host registered (aliases excluded).
func (h *Host) Pins() []string {
	var out []string
	for _, p := range gpioreg.All() {
		out = append(out, p.Name())
	}
	return out
}

// spiHint explains an empty SPI registry with what periph's drivers said.
func (h *Host) spiHint() string {
	hint := " (on a Raspberry Pi enable SPI with dtparam=spi=on in /boot/firmware/config.txt and check that /dev/spidev0.0 exists"
	if h.state != nil {
		for _, f := range append(slices.Clone(h.state.Skipped), h.state.Failed...) {
			if strings.Contains(f.D.String(), "spi") {
				hint += "; periph " + f.String()
			}
		}
	}
	return hint + ")"
}

// list joins names for an error message, capped at maxListed.
func list(names []string) string {
	if len(names) > maxListed {
		return strings.Join(names[:maxListed], ", ") + fmt.Sprintf(", … (%d more)", len(names)-maxListed)
	}
	return strings.Join(names, ", ")
}

// Reset pulses a panel's reset line high, low, high, holding each level for
// pulse: a clean reset whatever the line's idle state.
func Reset(rst gpio.PinOut, pulse time.Duration) error {
	for _, l := range []gpio.Level{gpio.High, gpio.Low, gpio.High} {
		if err := rst.Out(l); err != nil {
			return err
		}
		time.Sleep(pulse)
	}
	return nil
}

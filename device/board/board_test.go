package board

import (
	"errors"
	"strings"
	"testing"

	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/gpio/gpiotest"
	"periph.io/x/conn/v3/spi"
	"periph.io/x/conn/v3/spi/spireg"
	"periph.io/x/conn/v3/spi/spitest"
)

func mustInit(t *testing.T) *Host {
	t.Helper()
	h, err := Init()
	if err != nil {
		t.Fatalf("Init: %v", err)
	}
	return h
}

// On a host without SPI (this x86 build machine) the error must say so and
// name the port; on a host with SPI it must list what exists.
func TestOpenSPIMissingName(t *testing.T) {
	h := mustInit(t)
	_, err := h.OpenSPI("SPI9.9")
	if err == nil {
		t.Fatal("OpenSPI(SPI9.9) succeeded; want an error")
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "board: ") || !strings.Contains(msg, `"SPI9.9"`) {
		t.Errorf("error %q lacks the package prefix or the port name", msg)
	}
	if len(h.SPIPorts()) == 0 {
		if !errors.Is(err, ErrNoSPI) || !strings.Contains(msg, "has no SPI ports") || !strings.Contains(msg, "dtparam=spi=on") {
			t.Errorf("error %q does not say the host has no SPI ports and how to enable them", msg)
		}
		return
	}
	if !errors.Is(err, ErrNotFound) || !strings.Contains(msg, "available: ") {
		t.Errorf("error %q does not list the available ports", msg)
	}
}

func TestOpenSPIListsRegisteredPorts(t *testing.T) {
	h := mustInit(t)
	rec := &spitest.Record{}
	opener := func() (spi.PortCloser, error) { return rec, nil }
	if err := spireg.Register("FAKESPI7.0", []string{"SPI7.0"}, 7000, opener); err != nil {
		t.Fatalf("register: %v", err)
	}
	t.Cleanup(func() { _ = spireg.Unregister("FAKESPI7.0") })

	tests := []struct {
		name, port string
		wantErr    string // "" means success
	}{
		{name: "by name", port: "FAKESPI7.0"},
		{name: "by alias", port: "SPI7.0"},
		{name: "unknown", port: "SPI0.0", wantErr: `board: SPI port "SPI0.0" not found; available: `},
		{name: "empty", port: "", wantErr: "board: no SPI port configured"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := h.OpenSPI(tc.port)
			if tc.wantErr == "" {
				if err != nil || p != rec {
					t.Fatalf("OpenSPI(%q) = %v, %v; want the registered port", tc.port, p, err)
				}
				return
			}
			if err == nil || !strings.HasPrefix(err.Error(), tc.wantErr) {
				t.Fatalf("OpenSPI(%q) error = %v; want prefix %q", tc.port, err, tc.wantErr)
			}
			if tc.port != "" && !strings.Contains(err.Error(), "FAKESPI7.0, SPI7.0") {
				t.Errorf("error %q does not list the registered port and alias", err)
			}
		})
	}
}

func TestPin(t *testing.T) {
	h := mustInit(t)
	if len(h.Pins()) == 0 {
		_, err := h.Pin("GPIO25")
		if !errors.Is(err, ErrNoGPIO) {
			t.Errorf("Pin(GPIO25) on a host without GPIO: err = %v, want ErrNoGPIO", err)
		}
	}
	fake := &gpiotest.Pin{N: "FAKEGPIO900", Num: 900}
	if err := gpioreg.Register(fake); err != nil {
		t.Fatalf("register: %v", err)
	}
	t.Cleanup(func() { _ = gpioreg.Unregister("FAKEGPIO900") })

	if p, err := h.Pin("FAKEGPIO900"); err != nil || p.Name() != "FAKEGPIO900" {
		t.Errorf("Pin(FAKEGPIO900) = %v, %v", p, err)
	}
	_, err := h.Pin("GPIO999")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "FAKEGPIO900") {
		t.Errorf("Pin(GPIO999) error = %v; want ErrNotFound listing FAKEGPIO900", err)
	}
	if p, err := h.OptionalPin(""); p != nil || err != nil {
		t.Errorf(`OptionalPin("") = %v, %v; want nil, nil`, p, err)
	}
	if _, err := h.Pin(""); err == nil {
		t.Error(`Pin("") succeeded; want an error`)
	}
}

func TestListCaps(t *testing.T) {
	names := make([]string, maxListed+5)
	for i := range names {
		names[i] = "P"
	}
	if got := list(names); !strings.HasSuffix(got, "… (5 more)") {
		t.Errorf("list of %d = %q; want it capped", len(names), got)
	}
}

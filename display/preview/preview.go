// Package preview serves the display as an MJPEG stream over HTTP, for
// watching the mirror from a laptop while developing or for a bigger screen
// on the local network. It is periph's videosink (a display.Drawer that is
// also an http.Handler) on its own listener, loopback by default: the stream
// has no authentication.
package preview

import (
	"errors"
	"fmt"
	"html/template"
	"image/jpeg"
	"net"
	"net/http"
	"time"

	pdisplay "periph.io/x/conn/v3/display"
	"periph.io/x/devices/v3/videosink"
)

// Defaults.
const (
	DefaultAddr          = "127.0.0.1:8088"
	DefaultWidth         = 640
	DefaultHeight        = 360
	DefaultMaxFPS        = 10
	DefaultJPEGQuality   = 85
	readHeaderTimeout    = 5 * time.Second
	streamPath, pagePath = "/stream", "/"
)

// Opts configures the preview.
type Opts struct {
	// Enabled is read by display/panel.Open (the preview is off by default);
	// New always starts a preview.
	Enabled bool `yaml:"enabled"`
	// Addr is the listen address; DefaultAddr when empty. Use port 0 for any
	// free port (see Preview.Addr). Binding beyond loopback exposes the
	// stream, unauthenticated, to the network.
	Addr string `yaml:"addr"`
	// Width and Height of the stream; DefaultWidth×DefaultHeight when zero.
	Width  int `yaml:"width"`
	Height int `yaml:"height"`
	// Format is "jpeg" (default; MJPEG, what browsers and VLC expect) or
	// "png" (exact pixels, larger).
	Format string `yaml:"format"`
	// MaxFPS caps frames sent per client; DefaultMaxFPS when zero. A Screen
	// over the preview should use the same cap.
	MaxFPS float64 `yaml:"max_fps"`
}

// Validate reports every problem with o at once.
func (o Opts) Validate() error {
	_, _, err := o.withDefaults()
	return err
}

// withDefaults fills zero fields and checks the rest.
func (o Opts) withDefaults() (Opts, videosink.ImageFormat, error) {
	if o.Addr == "" {
		o.Addr = DefaultAddr
	}
	if o.Width == 0 && o.Height == 0 {
		o.Width, o.Height = DefaultWidth, DefaultHeight
	}
	if o.MaxFPS == 0 {
		o.MaxFPS = DefaultMaxFPS
	}
	var errs []error
	if o.Width < 64 || o.Height < 64 || o.Width > 3840 || o.Height > 2160 {
		errs = append(errs, fmt.Errorf("preview: size %d×%d, want 64×64 to 3840×2160", o.Width, o.Height))
	}
	if o.MaxFPS < 0 || o.MaxFPS > 60 {
		errs = append(errs, fmt.Errorf("preview: max fps %g, want 0 (default %d) to 60", o.MaxFPS, DefaultMaxFPS))
	}
	format := videosink.JPEG
	switch o.Format {
	case "", "jpeg", "jpg", "mjpeg":
	case "png":
		format = videosink.PNG
	default:
		errs = append(errs, fmt.Errorf("preview: format %q, want jpeg or png", o.Format))
	}
	return o, format, errors.Join(errs...)
}

// Preview is a running preview server. It is a periph display.Drawer (the
// embedded videosink.Display) and an io.Closer.
type Preview struct {
	*videosink.Display
	ln   net.Listener
	srv  *http.Server
	done chan error
}

var _ pdisplay.Drawer = (*Preview)(nil)

// New listens on o.Addr and serves the stream at /stream and a page showing
// it at /, until Close.
func New(o Opts) (*Preview, error) {
	o, format, err := o.withDefaults()
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("preview: listen: %w", err)
	}
	sink := videosink.New(&videosink.Options{
		Width: o.Width, Height: o.Height,
		Format:           format,
		JPEG:             jpeg.Options{Quality: DefaultJPEGQuality},
		MinFrameInterval: time.Duration(float64(time.Second) / o.MaxFPS),
	})
	mux := http.NewServeMux()
	mux.Handle("GET "+streamPath, sink)
	mux.HandleFunc("GET "+pagePath+"{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = page.Execute(w, o)
	})
	p := &Preview{
		Display: sink,
		ln:      ln,
		srv:     &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout},
		done:    make(chan error, 1),
	}
	go func() { p.done <- p.srv.Serve(ln) }()
	return p, nil
}

// Addr is the address the preview listens on (with the real port when Opts
// asked for port 0).
func (p *Preview) Addr() net.Addr { return p.ln.Addr() }

// URL is the stream's URL.
func (p *Preview) URL() string { return "http://" + p.ln.Addr().String() + streamPath }

// String implements conn.Resource.
func (p *Preview) String() string { return "preview(" + p.URL() + ")" }

// Close ends every stream and stops the server; it returns the server's
// error if it had failed.
func (p *Preview) Close() error {
	_ = p.Display.Halt() // ends the streaming handlers, which never go idle
	err := p.srv.Close()
	if serr := <-p.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	p.done <- http.ErrServerClosed // a second Close returns at once
	if err != nil {
		return fmt.Errorf("preview: close: %w", err)
	}
	return nil
}

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html><head><title>yogamirror</title>
<style>body{margin:0;background:#101420;display:flex;align-items:center;justify-content:center;height:100vh}
img{max-width:100vw;max-height:100vh}</style></head>
<body><img src="/stream" width="{{.Width}}" height="{{.Height}}" alt="yogamirror display"></body></html>
`))

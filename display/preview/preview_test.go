package preview

import (
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/display"
	"github.com/yogamirror/yogamirror/inference/session"
)

func start(t *testing.T, o Opts) *Preview {
	t.Helper()
	o.Addr = "127.0.0.1:0"
	p, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// firstFrame reads one image from the MJPEG stream.
func firstFrame(t *testing.T, url string) (image.Image, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	mt, params, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/x-mixed-replace" {
		t.Fatalf("Content-Type %q (%v), want multipart/x-mixed-replace", resp.Header.Get("Content-Type"), err)
	}
	part, err := multipart.NewReader(resp.Body, params["boundary"]).NextPart()
	if err != nil {
		t.Fatalf("first part: %v", err)
	}
	ct := part.Header.Get("Content-Type")
	var img image.Image
	switch ct {
	case "image/jpeg":
		img, err = jpeg.Decode(part)
	case "image/png":
		img, err = png.Decode(part)
	default:
		t.Fatalf("part Content-Type %q", ct)
	}
	if err != nil {
		t.Fatalf("decode %s: %v", ct, err)
	}
	return img, ct
}

func TestStreamServesTheDrawnFrame(t *testing.T) {
	tests := []struct {
		name, format, wantType string
		tolerance              uint32
	}{
		{"mjpeg by default", "", "image/jpeg", 0x1800},
		{"png", "png", "image/png", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := start(t, Opts{Width: 320, Height: 180, Format: tc.format})
			img := image.NewRGBA(p.Bounds())
			for i := range img.Pix {
				img.Pix[i] = 0xff
			}
			for y := 40; y < 120; y++ {
				for x := 100; x < 200; x++ {
					img.Set(x, y, color.RGBA{200, 30, 40, 255})
				}
			}
			if err := p.Draw(p.Bounds(), img, image.Point{}); err != nil {
				t.Fatal(err)
			}
			got, ct := firstFrame(t, p.URL())
			if ct != tc.wantType || got.Bounds().Size() != (image.Point{320, 180}) {
				t.Fatalf("frame %s %v, want %s 320×180", ct, got.Bounds(), tc.wantType)
			}
			for _, pt := range []image.Point{{150, 80}, {10, 10}, {300, 170}} {
				if !near(got.At(pt.X, pt.Y), img.At(pt.X, pt.Y), tc.tolerance) {
					t.Errorf("pixel %v = %v, drew %v", pt, got.At(pt.X, pt.Y), img.At(pt.X, pt.Y))
				}
			}
		})
	}
}

func TestScreenOnPreview(t *testing.T) {
	p := start(t, Opts{})
	sc, err := display.NewScreen(p, display.ScreenOpts{MaxFPS: DefaultMaxFPS})
	if err != nil {
		t.Fatal(err)
	}
	if sc.Renderer().Mono() {
		t.Fatal("the preview got the one-bit layout")
	}
	s := session.State{Time: time.Unix(0, 0), Person: true, Pose: "tree", HeldS: 12, TargetS: 30}
	if err := sc.Show(s); err != nil {
		t.Fatal(err)
	}
	sc.Flush()
	// The Screen's renderer belongs to its goroutine: render with another.
	r, err := display.NewRenderer(display.RenderOpts{Width: DefaultWidth, Height: DefaultHeight})
	if err != nil {
		t.Fatal(err)
	}
	want := r.Render(s)
	got, _ := firstFrame(t, p.URL())
	var diff, n uint64
	for y := 0; y < DefaultHeight; y += 3 {
		for x := 0; x < DefaultWidth; x += 3 {
			r1, g1, b1, _ := got.At(x, y).RGBA()
			r2, g2, b2, _ := want.At(x, y).RGBA()
			diff += uint64(absDiff(r1, r2) + absDiff(g1, g2) + absDiff(b1, b2))
			n += 3
		}
	}
	if mean := diff / n >> 8; mean > 6 {
		t.Errorf("streamed frame differs from the render by %d/255 on average", mean)
	}
	if err := sc.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Get(p.URL()); err == nil {
		t.Error("the preview still serves after the Screen closed it")
	}
}

func TestPage(t *testing.T) {
	p := start(t, Opts{})
	resp, err := http.Get("http://" + p.Addr().String() + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `src="/stream"`) {
		t.Errorf("GET / = %d %q", resp.StatusCode, body)
	}
	if resp, err := http.Get("http://" + p.Addr().String() + "/nope"); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET /nope = %d, want 404", resp.StatusCode)
		}
	}
}

func TestOptsErrors(t *testing.T) {
	_, err := New(Opts{Addr: "127.0.0.1:0", Width: 10, Height: 10, Format: "gif", MaxFPS: 500})
	for _, want := range []string{"size 10×10", `format "gif"`, "max fps 500"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New with bad opts: %v; want it to mention %q", err, want)
		}
	}
	if _, err := New(Opts{Addr: "256.0.0.1:1"}); err == nil || !strings.HasPrefix(err.Error(), "preview: listen") {
		t.Errorf("New on a bad address: %v", err)
	}
}

func TestCloseTwice(t *testing.T) {
	p, err := New(Opts{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func near(a, b color.Color, tol uint32) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	return absDiff(r1, r2) <= tol && absDiff(g1, g2) <= tol && absDiff(b1, b2) <= tol
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

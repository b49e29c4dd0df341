package metrics

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

func sampleRegistry() *Registry {
	r := NewRegistry()
	frames := r.Counter("yogamirror_frames_total", "Frames processed.")
	frames.Add(41)
	frames.Inc()
	r.Gauge("yogamirror_mqtt_connected", "1 while connected to the broker.").Set(1)
	h := r.Histogram("yogamirror_invoke_seconds", "MoveNet invoke time.", []float64{0.05, 0.1, 0.2})
	for _, v := range []float64{0.04, 0.08, 0.09, 0.5} {
		h.Observe(v)
	}
	r.GaugeFunc("yogamirror_pose_current", "The pose being held (1), by label.", func() []Sample {
		return []Sample{{Labels: []string{"pose", `tree "vrksasana"`}, Value: 1}}
	})
	r.GaugeFunc("yogamirror_cpu_temperature_celsius", "SoC temperature.", func() []Sample { return nil })
	r.CounterFunc("yogamirror_outbox_dropped_total", "Events the outbox dropped.", func() []Sample { return Value(3) })
	return r
}

func TestExposition(t *testing.T) {
	var b bytes.Buffer
	if _, err := sampleRegistry().WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	want := `# HELP yogamirror_frames_total Frames processed.
# TYPE yogamirror_frames_total counter
yogamirror_frames_total 42
# HELP yogamirror_mqtt_connected 1 while connected to the broker.
# TYPE yogamirror_mqtt_connected gauge
yogamirror_mqtt_connected 1
# HELP yogamirror_invoke_seconds MoveNet invoke time.
# TYPE yogamirror_invoke_seconds histogram
yogamirror_invoke_seconds_bucket{le="0.05"} 1
yogamirror_invoke_seconds_bucket{le="0.1"} 3
yogamirror_invoke_seconds_bucket{le="0.2"} 3
yogamirror_invoke_seconds_bucket{le="+Inf"} 4
yogamirror_invoke_seconds_sum 0.71
yogamirror_invoke_seconds_count 4
# HELP yogamirror_pose_current The pose being held (1), by label.
# TYPE yogamirror_pose_current gauge
yogamirror_pose_current{pose="tree \"vrksasana\""} 1
# HELP yogamirror_cpu_temperature_celsius SoC temperature.
# TYPE yogamirror_cpu_temperature_celsius gauge
# HELP yogamirror_outbox_dropped_total Events the outbox dropped.
# TYPE yogamirror_outbox_dropped_total counter
yogamirror_outbox_dropped_total 3
`
	if got := b.String(); got != want {
		t.Errorf("exposition:\n%s\nwant:\n%s", got, want)
	}
}

// TestPromtoolAcceptsTheOutput lints with Prometheus' own checker (Debian
// package prometheus): syntax, types and naming conventions.
func TestPromtoolAcceptsTheOutput(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if testing.Short() {
			t.Skip("-short: promtool is not installed")
		}
		t.Fatal("promtool is not installed (apt-get install prometheus; cross/setup.sh does)")
	}
	var b bytes.Buffer
	sampleRegistry().WriteTo(&b)
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = &b
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out)
	}
	// And it does lint: a counter without _total is caught.
	bad := "# HELP frames Frames.\n# TYPE frames counter\nframes 1\n"
	cmd = exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(bad)
	if out, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("promtool accepted a counter without _total:\n%s", out)
	}
}

// Updates on the frame path take no lock and allocate nothing.
func TestUpdatesDoNotAllocate(t *testing.T) {
	r := NewRegistry()
	c := r.Counter("a_total", "a")
	g := r.Gauge("b", "b")
	h := r.Histogram("c_seconds", "c", ExpBuckets(0.001, 2, 12))
	if n := testing.AllocsPerRun(100, func() { c.Inc(); g.Set(3); h.Observe(0.05) }); n != 0 {
		t.Errorf("%v allocations per update, want 0", n)
	}
}

func TestConcurrentUpdates(t *testing.T) {
	r := NewRegistry()
	c := r.Counter("n_total", "n")
	h := r.Histogram("h_seconds", "h", []float64{1})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 1000 {
				c.Inc()
				h.Observe(0.5)
			}
		}()
	}
	wg.Wait()
	if c.Value() != 8000 || h.Count() != 8000 {
		t.Errorf("counter %v, histogram %d, want 8000", c.Value(), h.Count())
	}
}

func TestRegistrationRules(t *testing.T) {
	for name, f := range map[string]func(r *Registry){
		"counter without _total": func(r *Registry) { r.Counter("frames", "x") },
		"twice":                  func(r *Registry) { r.Gauge("x", "x"); r.Gauge("x", "x") },
		"bad name":               func(r *Registry) { r.Gauge("2x-y", "x") },
		"unsorted buckets":       func(r *Registry) { r.Histogram("h", "h", []float64{2, 1}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f(NewRegistry())
		})
	}
}

func TestHandler(t *testing.T) {
	srv := httptest.NewServer(sampleRegistry().Handler())
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("Content-Type %q", ct)
	}
	if resp, err := http.Post(srv.URL, "text/plain", nil); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: %v %v", resp.StatusCode, err)
	}
}

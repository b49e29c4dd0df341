package downloadtest

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server is an httptest server whose first path segment picks a behaviour;
// the rest of the path names the image.
//
// Behaviours, by first path segment:
//
//	/img/NAME        200 image/jpeg, a JPEG made from NAME (also png, gif, bmp, webp: /png/NAME…)
//	/same/NAME       the same JPEG bytes whatever NAME is
//	/octet/NAME      a JPEG sent as application/octet-stream
//	/webpjpg/NAME    a WebP sent as image/jpeg (NAME usually ends in .jpg)
//	/status/CODE/N   that HTTP status with a short text body
//	/flaky/K/NAME    500 for the first K hits of this path, then the JPEG
//	/busy/NAME       429 with Retry-After: 1, always
//	/stall/NAME      headers and half the body, then nothing until the client leaves
//	/slowhead/NAME   nothing at all until the client leaves
//	/redirect/K/NAME K redirects, then /img/NAME
//	/loop/NAME       /loop/NAME -> /loop2/NAME -> /loop/NAME …
//	/html/NAME       200 text/html, a web page
//	/truncated/NAME  Content-Length of the whole JPEG, half of it sent, connection closed
//	/cut/NAME        200 with a complete body holding half a JPEG
//	/type/NAME       image/jpeg header on a PDF body
//	/huge/NAME       Content-Length: 50 GB, then the connection closes
//	/big/BYTES/NAME  BYTES of a JPEG-looking body, chunked, no Content-Length
//	/empty/NAME      200 image/jpeg, empty body
//	/reset/NAME      the connection is closed without a response
type Server struct {
	*httptest.Server
	// Delay, if set before requests start, is slept before answering
	// any request (to make requests overlap in concurrency tests).
	Delay time.Duration

	mu       sync.Mutex
	ua       string
	hits     map[string]int
	inFlight int
	maxIn    int
	stop     chan struct{}
}

// NewServer starts a Server closed at the end of the test.
func NewServer(t testing.TB) *Server {
	s := &Server{hits: map[string]int{}, stop: make(chan struct{})}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		close(s.stop)
		s.Close()
	})
	return s
}

// URLFor returns the server's URL for path.
func (s *Server) URLFor(path string) string { return s.Server.URL + path }

// Hits returns how often path was requested.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// TotalHits returns the number of requests so far.
func (s *Server) TotalHits() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits {
		n += h
	}
	return n
}

// MaxInFlight returns the largest number of requests served at once.
func (s *Server) MaxInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxIn
}

// UserAgent returns the User-Agent header of the last request.
func (s *Server) UserAgent() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ua
}

func (s *Server) enter(path, ua string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ua = ua
	s.hits[path]++
	s.inFlight++
	s.maxIn = max(s.maxIn, s.inFlight)
	return s.hits[path]
}

func (s *Server) leave() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight--
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	hit := s.enter(r.URL.Path, r.UserAgent())
	defer s.leave()
	if s.Delay > 0 {
		time.Sleep(s.Delay)
	}
	kind, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	arg, name, _ := strings.Cut(rest, "/")
	switch kind {
	case "img", "png", "gif", "bmp", "webp":
		format := map[string]string{"img": "jpeg"}[kind]
		if format == "" {
			format = kind
		}
		send(w, "image/"+format, Encode(format, rest))
	case "same":
		send(w, "image/jpeg", Encode("jpeg", "same"))
	case "octet":
		send(w, "application/octet-stream", Encode("jpeg", rest))
	case "webpjpg":
		send(w, "image/jpeg", Encode("webp", rest))
	case "html":
		send(w, "text/html; charset=utf-8", []byte("<!doctype html><html><body><h1>Pin it!</h1></body></html>"))
	case "type":
		send(w, "image/jpeg", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"))
	case "empty":
		send(w, "image/jpeg", nil)
	case "cut":
		b := Encode("jpeg", rest)
		send(w, "image/jpeg", b[:len(b)/2])
	default:
		s.serveFault(w, r, kind, arg, name, rest, hit)
	}
}

func send(w http.ResponseWriter, ctype string, body []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body)
}

func (s *Server) serveFault(w http.ResponseWriter, r *http.Request, kind, arg, name, rest string, hit int) {
	switch kind {
	case "status":
		code, _ := strconv.Atoi(arg)
		http.Error(w, http.StatusText(code), code)
	case "flaky":
		if k, _ := strconv.Atoi(arg); hit <= k {
			http.Error(w, "try later", http.StatusInternalServerError)
			return
		}
		send(w, "image/jpeg", Encode("jpeg", name))
	case "busy":
		w.Header().Set("Retry-After", "1")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	case "redirect":
		k, _ := strconv.Atoi(arg)
		to := "/img/" + name
		if k > 1 {
			to = fmt.Sprintf("/redirect/%d/%s", k-1, name)
		}
		http.Redirect(w, r, to, http.StatusFound)
	case "loop":
		http.Redirect(w, r, "/loop2/"+rest, http.StatusMovedPermanently)
	case "loop2":
		http.Redirect(w, r, "/loop/"+rest, http.StatusMovedPermanently)
	case "big":
		s.big(w, arg)
	default:
		s.serveBroken(w, r, kind, rest)
	}
}

func (s *Server) big(w http.ResponseWriter, arg string) {
	n, _ := strconv.Atoi(arg)
	w.Header().Set("Content-Type", "image/jpeg")
	chunk := make([]byte, 32<<10)
	copy(chunk, Encode("jpeg", "big")[:2])
	for sent := 0; sent < n; sent += len(chunk) {
		if _, err := w.Write(chunk[:min(len(chunk), n-sent)]); err != nil {
			return
		}
	}
}

// serveBroken handles the behaviours that need the raw connection or that
// never finish.
func (s *Server) serveBroken(w http.ResponseWriter, r *http.Request, kind, rest string) {
	switch kind {
	case "stall":
		b := Encode("jpeg", rest)
		w.Header().Set("Content-Type", "image/jpeg")
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b[:len(b)/2])
		w.(http.Flusher).Flush()
		s.wait(r)
	case "slowhead":
		s.wait(r)
	case "truncated", "huge", "reset":
		s.hijack(w, kind, rest)
	default:
		http.NotFound(w, r)
	}
}

func (s *Server) wait(r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-s.stop:
	}
}

// hijack writes a raw, broken response and closes the connection.
func (s *Server) hijack(w http.ResponseWriter, kind, rest string) {
	conn, buf, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	b := Encode("jpeg", rest)
	switch kind {
	case "truncated":
		writeHead(buf, "image/jpeg", int64(len(b)))
		buf.Write(b[:len(b)/2])
	case "huge":
		writeHead(buf, "image/jpeg", 50<<30)
		buf.Write(b[:64])
	}
	buf.Flush()
}

func writeHead(buf *bufio.ReadWriter, ctype string, length int64) {
	fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n", ctype, length)
}

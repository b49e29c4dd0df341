package download

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"
)

// redirectError stops a request that redirects in a loop or too often.
type redirectError struct {
	loop bool
	n    int
	to   string
}

func (e *redirectError) Error() string {
	if e.loop {
		return "redirect loop at " + e.to
	}
	return fmt.Sprintf("too many redirects (%d)", e.n)
}

// checkRedirect returns an http.Client.CheckRedirect that allows up to max
// redirects and fails at once on a loop.
func checkRedirect(max int) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return &redirectError{loop: true, to: req.URL.String()}
			}
		}
		if len(via) > max {
			return &redirectError{n: len(via)}
		}
		return nil
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isDNSNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// classifyNetError names a transport error and says whether retrying soon
// may help (resets, refused connections, unexpected EOFs) or not
// (certificate errors, malformed responses).
func classifyNetError(err error) (reason string, transient bool) {
	var (
		de  *net.DNSError
		tve *tls.CertificateVerificationError
	)
	switch {
	case errors.As(err, &de):
		return "dns: " + de.Err, !de.IsNotFound
	case errors.As(err, &tve):
		return "tls: " + tve.Err.Error(), false
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset", true
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused", true
	}
	return unwrapURL(err), true
}

// unwrapURL drops the "Get \"url\": " prefix that url.Error adds: the
// manifest already has the URL.
func unwrapURL(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

package mqtttest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"maps"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// PKI is a throw-away certificate authority with a server certificate for
// 127.0.0.1/localhost and a client certificate, as PEM files in Dir.
type PKI struct {
	Dir                   string
	CAFile                string
	ServerCert, ServerKey string
	ClientCert, ClientKey string
	pool                  *x509.CertPool
}

// NewPKI generates the CA and both certificates (ECDSA P-256, valid for a
// day) into a temp dir.
func NewPKI(tb testing.TB) *PKI {
	tb.Helper()
	dir := tb.TempDir()
	p := &PKI{Dir: dir, pool: x509.NewCertPool(),
		CAFile:     filepath.Join(dir, "ca.crt"),
		ServerCert: filepath.Join(dir, "server.crt"), ServerKey: filepath.Join(dir, "server.key"),
		ClientCert: filepath.Join(dir, "client.crt"), ClientKey: filepath.Join(dir, "client.key"),
	}
	caKey := newKey(tb)
	caTmpl := template(1, "yogamirror test CA")
	caTmpl.IsCA, caTmpl.BasicConstraintsValid = true, true
	caTmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	ca := sign(tb, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	writePEM(tb, p.CAFile, "CERTIFICATE", ca.Raw)
	p.pool.AddCert(ca)

	srv := template(2, "127.0.0.1")
	srv.IPAddresses, srv.DNSNames = []net.IP{net.IPv4(127, 0, 0, 1)}, []string{"localhost"}
	srv.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	p.issue(tb, srv, ca, caKey, p.ServerCert, p.ServerKey)

	cli := template(3, "yogamirror test client")
	cli.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	p.issue(tb, cli, ca, caKey, p.ClientCert, p.ClientKey)
	return p
}

// ClientTLS trusts the CA and presents the client certificate.
func (p *PKI) ClientTLS(tb testing.TB) *tls.Config {
	tb.Helper()
	cert, err := tls.LoadX509KeyPair(p.ClientCert, p.ClientKey)
	if err != nil {
		tb.Fatal(err)
	}
	return &tls.Config{RootCAs: p.pool, Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
}

func (p *PKI) issue(tb testing.TB, tmpl, ca *x509.Certificate, caKey *ecdsa.PrivateKey, certFile, keyFile string) {
	key := newKey(tb)
	cert := sign(tb, tmpl, ca, &key.PublicKey, caKey)
	writePEM(tb, certFile, "CERTIFICATE", cert.Raw)
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	writePEM(tb, keyFile, "PRIVATE KEY", der)
}

func newKey(tb testing.TB) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	return k
}

func template(serial int64, cn string) *x509.Certificate {
	now := time.Now()
	return &x509.Certificate{
		SerialNumber: big.NewInt(serial),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"yogamirror tests"}},
		NotBefore:    now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
}

func sign(tb testing.TB, tmpl, parent *x509.Certificate, pub *ecdsa.PublicKey, priv *ecdsa.PrivateKey) *x509.Certificate {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return cert
}

func writePEM(tb testing.TB, path, typ string, der []byte) {
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		tb.Fatal(err)
	}
}

// PasswordFile writes a mosquitto password file for user with
// `mosquitto_passwd -b -c` and returns its path.
func PasswordFile(tb testing.TB, user, password string) string {
	tb.Helper()
	return Passwords(tb, map[string]string{user: password})
}

// Passwords writes a mosquitto password file for several users
// (user → password) and returns its path.
func Passwords(tb testing.TB, users map[string]string) string {
	tb.Helper()
	bin, err := exec.LookPath("mosquitto_passwd")
	if err != nil {
		if testing.Short() {
			tb.Skip("-short: mosquitto_passwd is not installed")
		}
		tb.Fatal("mqtttest: mosquitto_passwd is not installed (apt-get install mosquitto)")
	}
	path := filepath.Join(tb.TempDir(), "passwd")
	for i, user := range slices.Sorted(maps.Keys(users)) {
		args := []string{"-b", path, user, users[user]}
		if i == 0 {
			args = append([]string{"-c"}, args...) // the first creates the file
		}
		if out, err := exec.Command(bin, args...).CombinedOutput(); err != nil {
			tb.Fatalf("mqtttest: mosquitto_passwd: %v\n%s", err, out)
		}
	}
	return path
}

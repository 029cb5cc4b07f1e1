package dynatrace

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rotplay/rotplay/lab/dtsim"
)

// tlsSim serves a simulator over TLS on loopback and writes its
// certificate to a PEM file.
func tlsSim(t *testing.T) (srv *httptest.Server, caFile string) {
	t.Helper()
	srv = httptest.NewTLSServer(dtsim.New(dtsim.Options{APIToken: testToken}).Handler())
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, block, 0o644); err != nil {
		t.Fatal(err)
	}
	return srv, caFile
}

func TestCABundle(t *testing.T) {
	t.Parallel()
	srv, caFile := tlsSim(t)
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	if err := os.WriteFile(garbage, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		cfg        Config
		wantNewErr string
		wantErr    string // from the call
	}{
		{name: "trusted with the CA file", cfg: Config{CAFile: caFile}},
		{name: "untrusted without it", cfg: Config{}, wantErr: "TLS certificate is not trusted"},
		{name: "CA file missing", cfg: Config{CAFile: filepath.Join(t.TempDir(), "none.pem")}, wantNewErr: "read CA file"},
		{name: "CA file without certificates", cfg: Config{CAFile: garbage}, wantNewErr: "holds no PEM certificate"},
		{name: "CA file and HTTPClient", cfg: Config{CAFile: caFile, HTTPClient: &http.Client{}}, wantNewErr: "cannot both be set"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sl := &sleeper{}
			tt.cfg.URL, tt.cfg.Token, tt.cfg.Retry.Sleep = srv.URL, testToken, sl.Sleep
			c, err := New(tt.cfg)
			if tt.wantNewErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantNewErr) {
					t.Fatalf("New: %v, want %q", err, tt.wantNewErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.StartRotation(t.Context())
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			checkError(t, err, nil, []error{ErrOutcomeUnknown}, []string{tt.wantErr})
			if !errors.As(err, new(x509.UnknownAuthorityError)) {
				t.Errorf("cause is not an unknown-authority error: %v", err)
			}
			if len(sl.got()) != 0 {
				t.Errorf("a certificate error was retried: %v", sl.got())
			}
		})
	}
}

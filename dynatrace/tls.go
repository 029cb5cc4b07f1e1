package dynatrace

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
)

// httpClient builds the HTTP client for cfg. Redirects are never followed:
// a redirected POST silently becomes a GET, and a redirect usually means the
// environment URL is wrong, which the user should fix.
func httpClient(cfg Config) (*http.Client, error) {
	if cfg.HTTPClient != nil {
		if cfg.CAFile != "" {
			return nil, errors.New("dynatrace: Config.CAFile and Config.HTTPClient cannot both be set: configure the CA in the HTTPClient's transport")
		}
		hc := *cfg.HTTPClient
		hc.CheckRedirect = noRedirect
		return &hc, nil
	}
	roots, err := rootPool(cfg.CAFile)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr, CheckRedirect: noRedirect}, nil
}

func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// rootPool returns nil (the system roots) without a CA file, else the system
// roots plus the file's certificates.
func rootPool(caFile string) (*x509.CertPool, error) {
	if caFile == "" {
		return nil, nil
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("dynatrace: read CA file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool() // no system roots here: the bundle alone
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("dynatrace: CA file %s holds no PEM certificate: give a file with -----BEGIN CERTIFICATE----- blocks", caFile)
	}
	return pool, nil
}

// isCertError reports whether err is a failed TLS verification, which no
// retry can fix.
func isCertError(err error) bool {
	var (
		verr  *tls.CertificateVerificationError
		uerr  x509.UnknownAuthorityError
		herr  x509.HostnameError
		cierr x509.CertificateInvalidError
	)
	return errors.As(err, &verr) || errors.As(err, &uerr) || errors.As(err, &herr) || errors.As(err, &cierr)
}

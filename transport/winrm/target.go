package winrm

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/rotplay/rotplay/transport"
)

// Inventory variables the transport reads: Ansible's names.
const (
	varPassword       = "ansible_password"
	varAuth           = "ansible_winrm_transport"
	varScheme         = "ansible_winrm_scheme"
	varCertValidation = "ansible_winrm_server_cert_validation"
	varCATrustPath    = "ansible_winrm_ca_trust_path"
)

// Authentication schemes: ansible_winrm_transport's values.
const (
	authBasic = "basic"
	authNTLM  = "ntlm"
)

// host is a Target resolved against the defaults.
type host struct {
	name     string // for messages: the inventory name, else the address
	hostname string
	port     int
	https    bool
	url      string

	user, password string
	auth           string // authBasic or authNTLM

	insecure bool   // ansible_winrm_server_cert_validation: ignore
	caPEM    []byte // from ansible_winrm_ca_trust_path; nil: system roots
	caFile   string
}

// resolve reads t's address and WinRM variables: https on 5986 and NTLM
// by default, http (5985) only when ansible_winrm_scheme says so.
func (d *dialer) resolve(t transport.Target) (*host, error) {
	h := &host{name: t.Name, hostname: t.Address, port: t.Port, user: t.User, https: true, auth: authNTLM}
	if h.hostname == "" {
		h.hostname = t.Name
	}
	if h.name == "" {
		h.name = h.hostname
	}
	var errs []error
	add := func(err error) { errs = append(errs, err) }
	switch {
	case h.hostname == "":
		add(errors.New("target has neither an address nor a name"))
	case h.user == "":
		add(errors.New("no user given: set ansible_user (for a domain account DOMAIN\\user)"))
	case t.Become:
		add(errors.New("ansible_become is not supported over WinRM: connect as the user that should run the commands"))
	}
	var err error
	if h.password, err = stringVar(t.Vars, varPassword); err != nil {
		add(err)
	} else if h.password == "" {
		add(fmt.Errorf("no password given: set %s, as \"{{ env('WINRM_PASSWORD') }}\" rather than literally", varPassword))
	}
	d.opts.secret(h.password)
	add(h.readScheme(t.Vars))
	add(h.readAuth(t.Vars))
	add(h.readCert(t.Vars))
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if h.port == 0 {
		h.port = 5985
		if h.https {
			h.port = 5986
		}
	}
	scheme := map[bool]string{true: "https", false: "http"}[h.https]
	h.url = scheme + "://" + net.JoinHostPort(h.hostname, strconv.Itoa(h.port)) + "/wsman"
	return h, nil
}

func (h *host) readScheme(vars map[string]any) error {
	s, err := stringVar(vars, varScheme)
	switch strings.ToLower(s) {
	case "", "https":
	case "http":
		h.https = false
	default:
		return fmt.Errorf("%s is %q: use https (the default) or http", varScheme, s)
	}
	return err
}

func (h *host) readAuth(vars map[string]any) error {
	s, err := stringVar(vars, varAuth)
	switch strings.ToLower(s) {
	case "", "ntlm":
	case "basic", "plaintext":
		h.auth = authBasic
	case "kerberos", "credssp", "certificate", "ssl":
		return fmt.Errorf("%s %s is not supported yet: use ntlm (the default) or basic", varAuth, s)
	default:
		return fmt.Errorf("%s is %q: use ntlm (the default) or basic", varAuth, s)
	}
	return err
}

// readCert reads the certificate settings, which matter for https only.
func (h *host) readCert(vars map[string]any) error {
	v, err := stringVar(vars, varCertValidation)
	if err != nil {
		return err
	}
	switch strings.ToLower(v) {
	case "", "validate":
	case "ignore":
		h.insecure = true
	default:
		return fmt.Errorf("%s is %q: use validate (the default) or ignore", varCertValidation, v)
	}
	if h.caFile, err = stringVar(vars, varCATrustPath); err != nil || h.caFile == "" {
		return err
	}
	return h.loadCA()
}

// loadCA reads the CA bundle, expanding a leading ~/.
func (h *host) loadCA() error {
	if rest, ok := strings.CutPrefix(h.caFile, "~/"); ok {
		home, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("%s %s: %w", varCATrustPath, h.caFile, err)
		}
		h.caFile = filepath.Join(home, rest)
	}
	pem, err := os.ReadFile(h.caFile)
	if err != nil {
		return fmt.Errorf("%s: %w", varCATrustPath, err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(pem) {
		return fmt.Errorf("%s %s holds no PEM certificate", varCATrustPath, h.caFile)
	}
	h.caPEM = pem
	return nil
}

// stringVar reads a string variable; a missing one is "".
func stringVar(vars map[string]any, name string) (string, error) {
	v, ok := vars[name]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("variable %s must be a string, not %T", name, v)
	}
	return s, nil
}

package registryset

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
	"github.com/rotplay/rotplay/modules/args"
	"github.com/rotplay/rotplay/tmpl"
)

// arguments are registry_set's task arguments.
type arguments struct {
	Path   string `yaml:"path" args:"required"` // HKLM\Software\...
	Name   string `yaml:"name" args:"required"`
	Data   string `yaml:"data" args:"required"`
	Type   string `yaml:"type"` // "" keeps the value's kind (REG_SZ when new)
	Secret *bool  `yaml:"secret"`
}

// kindNames maps the registry types users write to .NET's
// RegistryValueKind names, which the script uses.
var kindNames = map[string]string{
	"":              "",
	"REG_SZ":        "String",
	"REG_EXPAND_SZ": "ExpandString",
	"REG_DWORD":     "DWord",
	"REG_QWORD":     "QWord",
}

// regType is the inverse of kindNames, for messages.
func regType(kind string) string {
	for k, v := range kindNames {
		if v == kind && k != "" {
			return k
		}
	}
	return kind
}

// hivePrefixes are the spellings of HKEY_LOCAL_MACHINE a path may start with.
var hivePrefixes = []string{`HKLM:\`, `HKLM\`, `HKEY_LOCAL_MACHINE\`}

// key is the path below HKLM.
func (a arguments) key() string {
	for _, p := range hivePrefixes {
		if len(a.Path) >= len(p) && strings.EqualFold(a.Path[:len(p)], p) {
			return a.Path[len(p):]
		}
	}
	return a.Path
}

func (a arguments) secret() bool {
	if a.Secret != nil {
		return *a.Secret
	}
	n := strings.ToLower(a.Name)
	return strings.Contains(n, "token") || strings.Contains(n, "password") || strings.Contains(n, "secret")
}

func decode(file string, n *yaml.Node) (arguments, error) {
	var a arguments
	if err := args.Decode(file, "registry_set", n, &a); err != nil {
		return a, err
	}
	var errs diag.List
	if a.Path != "" && !tmpl.IsTemplate(a.Path) && a.key() == a.Path {
		errs.Addf(diag.At(file, n), "registry_set: path %q is not under HKLM", a.Path).
			WithHint(`write it as HKLM\Software\Vendor\Key; other hives are not supported`)
	}
	if _, ok := kindNames[a.Type]; !ok && !tmpl.IsTemplate(a.Type) {
		errs.Addf(diag.At(file, n), "registry_set: type %q is not supported", a.Type).
			WithHint("use REG_SZ, REG_EXPAND_SZ, REG_DWORD or REG_QWORD, or leave it out to keep the value's kind")
	}
	return a, errs.Err()
}

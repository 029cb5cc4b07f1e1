package winhost

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// RegKind is the type of a registry value.
type RegKind int

// The kinds of registry values the simulated registry holds.
const (
	RegSZ RegKind = iota + 1
	RegExpandSZ
	RegDWORD
	RegQWORD
	RegMultiSZ
	RegBinary
)

var regKindNames = map[RegKind]string{
	RegSZ: "REG_SZ", RegExpandSZ: "REG_EXPAND_SZ", RegDWORD: "REG_DWORD",
	RegQWORD: "REG_QWORD", RegMultiSZ: "REG_MULTI_SZ", RegBinary: "REG_BINARY",
}

// String is the kind's name as reg.exe prints it: REG_SZ, ...
func (k RegKind) String() string {
	if n, ok := regKindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("RegKind(%d)", int(k))
}

// RegValue is one registry value. The field that matters depends on Kind:
// String for REG_SZ and REG_EXPAND_SZ (stored unexpanded), Strings for
// REG_MULTI_SZ, Number for REG_DWORD (32 bits) and REG_QWORD, Binary for
// REG_BINARY.
type RegValue struct {
	Kind    RegKind
	String  string
	Strings []string
	Number  uint64
	Binary  []byte
}

func (v RegValue) check() error {
	switch v.Kind {
	case RegSZ, RegExpandSZ, RegMultiSZ, RegQWORD, RegBinary:
	case RegDWORD:
		if v.Number > 0xFFFFFFFF {
			return fmt.Errorf("REG_DWORD value %d does not fit 32 bits", v.Number)
		}
	default:
		return fmt.Errorf("unknown registry value kind %v", v.Kind)
	}
	return nil
}

func (v RegValue) clone() RegValue {
	v.Strings = slices.Clone(v.Strings)
	v.Binary = slices.Clone(v.Binary)
	return v
}

// regKey is one key: its values by lower-case name, with names as spelt.
type regKey struct {
	values map[string]regEntry
}

type regEntry struct {
	name  string
	value RegValue
}

// hklmPrefixes are the spellings of HKEY_LOCAL_MACHINE rotplay accepts.
var hklmPrefixes = []string{`HKLM:\`, `HKLM\`, `HKEY_LOCAL_MACHINE\`}

// regPath normalises key ("HKLM\SOFTWARE\Dynatrace") to a lower-case path
// below HKLM. Only HKLM is simulated.
func regPath(key string) (string, error) {
	for _, p := range hklmPrefixes {
		if len(key) >= len(p) && strings.EqualFold(key[:len(p)], p) {
			rest := strings.Trim(key[len(p):], `\`)
			if rest == "" {
				return "", errors.New("winhost: a registry key below HKLM is needed")
			}
			return strings.ToLower(rest), nil
		}
	}
	return "", fmt.Errorf("winhost: registry key %q is not below HKLM", key)
}

// SetRegistryValue sets value name of key (HKLM only), creating the key.
func (h *Host) SetRegistryValue(key, name string, v RegValue) error {
	path, err := regPath(key)
	if err != nil {
		return err
	}
	if err := v.check(); err != nil {
		return fmt.Errorf("winhost: %s\\%s: %w", key, name, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.registry[path]
	if k == nil {
		k = &regKey{values: map[string]regEntry{}}
		h.registry[path] = k
	}
	k.values[strings.ToLower(name)] = regEntry{name, v.clone()}
	return nil
}

// RegistryValue returns value name of key, ignoring case.
func (h *Host) RegistryValue(key, name string) (RegValue, bool) {
	path, err := regPath(key)
	if err != nil {
		return RegValue{}, false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.registry[path]
	if k == nil {
		return RegValue{}, false
	}
	e, ok := k.values[strings.ToLower(name)]
	return e.value.clone(), ok
}

// DeleteRegistryValue removes value name of key and reports whether it
// was there.
func (h *Host) DeleteRegistryValue(key, name string) bool {
	path, err := regPath(key)
	if err != nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.registry[path]
	if k == nil {
		return false
	}
	_, ok := k.values[strings.ToLower(name)]
	delete(k.values, strings.ToLower(name))
	return ok
}

// RegistryKeyExists reports whether key exists (it was given a value).
func (h *Host) RegistryKeyExists(key string) bool {
	path, err := regPath(key)
	if err != nil {
		return false
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.registry[path] != nil
}

// RegistryValueNames returns the names of key's values, sorted, as spelt.
func (h *Host) RegistryValueNames(key string) []string {
	path, err := regPath(key)
	if err != nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.registry[path]
	if k == nil {
		return nil
	}
	var names []string
	for _, e := range k.values {
		names = append(names, e.name)
	}
	slices.Sort(names)
	return names
}

package winemu

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Registry is HKEY_LOCAL_MACHINE of a simulated host. Keys and value names
// are case-insensitive, as on Windows. Safe for concurrent use.
type Registry struct {
	mu     sync.Mutex
	values map[string]RegValue // lower-case key + "\x00" + lower-case name
	keys   map[string]bool
}

// RegValue is one value: its kind (a RegistryValueKind name such as String
// or DWord) and its data as text.
type RegValue struct {
	Kind string
	Data string
}

func regID(key, name string) string { return strings.ToLower(key) + "\x00" + strings.ToLower(name) }

// Set creates or replaces a value (for lab set-up and tests).
func (r *Registry) Set(key, name string, v RegValue) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.values == nil {
		r.values, r.keys = map[string]RegValue{}, map[string]bool{}
	}
	r.keys[strings.ToLower(key)] = true
	r.values[regID(key, name)] = v
}

// Get returns a value and whether it exists.
func (r *Registry) Get(key, name string) (RegValue, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.values[regID(key, name)]
	return v, ok
}

type registrySetInput struct {
	Key   string `json:"key"`
	Name  string `json:"name"`
	Data  string `json:"data"`
	Kind  string `json:"kind"`
	Check bool   `json:"check"`
}

// RegistrySet emulates registry-set/1 (modules/registryset).
func (r *Registry) RegistrySet(input []byte, stdout io.Writer) int {
	var in registrySetInput
	if err := json.Unmarshal(input, &in); err != nil {
		return fail(stdout, "Invalid JSON primitive: "+err.Error())
	}
	old, existed := r.Get(in.Key, in.Name)
	want := in.Kind
	if want == "" {
		want = "String"
		if existed {
			want = old.Kind
		}
	}
	switch want {
	case "String", "ExpandString":
	case "DWord", "QWord":
		bits := 32
		if want == "QWord" {
			bits = 64
		}
		if _, err := strconv.ParseInt(in.Data, 10, bits); err != nil {
			return fail(stdout, `Cannot convert value "`+in.Data+`" to type "System.Int32".`)
		}
	default:
		return fail(stdout, "value kind "+want+" is not supported")
	}
	changed := !existed || old.Kind != want || old.Data != in.Data
	if changed && !in.Check {
		r.Set(in.Key, in.Name, RegValue{Kind: want, Data: in.Data})
	}
	reply(stdout, map[string]any{"existed": existed, "kind": old.Kind, "old": old.Data, "changed": changed})
	return 0
}

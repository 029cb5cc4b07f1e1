package modules

import (
	"fmt"
	"sort"
)

// Registry maps task keys to modules. It is built explicitly (no init()
// registration) so the set of modules a binary has is visible in one place.
type Registry struct {
	byName map[string]Module
}

// NewRegistry returns a registry of mods. It panics on a duplicate name,
// which is a programming error.
func NewRegistry(mods ...Module) *Registry {
	r := &Registry{byName: make(map[string]Module, len(mods))}
	for _, m := range mods {
		name := m.Info().Name
		if _, dup := r.byName[name]; dup {
			panic(fmt.Sprintf("modules: %q registered twice", name))
		}
		r.byName[name] = m
	}
	return r
}

// Lookup returns the module named name.
func (r *Registry) Lookup(name string) (Module, bool) {
	m, ok := r.byName[name]
	return m, ok
}

// Names returns the module names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.byName))
	for n := range r.byName {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

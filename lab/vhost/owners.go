package vhost

import (
	"strings"
	"sync"
)

// owner is a virtual uid and gid.
type owner struct{ uid, gid int }

// owners is a host's virtual ownership table, keyed by clean virtual path
// (the path of the entry itself, symlinks included). The real files all
// belong to the user running the lab, so ownership lives here. Entries
// absent from the table are owned by root, which is what the lab's own
// files are; only files given to someone else take memory.
type owners struct {
	mu sync.Mutex
	m  map[string]owner
}

func (o *owners) get(v string) owner {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.m[v]
}

func (o *owners) set(v string, ow owner) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if ow == (owner{}) {
		delete(o.m, v)
		return
	}
	if o.m == nil {
		o.m = map[string]owner{}
	}
	o.m[v] = ow
}

// remove forgets v and everything below it (rm -r).
func (o *owners) remove(v string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for p := range o.m {
		if under(p, v) {
			delete(o.m, p)
		}
	}
}

// move carries the owners of src and everything below it to dst (mv),
// replacing what dst had.
func (o *owners) move(src, dst string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for p := range o.m {
		if under(p, dst) {
			delete(o.m, p)
		}
	}
	moved := map[string]owner{}
	for p, ow := range o.m {
		if under(p, src) {
			delete(o.m, p)
			moved[dst+strings.TrimPrefix(p, src)] = ow
		}
	}
	for p, ow := range moved {
		o.m[p] = ow
	}
}

// under reports whether p is dir or inside it.
func under(p, dir string) bool {
	return p == dir || dir == "/" || strings.HasPrefix(p, dir+"/")
}

package inventory

import (
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
)

// parseYAML parses data into a node tree. It returns nil for an empty
// document, and a diag.List when the YAML itself is malformed.
func parseYAML(file string, data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		var errs diag.List
		errs.Add(diag.Pos{}, syntaxError(file, data, err))
		return nil, errs.Err()
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, nil
	}
	return resolve(doc.Content[0]), nil
}

// yamlLine matches the "line N: " yaml.v3 puts in front of messages it can
// place; it is the only position the library reports for syntax errors.
var yamlLine = regexp.MustCompile(`^line (\d+): `)

// syntaxError turns a yaml.v3 error into a diagnostic, moving the line the
// message mentions into the position.
func syntaxError(file string, data []byte, err error) *diag.Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	pos := diag.Pos{File: file}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		pos.Line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	e := diag.Errorf(pos, "invalid YAML: %s", msg)
	if pos.Line > 0 && strings.Contains(sourceLine(data, pos.Line), "\t") {
		return e.WithHint("indent with spaces: YAML does not allow tabs")
	}
	return e.WithHint("check the indentation and quoting on this line and the one before")
}

// sourceLine returns line n (1-based) of data, or "" if there is none.
func sourceLine(data []byte, n int) string {
	lines := strings.Split(string(data), "\n")
	if n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// resolve follows an alias to the node it names, so that anchors can be
// used anywhere in an inventory.
func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is absent or an explicit null, which Ansible
// accepts wherever a mapping may be empty ("hosts:" with nothing below).
func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// kindName describes a node's type in words a user knows.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return "the value " + strconv.Quote(n.Value)
	}
	return "nothing"
}

// pair is one key/value entry of a YAML mapping.
type pair struct{ key, value *yaml.Node }

// pairs returns the entries of the mapping n with aliases resolved. It
// reports keys that are not plain scalars and keys given twice, which YAML
// would otherwise let silently replace the first entry; both are skipped.
// mergeOK allows "<<" merge keys, which only make sense inside vars.
func (b *builder) pairs(n *yaml.Node, mergeOK bool) []pair {
	out := make([]pair, 0, len(n.Content)/2)
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := resolve(n.Content[i]), resolve(n.Content[i+1])
		if k.Kind != yaml.ScalarNode {
			b.errs.Addf(diag.At(b.file, k), "expected a name, got %s", kindName(k)).
				WithHint("keys must be plain names")
			continue
		}
		if k.ShortTag() == "!!null" {
			b.errs.Addf(diag.At(b.file, k), "missing name before %q", ":").
				WithHint("write a name, or quote it if it is literally %q", k.Value)
			continue
		}
		if k.ShortTag() == "!!merge" && !mergeOK {
			b.errs.Addf(diag.At(b.file, k), "merge key << is only allowed inside vars").
				WithHint("list the hosts or groups explicitly")
			continue
		}
		if prev, dup := first[k.Value]; dup {
			b.errs.Addf(diag.At(b.file, k), "duplicate key %q", k.Value).
				WithHint("it is already given at line %d; merge the two entries into one", prev.Line)
			continue
		}
		first[k.Value] = k
		out = append(out, pair{k, v})
	}
	return out
}

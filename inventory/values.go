package inventory

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/diag"
)

// vars decodes a vars mapping (of a group or a host) into plain Go values.
// owner names what the vars belong to, for messages. A null node is no vars.
func (b *builder) vars(n *yaml.Node, owner string) map[string]any {
	if isNull(n) {
		return map[string]any{}
	}
	if n.Kind != yaml.MappingNode {
		b.errs.Addf(diag.At(b.file, n), "%s: vars must be a mapping of name: value, got %s", owner, kindName(n)).
			WithHint("write each variable as \"name: value\" on its own line, indented below")
		return map[string]any{}
	}
	return b.mapping(n)
}

// value converts a node into string, int, float64, bool, nil, []any or
// map[string]any, so that callers never see YAML types. Timestamps stay
// strings, as they were written: Ansible templates treat them as text.
func (b *builder) value(n *yaml.Node) any {
	n = resolve(n)
	switch n.Kind {
	case yaml.MappingNode:
		return b.mapping(n)
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			out[i] = b.value(c)
		}
		return out
	}
	if n.ShortTag() == "!!timestamp" {
		return n.Value
	}
	var v any
	if err := n.Decode(&v); err != nil {
		b.errs.Addf(diag.At(b.file, n), "invalid value: %s", strings.TrimPrefix(err.Error(), "yaml: ")).
			WithHint("quote the value to make it a string")
	}
	return v
}

// mapping converts a mapping node. Keys are always strings, as written.
// YAML merge keys ("<<: *defaults") fill in keys the mapping does not set
// itself; among several merged mappings the first wins, as YAML specifies.
func (b *builder) mapping(n *yaml.Node) map[string]any {
	out := map[string]any{}
	var merges []*yaml.Node
	for _, p := range b.pairs(n, true) {
		if p.key.ShortTag() == "!!merge" {
			merges = append(merges, p.value)
			continue
		}
		out[p.key.Value] = b.value(p.value)
	}
	for _, m := range merges {
		for k, v := range b.mergeSource(m) {
			if _, set := out[k]; !set {
				out[k] = v
			}
		}
	}
	return out
}

// mergeSource returns the keys a "<<" entry brings in: one mapping or a
// list of them, earlier ones taking precedence.
func (b *builder) mergeSource(n *yaml.Node) map[string]any {
	if n.Kind == yaml.MappingNode {
		return b.mapping(n)
	}
	out := map[string]any{}
	if n.Kind != yaml.SequenceNode {
		b.errs.Addf(diag.At(b.file, n), "merge key << needs a mapping or a list of mappings, got %s", kindName(n)).
			WithHint("write <<: *anchor where the anchor names a mapping")
		return out
	}
	for i := len(n.Content) - 1; i >= 0; i-- {
		for k, v := range b.mergeSource(resolve(n.Content[i])) {
			out[k] = v
		}
	}
	return out
}

// clone copies a plain value deeply, so that hosts sharing group vars do
// not share maps and slices a caller might modify.
func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = clone(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = clone(e)
		}
		return out
	}
	return v
}

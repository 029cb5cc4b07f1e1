package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/alecthomas/kong"
)

// writeReference writes docs/reference.md: every command with its
// arguments and flags, and every module, generated from the CLI definition
// and the module registry so that it cannot drift (a test compares it).
func writeReference(w io.Writer, root *kong.Node) {
	fmt.Fprintln(w, "# Command and module reference")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Generated from rotplay's own definitions (`go test ./cmd/rotplay -update` rewrites it).")
	fmt.Fprintln(w, "Playbook keys and module arguments are described in [playbook.md](playbook.md).")
	for _, cmd := range root.Children {
		fmt.Fprintf(w, "\n## rotplay %s\n\n%s\n", cmd.Name, cmd.Help)
		if len(cmd.Positional) > 0 {
			fmt.Fprintln(w, "\n| argument | meaning |\n|---|---|")
			for _, p := range cmd.Positional {
				fmt.Fprintf(w, "| `%s` | %s |\n", p.Name, cell(p.Help))
			}
		}
		var rows []string
		for _, f := range cmd.Flags {
			if f.Hidden {
				continue
			}
			name := "`--" + f.Name + "`"
			if f.Short != 0 {
				name += ", `-" + string(f.Short) + "`"
			}
			def := ""
			if f.Default != "" {
				def = " Default: `" + f.Default + "`."
			}
			rows = append(rows, fmt.Sprintf("| %s | %s%s |", name, cell(f.Help), def))
		}
		if len(rows) > 0 {
			fmt.Fprintln(w, "\n| flag | meaning |\n|---|---|")
			fmt.Fprintln(w, strings.Join(rows, "\n"))
		}
	}
	fmt.Fprintln(w, "\n## Modules\n\n| module | what it does | where |\n|---|---|---|")
	reg := moduleRegistry("")
	for _, name := range reg.Names() {
		m, _ := reg.Lookup(name)
		where := "any host"
		if m.Info().Controller {
			where = "controller only"
		}
		fmt.Fprintf(w, "| `%s` | %s | %s |\n", name, cell(m.Info().Summary), where)
	}
}

func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "|", "\\|")
}

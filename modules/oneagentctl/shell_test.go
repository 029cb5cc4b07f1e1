package oneagentctl

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"

	"github.com/rotplay/rotplay/transport"
)

// program is a command a fake host can run: argv[0] is its path.
type program func(argv []string, stdout, stderr io.Writer) int

// shell runs a command line the way a host's POSIX sh would, for the few
// forms the module sends: simple commands, exec, `IFS= read -r VAR`,
// `a || b`, `{ ...; }`, echo with >&2, and exit N. Parsing and word
// expansion are mvdan.cc/sh's, so quoting is judged as sh judges it; any
// other form fails the test's command with exit 2, so the module cannot
// rely on what this fake does not model.
type shell struct {
	stdin       *bufio.Reader
	vars        []string // NAME=value pairs
	out, errOut bytes.Buffer
	run         program
	exited      bool
	code        int
}

// runShell runs line with stdin, running programs with run.
func runShell(line string, stdin []byte, run program) transport.Result {
	f, err := syntax.NewParser(syntax.Variant(syntax.LangPOSIX)).Parse(strings.NewReader(line), "")
	if err != nil {
		return transport.Result{ExitCode: 2, Stderr: []byte("sh: " + err.Error() + "\n")}
	}
	sh := &shell{stdin: bufio.NewReader(bytes.NewReader(stdin)), run: run}
	sh.stmts(f.Stmts)
	return transport.Result{ExitCode: sh.code, Stdout: sh.out.Bytes(), Stderr: sh.errOut.Bytes()}
}

func (sh *shell) stmts(list []*syntax.Stmt) {
	for _, st := range list {
		if sh.exited {
			return
		}
		sh.stmt(st)
	}
}

func (sh *shell) stmt(st *syntax.Stmt) {
	stdout := io.Writer(&sh.out)
	for _, r := range st.Redirs {
		if r.Op != syntax.DplOut || r.N != nil || r.Word.Lit() != "2" {
			sh.unsupported("redirection")
			return
		}
		stdout = &sh.errOut
	}
	switch c := st.Cmd.(type) {
	case *syntax.BinaryCmd:
		sh.stmt(c.X)
		if !sh.exited && ((c.Op == syntax.OrStmt && sh.code != 0) || (c.Op == syntax.AndStmt && sh.code == 0)) {
			sh.stmt(c.Y)
		}
	case *syntax.Block:
		sh.stmts(c.Stmts)
	case *syntax.CallExpr:
		sh.call(c, stdout)
	default:
		sh.unsupported(fmt.Sprintf("%T", c))
	}
}

func (sh *shell) call(c *syntax.CallExpr, stdout io.Writer) {
	argv, err := expand.Fields(&expand.Config{Env: expand.ListEnviron(sh.vars...)}, c.Args...)
	if err != nil || len(argv) == 0 {
		sh.unsupported(fmt.Sprintf("words %v", err))
		return
	}
	emptyIFS := len(c.Assigns) == 1 && c.Assigns[0].Name.Value == "IFS" && c.Assigns[0].Value == nil
	switch {
	case argv[0] == "read" && emptyIFS && len(argv) == 3 && argv[1] == "-r":
		line, err := sh.stdin.ReadString('\n')
		sh.vars = append(sh.vars, argv[2]+"="+strings.TrimSuffix(line, "\n"))
		sh.code = map[bool]int{true: 0, false: 1}[err == nil]
	case len(c.Assigns) != 0:
		sh.unsupported("assignment")
	case argv[0] == "echo":
		fmt.Fprintln(stdout, strings.Join(argv[1:], " "))
		sh.code = 0
	case argv[0] == "exit" && len(argv) == 2:
		sh.code, _ = strconv.Atoi(argv[1])
		sh.exited = true
	case argv[0] == "exec" && len(argv) > 1:
		sh.code = sh.run(argv[1:], &sh.out, &sh.errOut)
		sh.exited = true
	default:
		sh.code = sh.run(argv, &sh.out, &sh.errOut)
	}
}

func (sh *shell) unsupported(what string) {
	fmt.Fprintf(&sh.errOut, "fake sh: unsupported %s\n", what)
	sh.code, sh.exited = 2, true
}

package tmpl

import (
	"fmt"
	"os"
	"strings"
)

// EnvSecretLen is the length from which a value read with env() is treated
// as a secret: shorter values are ports, flags and names.
const EnvSecretLen = 8

// Funcs returns the functions expressions can call, bound to env (defined
// looks a name up in it). onSecret, if not nil, is told every value that
// must be redacted from output: values marked with secret(x), contents
// read with file(path), and values of EnvSecretLen characters or more read
// with env().
func Funcs(env Env, onSecret func(value string)) Env {
	if onSecret == nil {
		onSecret = func(string) {}
	}
	return Env{
		"env": func(args ...any) (any, error) {
			if len(args) < 1 || len(args) > 2 {
				return nil, fmt.Errorf("env takes a name and an optional default")
			}
			name, ok := args[0].(string)
			if !ok {
				return nil, fmt.Errorf("env: the name must be a string")
			}
			v, set := os.LookupEnv(name)
			if !set {
				if len(args) == 2 {
					return args[1], nil
				}
				return nil, fmt.Errorf("environment variable %s is not set (set it, or give a default: env(%q, \"...\"))", name, name)
			}
			if len(v) >= EnvSecretLen {
				onSecret(v)
			}
			return v, nil
		},
		"file": func(path string) (any, error) {
			b, err := os.ReadFile(path)
			if err != nil {
				return nil, fmt.Errorf("file(%q): %w", path, err)
			}
			// A file read this way holds a password or a token: trim the
			// final line break and never show it.
			v := strings.TrimRight(string(b), "\r\n")
			onSecret(v)
			return v, nil
		},
		"secret": func(v any) (any, error) {
			s, err := Stringify(v)
			if err != nil {
				return nil, fmt.Errorf("secret: %w", err)
			}
			onSecret(s)
			return v, nil
		},
		"defined": func(name string) bool {
			_, ok := env[name]
			return ok
		},
	}
}

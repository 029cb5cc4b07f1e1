package dynatrace

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strings"
)

// DefaultTokenEnv is the environment variable TokenFromEnvOrFile reads when
// given no name.
const DefaultTokenEnv = "DT_API_TOKEN"

// TokenFromEnvOrFile returns the API token from the environment variable
// envName (DefaultTokenEnv when ""), which wins when set and non-blank, else
// from file, trimmed. On Unix-like systems the file must not be accessible
// to group or others (mode 0600 or stricter): a token readable by other
// users is a leaked token. Errors say how to provide a token; they never
// contain its value.
func TokenFromEnvOrFile(envName, file string) (string, error) {
	if envName == "" {
		envName = DefaultTokenEnv
	}
	if v := strings.TrimSpace(os.Getenv(envName)); v != "" {
		return v, nil
	}
	if file == "" {
		return "", fmt.Errorf("no Dynatrace API token: set %s or give a token file (chmod 600) holding it", envName)
	}
	return tokenFromFile(envName, file)
}

func tokenFromFile(envName, file string) (string, error) {
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("no Dynatrace API token: %s is not set and the token file %s does not exist: set %s, or write the token to %s and chmod 600 it", envName, file, envName, file)
	}
	if err != nil {
		return "", fmt.Errorf("read token file: %w", err)
	}
	defer f.Close()
	// Stat the open file, not the path, so the check and the read see the
	// same file.
	info, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("read token file: %w", err)
	}
	if err := checkTokenFileMode(file, info); err != nil {
		return "", err
	}
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return "", fmt.Errorf("read token file: %w", err)
	}
	tok := strings.TrimSpace(string(data))
	if tok == "" {
		return "", fmt.Errorf("token file %s is empty: write the API token into it", file)
	}
	if strings.ContainsAny(tok, " \t\r\n") {
		return "", fmt.Errorf("token file %s holds more than one word: it must hold only the API token", file)
	}
	return tok, nil
}

func checkTokenFileMode(file string, info fs.FileInfo) error {
	if !info.Mode().IsRegular() {
		return fmt.Errorf("token file %s is not a regular file", file)
	}
	// Windows reports synthetic permission bits; its ACLs are not checked.
	if runtime.GOOS != "windows" && info.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("token file %s has mode %04o, so other users can read the token: run chmod 600 %s", file, info.Mode().Perm(), file)
	}
	return nil
}

package dtsim

import (
	"errors"
	"fmt"
	"io"
)

const (
	tokenAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	tokenLen      = 24 // documented examples have 20 alphanumeric characters
)

// makeToken draws a fresh tenant token that differs from every token this
// environment has used, so a predictable Rand cannot make start hand out
// the token in force. Callers hold s.mu or are still constructing s.
func (s *Simulator) makeToken() (string, error) {
	for range 8 {
		tok, err := randomToken(s.rand)
		if err != nil {
			return "", err
		}
		if !s.used(tok) {
			return tok, nil
		}
	}
	return "", errors.New("the random source keeps repeating tokens")
}

func (s *Simulator) used(tok string) bool {
	return tok == s.active || tok == s.old || s.retired[tok] || s.discarded[tok]
}

// randomToken draws tokenLen characters uniformly from tokenAlphabet,
// rejecting bytes that would bias the draw.
func randomToken(r io.Reader) (string, error) {
	const limit = 256 - 256%len(tokenAlphabet)
	out := make([]byte, 0, tokenLen)
	buf := make([]byte, tokenLen)
	for round := 0; len(out) < tokenLen; round++ {
		if round == 64 {
			return "", errors.New("the random source gives only rejected bytes")
		}
		if _, err := io.ReadFull(r, buf); err != nil {
			return "", fmt.Errorf("read random source: %w", err)
		}
		for _, b := range buf {
			if int(b) < limit && len(out) < tokenLen {
				out = append(out, tokenAlphabet[int(b)%len(tokenAlphabet)])
			}
		}
	}
	return string(out), nil
}

package inventory

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/rotplay/rotplay/diag"
)

// rangeLetters is the order of letter ranges, Python's string.ascii_letters
// as Ansible uses it: [a:F] runs through all lower-case letters, then A-F.
const rangeLetters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"

// maxRangeHosts bounds one range, so that a typo such as [1:1000000] is an
// error rather than a million hosts.
const maxRangeHosts = 100000

// expandHosts expands the host ranges in name, as Ansible does:
// "web[01:03].x" is web01.x, web02.x and web03.x. Several ranges multiply.
// A name without brackets is returned as is. The returned error has no
// position yet.
func expandHosts(name string) ([]string, *diag.Error) {
	names, msg := expand(name)
	if msg != "" {
		return nil, rangeError(name, msg)
	}
	return names, nil
}

// expand does the work of expandHosts, returning a message saying what is
// wrong instead of an error so that the whole name can be quoted in it.
func expand(name string) ([]string, string) {
	open := strings.IndexByte(name, '[')
	if open < 0 {
		if strings.Contains(name, "]") {
			return nil, "] without ["
		}
		return []string{name}, ""
	}
	end := strings.IndexByte(name[open:], ']')
	if end < 0 {
		return nil, "[ without ]"
	}
	end += open
	seq, msg := rangeSeq(name[open+1 : end])
	if msg != "" {
		return nil, msg
	}
	tails, msg := expand(name[end+1:])
	if msg != "" {
		return nil, msg
	}
	out := make([]string, 0, len(seq)*len(tails))
	for _, s := range seq {
		for _, t := range tails {
			out = append(out, name[:open]+s+t)
		}
	}
	return out, ""
}

func rangeError(name, msg string) *diag.Error {
	return diag.Errorf(diag.Pos{}, "bad host range in %q: %s", name, msg).
		WithHint("write a range as [begin:end] or [begin:end:step], e.g. web[01:10] or db[a:f]")
}

// rangeSeq returns the values of one range, given without its brackets, or
// a message saying what is wrong with it.
func rangeSeq(spec string) ([]string, string) {
	parts := strings.Split(spec, ":")
	if len(parts) != 2 && len(parts) != 3 {
		return nil, fmt.Sprintf("[%s] is not [begin:end] or [begin:end:step]", spec)
	}
	begin, end, step := parts[0], parts[1], 1
	if begin == "" {
		begin = "0" // Ansible's default: [:5] is [0:5]
	}
	if end == "" {
		return nil, fmt.Sprintf("[%s] has no end", spec)
	}
	if len(parts) == 3 {
		s, err := strconv.Atoi(parts[2])
		if err != nil || s < 1 {
			return nil, fmt.Sprintf("step %q is not a positive integer", parts[2])
		}
		step = s
	}
	if isLetter(begin) && isLetter(end) {
		return letterSeq(begin, end, step)
	}
	return numberSeq(begin, end, step)
}

func isLetter(s string) bool {
	return len(s) == 1 && strings.Contains(rangeLetters, s)
}

// letterSeq is a range of single letters.
func letterSeq(begin, end string, step int) ([]string, string) {
	b, e := strings.Index(rangeLetters, begin), strings.Index(rangeLetters, end)
	if b > e {
		return nil, fmt.Sprintf("begin %q comes after end %q", begin, end)
	}
	var out []string
	for i := b; i <= e; i += step {
		out = append(out, rangeLetters[i:i+1])
	}
	return out, ""
}

// numberSeq is a range of decimal numbers. A begin with a leading zero sets
// a fixed width, which end must have too, as in Ansible.
func numberSeq(begin, end string, step int) ([]string, string) {
	b, errB := strconv.ParseUint(begin, 10, 31)
	e, errE := strconv.ParseUint(end, 10, 31)
	if errB != nil || errE != nil {
		return nil, fmt.Sprintf("begin %q and end %q must both be numbers or both single letters", begin, end)
	}
	if b > e {
		return nil, fmt.Sprintf("begin %s comes after end %s", begin, end)
	}
	width := 0
	if len(begin) > 1 && begin[0] == '0' {
		if len(end) != len(begin) {
			return nil, fmt.Sprintf("zero-padded begin %q and end %q must have the same width", begin, end)
		}
		width = len(begin)
	}
	if (e-b)/uint64(step) >= maxRangeHosts {
		return nil, fmt.Sprintf("[%s:%s] has more than %d hosts", begin, end, maxRangeHosts)
	}
	var out []string
	for i := b; i <= e; i += uint64(step) {
		out = append(out, fmt.Sprintf("%0*d", width, i))
	}
	return out, ""
}

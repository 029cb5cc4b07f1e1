package powershell

import (
	"encoding/xml"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// clixmlHeader starts a block of serialized PowerShell records that
// powershell.exe writes to a redirected stderr: error records, and also
// progress records that are no error at all.
const clixmlHeader = "#< CLIXML"

// CleanStderr turns powershell.exe's stderr into plain text, as Ansible and
// pywinrm do: each `#< CLIXML` block is replaced by the text of its error
// records (<S S="Error">), progress and other records are dropped, and
// text outside the blocks is kept. A block that cannot be parsed is kept
// as it was, so nothing is lost.
func CleanStderr(s string) string {
	if !strings.Contains(s, clixmlHeader) {
		return s
	}
	var out strings.Builder
	for {
		before, rest, found := strings.Cut(s, clixmlHeader)
		out.WriteString(before)
		if !found {
			break
		}
		text, after, ok := parseBlock(rest)
		if !ok {
			out.WriteString(clixmlHeader)
			s = rest
			continue
		}
		out.WriteString(text)
		s = after
	}
	return out.String()
}

// parseBlock reads the <Objs> documents that follow a CLIXML header (there
// may be several, and even a repeated header, see ansible.windows#494) and
// returns their error text, with CR LF turned into LF, and what follows.
func parseBlock(s string) (text, rest string, ok bool) {
	s = strings.TrimLeft(s, "\r\n")
	if strings.HasPrefix(s, clixmlHeader) {
		return "", s, true // an empty block before the next one
	}
	docs := 0
	var b strings.Builder
	for strings.HasPrefix(s, "<Objs") {
		end := strings.Index(s, "</Objs>")
		if end < 0 {
			return "", "", false
		}
		doc := s[:end+len("</Objs>")]
		t, err := errorText(doc)
		if err != nil {
			return "", "", false
		}
		b.WriteString(t)
		docs++
		s = strings.TrimLeft(s[len(doc):], "\r\n")
	}
	return strings.ReplaceAll(b.String(), "\r\n", "\n"), s, docs > 0
}

// objs is the part of a CLIXML document that carries text: the top-level
// <S> elements, with their stream in the S attribute.
type objs struct {
	Strings []struct {
		Stream string `xml:"S,attr"`
		Text   string `xml:",chardata"`
	} `xml:"S"`
}

// errorText returns the decoded text of doc's error strings.
func errorText(doc string) (string, error) {
	var o objs
	if err := xml.Unmarshal([]byte(doc), &o); err != nil {
		return "", err
	}
	var b strings.Builder
	for _, s := range o.Strings {
		if s.Stream == "Error" {
			b.WriteString(unescapeCLIXML(s.Text))
		}
	}
	return b.String(), nil
}

// escapeRE matches CLIXML's escapes of characters XML cannot hold, such as
// _x000D__x000A_ for CR LF; a literal "_x" is itself escaped as _x005F_x.
var escapeRE = regexp.MustCompile(`_x([0-9A-Fa-f]{4})_`)

// unescapeCLIXML decodes the escapes, surrogate pairs included.
func unescapeCLIXML(s string) string {
	var units []uint16
	var out strings.Builder
	flush := func() {
		out.WriteString(string(utf16.Decode(units)))
		units = units[:0]
	}
	last := 0
	for _, m := range escapeRE.FindAllStringSubmatchIndex(s, -1) {
		if m[0] != last {
			flush()
			out.WriteString(s[last:m[0]])
		}
		u, _ := strconv.ParseUint(s[m[2]:m[3]], 16, 16)
		units = append(units, uint16(u))
		last = m[1]
	}
	flush()
	out.WriteString(s[last:])
	return out.String()
}

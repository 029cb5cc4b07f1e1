package filereplace

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// textEncoding says how a file's text is stored, so that an edited text is
// stored back exactly the same way.
type textEncoding int

const (
	// rawBytes is UTF-8 (or ASCII, or anything without a BOM). The text is
	// the file's bytes as they are, so bytes that are not valid UTF-8 pass
	// through edits untouched.
	rawBytes textEncoding = iota
	utf8BOM
	utf16LE
	utf16BE
)

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

func (e textEncoding) String() string {
	switch e {
	case utf8BOM:
		return "UTF-8 with BOM"
	case utf16LE:
		return "UTF-16LE"
	case utf16BE:
		return "UTF-16BE"
	}
	return "UTF-8"
}

func (e textEncoding) bom() []byte {
	switch e {
	case utf8BOM:
		return bomUTF8
	case utf16LE:
		return bomUTF16LE
	case utf16BE:
		return bomUTF16BE
	}
	return nil
}

// codec returns the UTF-16 codec, or nil for encodings stored as UTF-8
// bytes. The BOM is handled by the caller (IgnoreBOM), so that a U+FEFF
// inside the text stays a character and the BOM is written back exactly as
// it was read.
func (e textEncoding) codec() encoding.Encoding {
	switch e {
	case utf16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	case utf16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	}
	return nil
}

// detectEncoding recognises a file's encoding by its byte order mark.
// Without a BOM the file is taken as UTF-8 bytes.
func detectEncoding(data []byte) textEncoding {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return utf8BOM
	case bytes.HasPrefix(data, bomUTF16LE):
		return utf16LE
	case bytes.HasPrefix(data, bomUTF16BE):
		return utf16BE
	}
	return rawBytes
}

// decodeText returns data's text without its BOM, and its encoding.
//
// UTF-16 that would not survive a decode and re-encode unchanged (a lone
// surrogate, an odd number of bytes) is an error: the decoder would replace
// it with U+FFFD, and writing that back would corrupt the file.
func decodeText(data []byte) (string, textEncoding, error) {
	enc := detectEncoding(data)
	body := data[len(enc.bom()):]
	c := enc.codec()
	if c == nil {
		return string(body), enc, nil
	}
	text, err := c.NewDecoder().Bytes(body)
	if err != nil {
		return "", enc, fmt.Errorf("decode %s: %w", enc, err)
	}
	back, err := c.NewEncoder().Bytes(text)
	if err != nil || !bytes.Equal(back, body) {
		return "", enc, fmt.Errorf("file starts with a %s byte order mark but is not valid %s", enc, enc)
	}
	return string(text), enc, nil
}

// errNotUTF8 is returned when text to be stored as UTF-16 is not valid
// UTF-8: the encoder would store U+FFFD instead, and the next run would see
// a different value than the one written.
var errNotUTF8 = errors.New("the new text is not valid UTF-8, so it cannot be stored as UTF-16 unchanged")

// encodeText stores text in enc, with enc's BOM.
func encodeText(text string, enc textEncoding) ([]byte, error) {
	out := append([]byte(nil), enc.bom()...)
	c := enc.codec()
	if c == nil {
		return append(out, text...), nil
	}
	if !utf8.ValidString(text) {
		return nil, errNotUTF8
	}
	body, err := c.NewEncoder().Bytes([]byte(text))
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", enc, err)
	}
	return append(out, body...), nil
}

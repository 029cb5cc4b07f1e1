package filereplace

import (
	"bytes"
	"encoding/binary"
	"testing"
	"unicode/utf16"
)

// encodeUTF16 encodes s as UTF-16 with a BOM, independently of the code
// under test, so the tests do not check the codec against itself.
func encodeUTF16(s string, order binary.AppendByteOrder) []byte {
	var b []byte
	b = order.AppendUint16(b, 0xFEFF)
	for _, u := range utf16.Encode([]rune(s)) {
		b = order.AppendUint16(b, u)
	}
	return b
}

func TestDecodeEncodeText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
		enc  textEncoding
		text string
	}{
		{"empty", nil, rawBytes, ""},
		{"ascii", []byte("k=v\n"), rawBytes, "k=v\n"},
		{"invalid UTF-8 kept as bytes", []byte("a=\xff\xfe\x80\n"), rawBytes, "a=\xff\xfe\x80\n"},
		{"UTF-8 BOM", []byte("\xEF\xBB\xBFk=é\r\n"), utf8BOM, "k=é\r\n"},
		{"UTF-8 BOM only", []byte("\xEF\xBB\xBF"), utf8BOM, ""},
		{"UTF-16LE", encodeUTF16("k = v€\r\n[e]\r\n", binary.LittleEndian), utf16LE, "k = v€\r\n[e]\r\n"},
		{"UTF-16BE", encodeUTF16("k v😀\n", binary.BigEndian), utf16BE, "k v😀\n"},
		{"UTF-16LE with U+FEFF in the text", encodeUTF16("\uFEFFk=v", binary.LittleEndian), utf16LE, "\uFEFFk=v"},
		{"UTF-16LE BOM only", []byte{0xFF, 0xFE}, utf16LE, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			text, enc, err := decodeText(tt.data)
			if err != nil {
				t.Fatalf("decodeText: %v", err)
			}
			if text != tt.text || enc != tt.enc {
				t.Errorf("decodeText = %q, %v, want %q, %v", text, enc, tt.text, tt.enc)
			}
			back, err := encodeText(text, enc)
			if err != nil {
				t.Fatalf("encodeText: %v", err)
			}
			if !bytes.Equal(back, tt.data) {
				t.Errorf("encodeText(decodeText(%x)) = %x", tt.data, back)
			}
		})
	}
}

func TestDecodeTextRejectsLossyUTF16(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		data []byte
	}{
		{"odd length", append(encodeUTF16("k=v", binary.LittleEndian), 'x')},
		{"lone high surrogate", append(encodeUTF16("k=", binary.LittleEndian), 0x00, 0xD8, 'v', 0)},
		{"lone low surrogate BE", append(encodeUTF16("k=", binary.BigEndian), 0xDC, 0x00)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := decodeText(tt.data)
			if err == nil {
				t.Fatalf("decodeText(%x) succeeded, want an error: the file cannot be written back unchanged", tt.data)
			}
		})
	}
}

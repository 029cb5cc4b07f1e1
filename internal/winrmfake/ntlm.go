package winrmfake

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"strings"
	"time"
	"unicode/utf16"

	"golang.org/x/crypto/md4"
)

// The server side of NTLMv2 (MS-NLMP): a CHALLENGE for a NEGOTIATE, and
// the check of the AUTHENTICATE that answers it. Only what NTLMv2
// authentication needs: no signing or sealing, no NTLMv1, no MIC check.

const (
	ntlmSignature = "NTLMSSP\x00"

	flagUnicode          = 1 << 0
	flagRequestTarget    = 1 << 2
	flagNTLM             = 1 << 9
	flagAlwaysSign       = 1 << 15
	flagTargetTypeDomain = 1 << 16
	flagExtendedSecurity = 1 << 19
	flagTargetInfo       = 1 << 23
	flagVersion          = 1 << 25
	flag128              = 1 << 29
	flag56               = 1 << 31

	// challengeFlags are what a Windows server answers a modern client
	// with, minus key exchange (which go-ntlmssp refuses).
	challengeFlags = flagUnicode | flagRequestTarget | flagNTLM | flagAlwaysSign | flagTargetTypeDomain |
		flagExtendedSecurity | flagTargetInfo | flagVersion | flag128 | flag56
)

// AV pair IDs of the target info.
const (
	avEOL            = 0
	avNbComputerName = 1
	avNbDomainName   = 2
	avDNSComputer    = 3
	avDNSDomain      = 4
	avTimestamp      = 7
)

// ntlmMessageType returns the type (1, 2 or 3) of an NTLMSSP message, or 0.
func ntlmMessageType(msg []byte) uint32 {
	if len(msg) < 12 || string(msg[:8]) != ntlmSignature {
		return 0
	}
	return binary.LittleEndian.Uint32(msg[8:12])
}

// newChallenge returns a CHALLENGE message from computer for target (its
// domain, or itself on a workgroup host) and the random server challenge
// in it.
func newChallenge(computer, target string) (msg []byte, challenge [8]byte) {
	_, _ = rand.Read(challenge[:])
	name := utf16le(target)
	info := targetInfo(computer, target)
	const fixed = 56 // header with version
	var b bytes.Buffer
	b.WriteString(ntlmSignature)
	le32(&b, 2)
	varField(&b, len(name), fixed)
	le32(&b, challengeFlags)
	b.Write(challenge[:])
	b.Write(make([]byte, 8)) // reserved
	varField(&b, len(info), fixed+len(name))
	b.Write([]byte{10, 0, 0x61, 0x4a, 0, 0, 0, 15}) // version 10.0.19041, NTLM revision 15
	b.Write(name)
	b.Write(info)
	return b.Bytes(), challenge
}

// targetInfo is the AV pair list of host computer in domain.
func targetInfo(computer, domain string) []byte {
	var b bytes.Buffer
	pair := func(id uint16, v []byte) {
		le16(&b, id)
		le16(&b, uint16(len(v)))
		b.Write(v)
	}
	pair(avNbDomainName, utf16le(domain))
	pair(avNbComputerName, utf16le(computer))
	pair(avDNSDomain, utf16le(strings.ToLower(domain)))
	pair(avDNSComputer, utf16le(strings.ToLower(computer)))
	ts := make([]byte, 8)
	binary.LittleEndian.PutUint64(ts, uint64(time.Now().UnixNano()/100)+116444736000000000)
	pair(avTimestamp, ts)
	pair(avEOL, nil)
	return b.Bytes()
}

// authenticateMessage is what the server needs of an AUTHENTICATE.
type authenticateMessage struct {
	domain, user string
	ntResponse   []byte
}

var errBadNTLM = errors.New("malformed NTLM message")

// parseAuthenticate reads an AUTHENTICATE message (Unicode only).
func parseAuthenticate(msg []byte) (authenticateMessage, error) {
	if ntlmMessageType(msg) != 3 || len(msg) < 64 {
		return authenticateMessage{}, errBadNTLM
	}
	flags := binary.LittleEndian.Uint32(msg[60:64])
	if flags&flagUnicode == 0 {
		return authenticateMessage{}, errors.New("NTLM: only Unicode is supported")
	}
	nt, err1 := field(msg, 20)
	domain, err2 := field(msg, 28)
	user, err3 := field(msg, 36)
	if err := errors.Join(err1, err2, err3); err != nil || len(domain)%2 != 0 || len(user)%2 != 0 {
		return authenticateMessage{}, errBadNTLM
	}
	return authenticateMessage{domain: fromUTF16le(domain), user: fromUTF16le(user), ntResponse: nt}, nil
}

// verifyNTLMv2 checks the NTLMv2 response of m to challenge against
// password: NTProofStr = HMAC-MD5(NTOWFv2, challenge || blob), where
// NTOWFv2 = HMAC-MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPER(user) || domain)).
func verifyNTLMv2(m authenticateMessage, challenge [8]byte, password string) bool {
	// 16 bytes of proof, then the blob: 0x0101, reserved, timestamp,
	// client challenge, reserved, target info. NTLMv1's 24 bytes fail here.
	if len(m.ntResponse) < 16+28 || m.ntResponse[16] != 1 || m.ntResponse[17] != 1 {
		return false
	}
	h := md4.New()
	h.Write(utf16le(password))
	key := hmacMD5(h.Sum(nil), utf16le(strings.ToUpper(m.user)+m.domain))
	proof := hmacMD5(key, challenge[:], m.ntResponse[16:])
	return hmac.Equal(proof, m.ntResponse[:16])
}

func hmacMD5(key []byte, data ...[]byte) []byte {
	mac := hmac.New(md5.New, key)
	for _, d := range data {
		mac.Write(d)
	}
	return mac.Sum(nil)
}

// field returns the payload of the variable field whose descriptor (length,
// max length, offset) starts at off.
func field(msg []byte, off int) ([]byte, error) {
	n := int(binary.LittleEndian.Uint16(msg[off:]))
	start := int(binary.LittleEndian.Uint32(msg[off+4:]))
	if start > len(msg) || n > len(msg)-start {
		return nil, errBadNTLM
	}
	return msg[start : start+n], nil
}

func varField(b *bytes.Buffer, n, offset int) {
	le16(b, uint16(n))
	le16(b, uint16(n))
	le32(b, uint32(offset))
}

func le16(b *bytes.Buffer, v uint16) { _ = binary.Write(b, binary.LittleEndian, v) }
func le32(b *bytes.Buffer, v uint32) { _ = binary.Write(b, binary.LittleEndian, v) }

func utf16le(s string) []byte {
	units := utf16.Encode([]rune(s))
	out := make([]byte, 2*len(units))
	for i, u := range units {
		binary.LittleEndian.PutUint16(out[2*i:], u)
	}
	return out
}

func fromUTF16le(b []byte) string {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = binary.LittleEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(units))
}

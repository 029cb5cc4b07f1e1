package winrmfake

import (
	"bytes"
	"crypto/rand"
	"encoding/xml"
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Namespaces and URIs of the Windows Remote Shell protocol (MS-WSMV).
const (
	nsSOAP       = "http://www.w3.org/2003/05/soap-envelope"
	nsAddressing = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	nsWSMan      = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd"
	nsShell      = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell"

	shellResourceURI = "http://schemas.microsoft.com/wbem/wsman/1/windows/shell/cmd"
	anonymous        = "http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous"
	stateRunning     = nsShell + "/CommandState/Running"
	stateDone        = nsShell + "/CommandState/Done"
	signalTerminate  = nsShell + "/signal/terminate"
	signalCtrlC      = nsShell + "/signal/ctrl_c"
)

// Action names a WS-Management request the fake serves.
type Action string

// The actions, by the short names used in faults and records.
const (
	ActionCreate  Action = "Create"
	ActionCommand Action = "Command"
	ActionSend    Action = "Send"
	ActionReceive Action = "Receive"
	ActionSignal  Action = "Signal"
	ActionDelete  Action = "Delete"
)

// actionURIs maps the a:Action URIs to actions, and answerURIs the actions
// to the a:Action of their answers.
var (
	actionURIs = map[string]Action{
		"http://schemas.xmlsoap.org/ws/2004/09/transfer/Create": ActionCreate,
		nsShell + "/Command": ActionCommand,
		nsShell + "/Send":    ActionSend,
		nsShell + "/Receive": ActionReceive,
		nsShell + "/Signal":  ActionSignal,
		"http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete": ActionDelete,
	}
	answerURIs = map[Action]string{
		ActionCreate:  "http://schemas.xmlsoap.org/ws/2004/09/transfer/CreateResponse",
		ActionCommand: nsShell + "/CommandResponse",
		ActionSend:    nsShell + "/SendResponse",
		ActionReceive: nsShell + "/ReceiveResponse",
		ActionSignal:  nsShell + "/SignalResponse",
		ActionDelete:  "http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse",
	}
)

// envelope is the part of a request envelope the fake reads.
type envelope struct {
	Header struct {
		Action           string `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing Action"`
		MessageID        string `xml:"http://schemas.xmlsoap.org/ws/2004/08/addressing MessageID"`
		ResourceURI      string `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd ResourceURI"`
		OperationTimeout string `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd OperationTimeout"`
		MaxEnvelopeSize  string `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd MaxEnvelopeSize"`
		SelectorSet      struct {
			Selectors []nameValue `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd Selector"`
		} `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd SelectorSet"`
		OptionSet struct {
			Options []nameValue `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd Option"`
		} `xml:"http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd OptionSet"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Header"`
	Body struct {
		CommandLine *struct {
			Command   string   `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Command"`
			Arguments []string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Arguments"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell CommandLine"`
		Send *struct {
			Streams []struct {
				Name      string `xml:"Name,attr"`
				CommandID string `xml:"CommandId,attr"`
				End       string `xml:"End,attr"`
				Data      string `xml:",chardata"`
			} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Stream"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Send"`
		Receive *struct {
			DesiredStream struct {
				CommandID string `xml:"CommandId,attr"`
			} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell DesiredStream"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Receive"`
		Signal *struct {
			CommandID string `xml:"CommandId,attr"`
			Code      string `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Code"`
		} `xml:"http://schemas.microsoft.com/wbem/wsman/1/windows/shell Signal"`
	} `xml:"http://www.w3.org/2003/05/soap-envelope Body"`
}

type nameValue struct {
	Name  string `xml:"Name,attr"`
	Value string `xml:",chardata"`
}

func (e *envelope) selector(name string) string {
	for _, s := range e.Header.SelectorSet.Selectors {
		if s.Name == name {
			return s.Value
		}
	}
	return ""
}

func (e *envelope) options() map[string]string {
	m := map[string]string{}
	for _, o := range e.Header.OptionSet.Options {
		m[o.Name] = o.Value
	}
	return m
}

// operationTimeout is the request's w:OperationTimeout, default 60s.
func (e *envelope) operationTimeout() time.Duration {
	if d, ok := parseDuration(e.Header.OperationTimeout); ok {
		return d
	}
	return 60 * time.Second
}

// durationRE matches the xs:duration forms WS-Management clients send:
// PT60S, PT0.5S, PT1M30S, PT1H.
var durationRE = regexp.MustCompile(`^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$`)

func parseDuration(s string) (time.Duration, bool) {
	m := durationRE.FindStringSubmatch(s)
	if m == nil || s == "PT" {
		return 0, false
	}
	h, _ := strconv.Atoi("0" + m[1])
	min, _ := strconv.Atoi("0" + m[2])
	sec, _ := strconv.ParseFloat("0"+m[3], 64)
	return time.Duration(h)*time.Hour + time.Duration(min)*time.Minute + time.Duration(sec*float64(time.Second)), true
}

// answer is a response envelope for a request whose MessageID is relatesTo.
func answer(actionURI, relatesTo, body string) []byte {
	var b bytes.Buffer
	b.WriteString(`<s:Envelope xml:lang="en-US" xmlns:s="` + nsSOAP + `" xmlns:a="` + nsAddressing +
		`" xmlns:x="http://schemas.xmlsoap.org/ws/2004/09/transfer" xmlns:w="` + nsWSMan +
		`" xmlns:rsp="` + nsShell + `" xmlns:p="http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd"><s:Header>`)
	fmt.Fprintf(&b, "<a:Action>%s</a:Action><a:MessageID>%s</a:MessageID><a:To>%s</a:To><a:RelatesTo>%s</a:RelatesTo>",
		esc(actionURI), newUUID(), anonymous, esc(relatesTo))
	b.WriteString("</s:Header><s:Body>" + body + "</s:Body></s:Envelope>")
	return b.Bytes()
}

// esc escapes s for XML text and attribute values.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// newUUID is a random "uuid:..." as WS-Addressing message IDs are spelt.
func newUUID() string { return "uuid:" + newID() }

// newID is a random upper-case UUID, as Windows spells shell and command IDs.
func newID() string {
	var u [16]byte
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%X-%X-%X-%X-%X", u[0:4], u[4:6], u[6:8], u[8:10], u[10:])
}

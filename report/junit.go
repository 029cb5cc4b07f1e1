package report

import (
	"encoding/xml"
	"fmt"
	"time"

	"github.com/rotplay/rotplay/engine"
	"github.com/rotplay/rotplay/secret"
)

// The JUnit XML schema as CI systems (Jenkins, GitLab, GitHub actions)
// read it: one testsuite per phase, one testcase per host and task.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string      `xml:"name,attr"`
	Tests     int         `xml:"tests,attr"`
	Failures  int         `xml:"failures,attr"`
	Skipped   int         `xml:"skipped,attr"`
	Time      string      `xml:"time,attr"`
	Timestamp string      `xml:"timestamp,attr,omitempty"`
	Cases     []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure"`
	Skipped   *junitMessage `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// JUnit writes a JUnit XML report of a run to a file when the run ends.
type JUnit struct{ fileReport }

var _ engine.Observer = (*JUnit)(nil)

// NewJUnit returns an observer that writes the JUnit XML report of a run
// of plan to file, atomically and with mode 0600, on the run's last event.
// Failed and unreachable are failures, skipped and dropped are skipped.
// secrets (may be nil) redacts every text once more at write time.
func NewJUnit(file string, plan *engine.Plan, secrets *secret.Redactor) *JUnit {
	j := &JUnit{fileReport{file: file, plan: plan, secrets: secrets}}
	j.encode = j.encodeXML
	return j
}

func (j *JUnit) encodeXML() ([]byte, error) {
	b, err := xml.MarshalIndent(j.suites(), "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode the JUnit report: %w", err)
	}
	return append([]byte(xml.Header), append(b, '\n')...), nil
}

func (j *JUnit) suites() *junitSuites {
	out := &junitSuites{Name: "rotplay"}
	if j.plan != nil && j.plan.Name != "" {
		out.Name = j.plan.Name
	}
	if j.rec.recap != nil {
		out.Time = seconds(j.rec.recap.Duration)
	}
	for _, p := range j.rec.phases {
		s := j.suite(p)
		out.Tests, out.Failures, out.Skipped = out.Tests+s.Tests, out.Failures+s.Failures, out.Skipped+s.Skipped
		out.Suites = append(out.Suites, s)
	}
	return out
}

func (j *JUnit) suite(p *phaseRecord) junitSuite {
	s := junitSuite{Name: fmt.Sprintf("%d %s", p.phase.Index, p.phase.Name), Time: seconds(p.duration)}
	if !p.started.IsZero() {
		s.Timestamp = p.started.UTC().Format("2006-01-02T15:04:05")
	}
	for _, h := range p.hosts {
		if why, ok := p.dropped[h]; ok {
			for _, t := range p.phase.Tasks {
				s.Cases = append(s.Cases, junitCase{Name: h + " | " + t.Title(), Classname: s.Name, Time: seconds(0),
					Skipped: &junitMessage{Message: j.secrets.Redact(why)}})
			}
			continue
		}
		for _, t := range p.results[h] {
			s.Cases = append(s.Cases, j.testcase(s.Name, h, t))
		}
	}
	for _, c := range s.Cases {
		s.Tests++
		if c.Failure != nil {
			s.Failures++
		}
		if c.Skipped != nil {
			s.Skipped++
		}
	}
	return s
}

func (j *JUnit) testcase(suite, host string, t taskResult) junitCase {
	msg := j.secrets.Redact(t.msg)
	c := junitCase{Name: host + " | " + t.title(), Classname: suite, Time: seconds(t.duration)}
	switch t.status {
	case engine.StatusFailed, engine.StatusUnreachable:
		c.Failure = &junitMessage{Message: firstLine(msg), Type: string(t.status), Text: msg}
	case engine.StatusSkipped:
		c.Skipped = &junitMessage{Message: firstLine(msg)}
	default:
		c.SystemOut = msg
	}
	return c
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }

func firstLine(s string) string {
	for i, r := range s {
		if r == '\n' || r == '\r' {
			return s[:i]
		}
	}
	return s
}

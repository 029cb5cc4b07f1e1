package powershell

import "testing"

func TestParseScript(t *testing.T) {
	t.Parallel()
	s, err := ParseScript("# rotplay-script: read-file/12\n$x = 1\n")
	if err != nil || s.Name != "read-file" || s.Version != "12" || s.ID() != "read-file/12" {
		t.Errorf("ParseScript = %+v, %v", s, err)
	}
	for _, bad := range []string{
		"",
		"$x = 1",
		"# rotplay-script: Read/1\n",     // upper case
		"# rotplay-script: read\n",       // no version
		"# rotplay-script: read/1\r\n",   // CRLF checkout
		"# rotplay-script: read/1.0\n",   // not digits
		" # rotplay-script: read/1\n",    // not the very start
		"\n# rotplay-script: read/1\n",   // not the first line
		"# rotplay-script: read/1 x\n",   // trailing text
		"#rotplay-script: read/1\n",      // no space
		"# rotplay-script:  read/1\n",    // two spaces
		"# rotplay-script: 1read/1\n",    // name starts with a digit
		"# rotplay-script: read/\n",      // empty version
		"# rotplay-script: /1\n",         // empty name
		"# ROTPLAY-SCRIPT: read/1\n",     // case matters
		"<# rotplay-script: read/1 #>\n", // block comment
	} {
		if s, err := ParseScript(bad); err == nil {
			t.Errorf("ParseScript(%q) = %+v, want an error", bad, s)
		}
	}
}

func TestMustScriptPanics(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("MustScript without a marker did not panic")
		}
	}()
	MustScript("exit 0\n")
}

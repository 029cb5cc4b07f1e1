package transport

import "testing"

func TestParseBool(t *testing.T) {
	t.Parallel()
	for v, want := range map[any]bool{true: true, false: false, "yes": true, "no": false, "true": true,
		"false": false, "True": true, "False": false, "on": true, "off": false, "1": true, "0": false, 2: true, 0: false} {
		if got, err := ParseBool(v); err != nil || got != want {
			t.Errorf("ParseBool(%#v) = %v, %v; want %v", v, got, err, want)
		}
	}
	for _, v := range []any{"maybe", "", 1.5, nil} {
		if _, err := ParseBool(v); err == nil {
			t.Errorf("ParseBool(%#v) accepted", v)
		}
	}
}

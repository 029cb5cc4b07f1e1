package dynatrace

import (
	"fmt"
	"strings"
	"testing"
)

func TestNewURLForms(t *testing.T) {
	t.Parallel()
	tests := []struct {
		url     string
		want    string // normalised URL; "" when New must fail
		wantErr string
	}{
		{url: "https://abc12345.live.dynatrace.com", want: "https://abc12345.live.dynatrace.com"},
		{url: "https://abc12345.live.dynatrace.com/", want: "https://abc12345.live.dynatrace.com"},
		{url: " https://dt.example.com/e/0b3c9f2e-1111-2222-3333-444455556666/ ", want: "https://dt.example.com/e/0b3c9f2e-1111-2222-3333-444455556666"},
		{url: "https://ag.example.com:9999/e/abc12345", want: "https://ag.example.com:9999/e/abc12345"},
		{url: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080"},
		{url: "http://[::1]:8080/e/lab00001/", want: "http://[::1]:8080/e/lab00001"},
		{url: "http://localhost:8080", want: "http://localhost:8080"},
		{url: "http://abc12345.live.dynatrace.com", wantErr: "TLS is required"},
		{url: "http://10.0.0.1:9999/e/abc", wantErr: "TLS is required"},
		{url: "ftp://abc12345.live.dynatrace.com", wantErr: "https://{host}/e/{env-id} (Managed)"},
		{url: "", wantErr: "no environment URL"},
		{url: "abc12345.live.dynatrace.com", wantErr: "not an absolute URL"},
		{url: "https://abc12345.live.dynatrace.com/api/v2", wantErr: `drop the API part "/api/v2"`},
		{url: "https://dt.example.com/e/abc/api/v2/", wantErr: "drop the API part"},
		{url: "https://dt.example.com/e/", wantErr: "https://{activegate}:9999/e/{env-id} (ActiveGate)"},
		{url: "https://dt.example.com/x/abc", wantErr: "has path"},
		{url: "https://abc12345.live.dynatrace.com?x=1", wantErr: "query or fragment"},
		{url: "https://abc12345.apps.dynatrace.com", wantErr: "live.dynatrace.com"},
		{url: "https://user:hunter2@abc12345.live.dynatrace.com", wantErr: "must not contain credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			t.Parallel()
			c, err := New(Config{URL: tt.url, Token: testToken})
			if tt.want != "" {
				if err != nil || c.EnvironmentURL() != tt.want {
					t.Fatalf("New: %v, URL %v; want %q", err, c, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err %v, want one containing %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), testToken) {
				t.Fatalf("error leaks a secret: %v", err)
			}
		})
	}
}

func TestNewRejectsBadTokens(t *testing.T) {
	t.Parallel()
	tests := []struct{ token, wantErr string }{
		{"", "no API token"},
		{"dt0c01.abc def", "whitespace"},
		{"dt0c01.abc\n", "whitespace"},
	}
	for _, tt := range tests {
		_, err := New(Config{URL: "https://abc12345.live.dynatrace.com", Token: tt.token})
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("token %q: err %v, want %q", tt.token, err, tt.wantErr)
		}
		assertNoSecret(t, err, strings.TrimSpace(tt.token))
	}
}

func TestConfigStringHidesToken(t *testing.T) {
	t.Parallel()
	cfg := Config{URL: "https://abc12345.live.dynatrace.com", Token: testToken}
	shown := []string{fmt.Sprintf("%v %+v %#v", cfg, cfg, cfg), fmt.Sprintf("%v %#v", Tokens{Active: testToken}, Tokens{Old: testToken}),
		fmt.Sprint(ConnectionInfo{TenantToken: testToken})}
	for _, s := range shown {
		if strings.Contains(s, testToken) || strings.Contains(s, "secretpart") {
			t.Fatalf("%q leaks the token", s)
		}
	}
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/rotplay/rotplay/dynatrace"
)

// inventoryCmd groups the inventory helpers.
type inventoryCmd struct {
	Discover discoverCmd `cmd:"" help:"Write an Ansible YAML inventory of the OneAgent hosts and ActiveGates the API knows."`
}

// discoverCmd builds an inventory from the API's host lists.
type discoverCmd struct {
	Environment  string `required:"" help:"The environment URL, e.g. https://abc12345.live.dynatrace.com." placeholder:"URL"`
	APITokenFile string `name:"api-token-file" help:"File holding the API token (chmod 600); $DT_API_TOKEN wins when set. Needs oneAgents.read and activeGates.read; InstallerDownload adds dt_tenant." placeholder:"FILE"`
	CAFile       string `name:"ca-file" help:"PEM bundle for an environment with a private CA." placeholder:"FILE"`
	Out          string `short:"o" name:"output" help:"Write the inventory to FILE (atomically) instead of stdout." placeholder:"FILE"`
}

// discovered is one inventory host found in the API.
type discovered struct {
	name    string
	id      string
	os      string // "windows", "linux", ...: the API's osType in lower case; "" when it gives none
	comment string
}

// Run reads the lists and writes the inventory.
func (c *discoverCmd) Run(e *env) error {
	client, err := newAPIClient(c.Environment, func() (string, error) {
		return dynatrace.TokenFromEnvOrFile("", c.APITokenFile)
	}, c.CAFile)
	if err != nil {
		return &usageError{err}
	}
	oas, ags, tenant, err := discover(e.ctx, client, e)
	if err != nil {
		return err
	}
	data, err := inventoryYAML(client.EnvironmentURL(), tenant, ags, oas)
	if err != nil {
		return err
	}
	if c.Out == "" {
		_, err = e.stdout.Write(data)
		return err
	}
	return writeFileAtomic(c.Out, data)
}

// discover reads both lists and, when the token may, the tenant UUID.
func discover(ctx context.Context, client *dynatrace.Client, e *env) (oas, ags []discovered, tenant string, err error) {
	hosts, err := client.OneAgents(ctx, time.Time{})
	if err != nil {
		return nil, nil, "", fmt.Errorf("discover: %w", err)
	}
	gates, err := client.ActiveGates(ctx)
	if err != nil {
		return nil, nil, "", fmt.Errorf("discover: %w", err)
	}
	if ci, err := client.ConnectionInfo(ctx); err == nil {
		tenant = ci.TenantUUID
	} else {
		fmt.Fprintf(e.stderr, "rotplay: dt_tenant left out, set it by hand: %v\n", err)
	}
	for _, h := range hosts {
		oas = append(oas, discovered{name: preferFQDN(h.DiscoveredName, h.DisplayName, h.EntityID), id: h.EntityID,
			os: strings.ToLower(h.OSType), comment: "availability " + strings.ToLower(h.AvailabilityState)})
	}
	for _, g := range gates {
		state := "online"
		if !g.Online() {
			state = "offline"
		}
		ags = append(ags, discovered{name: preferFQDN(g.Hostname, g.ID), id: g.ID, os: strings.ToLower(g.OSType), comment: state})
	}
	return dedupe(oas), dedupe(ags), tenant, nil
}

// preferFQDN picks the first name with a dot, else the first non-empty.
func preferFQDN(names ...string) string {
	for _, n := range names {
		if n = strings.TrimSuffix(strings.TrimSpace(n), "."); strings.Contains(n, ".") {
			return n
		}
	}
	for _, n := range names {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return ""
}

// dedupe keeps the first entry of each name; the others' IDs go in its
// comment, so two entities sharing a host name stay visible.
func dedupe(in []discovered) []discovered {
	var out []discovered
	for _, d := range in {
		i := slices.IndexFunc(out, func(o discovered) bool { return strings.EqualFold(o.name, d.name) })
		if i < 0 {
			out = append(out, d)
			continue
		}
		out[i].comment += ", also " + d.id
	}
	return out
}

// inventoryYAML renders the inventory: all vars, then the activegates and
// oneagents groups, a comment above each host with its ID and OS.
func inventoryYAML(url, tenant string, ags, oas []discovered) ([]byte, error) {
	vars := mapping("dt_environment_url", scalar(url))
	if tenant != "" {
		vars.Content = append(vars.Content, scalar("dt_tenant"), scalar(tenant))
	}
	children := mapping("activegates", group(ags), "oneagents", group(oas))
	root := mapping("all", mapping("vars", vars, "children", children))
	root.HeadComment = "Discovered by rotplay inventory discover from " + url + ".\n" +
		"Check the names: each must be how rotplay reaches the host (or set ansible_host)."
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, err
	}
	return b.Bytes(), enc.Close()
}

func group(hosts []discovered) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for _, h := range hosts {
		os := h.os
		if os == "" {
			os = "unknown"
		}
		key := scalar(h.name)
		key.HeadComment = fmt.Sprintf("%s, os %s, %s", h.id, os, h.comment)
		val := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		if h.os == "windows" {
			val = mapping("os", scalar("windows"), "ansible_connection", scalar("winrm"))
		}
		m.Content = append(m.Content, key, val)
	}
	return mapping("hosts", m)
}

func mapping(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Content = append(m.Content, scalar(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return m
}

func scalar(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// writeFileAtomic writes data to a temporary file beside path and renames
// it into place, so a reader never sees half an inventory.
func writeFileAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write inventory: %w", err)
	}
	defer os.Remove(f.Name()) // after a successful rename, there is nothing left to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("write inventory: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("write inventory: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write inventory: %w", err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("write inventory: %w", err)
	}
	return nil
}

// Help is shown by `rotplay inventory discover --help`.
func (c *discoverCmd) Help() string {
	return `Lists the OneAgent hosts (last 72 hours, every page) and the ActiveGates of the
environment and writes them as an Ansible YAML inventory: groups activegates and
oneagents, FQDN host names where the API has them, a comment with each entity ID,
and all vars dt_environment_url and dt_tenant. Review it before use: a host name
must be one rotplay can reach. No token is ever printed.

Example:
  DT_API_TOKEN=... rotplay inventory discover --environment https://abc12345.live.dynatrace.com -o hosts.yaml`
}

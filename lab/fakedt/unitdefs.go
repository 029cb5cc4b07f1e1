package fakedt

import "fmt"

var gatewayUnit = &unit{
	name:        "dynatracegateway",
	description: "Dynatrace ActiveGate",
	installed:   gatewayInstalledPath,
	connections: gatewayConnections,
	components: func(s *session) []string {
		c := []string{"activegate"}
		if exists(s, RemotePluginRuxitAgentConfPath) {
			c = append(c, "remoteplugin")
		}
		if exists(s, RemotePluginExtensionsConfPath) {
			c = append(c, "extensions")
		}
		return c
	},
}

// gatewayConnections reads authorization.properties, which must parse, and
// the remote plugin module's files where present. A module whose file has
// no token line does not connect; the gateway itself still starts.
func gatewayConnections(s *session, u *unit) ([]connection, error) {
	data, err := s.FS.ReadFile(AuthorizationPropertiesPath)
	if err == nil {
		var tok string
		tok, err = gatewayToken(data, s.tenant)
		if err == nil {
			conns := []connection{{"activegate", tok}}
			return append(conns, s.moduleConnections(u)...), nil
		}
	}
	return nil, fmt.Errorf("Error during parsing config file %s - invalid configuration: %v",
		AuthorizationPropertiesPath, err)
}

func (s *session) moduleConnections(u *unit) []connection {
	var conns []connection
	if data, ok := s.readOptional(RemotePluginRuxitAgentConfPath); ok {
		if tok, ok := spaceToken(data); ok {
			conns = append(conns, connection{"remoteplugin", tok})
		} else {
			s.logf(u, "remoteplugin: no TenantToken in %s", RemotePluginRuxitAgentConfPath)
		}
	}
	if data, ok := s.readOptional(RemotePluginExtensionsConfPath); ok {
		if tok, ok := equalsToken(data); ok {
			conns = append(conns, connection{"extensions", tok})
		} else {
			s.logf(u, "extensions: no TenantToken in %s", RemotePluginExtensionsConfPath)
		}
	}
	return conns
}

var extensionsUnit = &unit{
	name:        "extensionsmodule",
	description: "Dynatrace Extensions Controller",
	installed:   extensionsInstalledPath,
	connections: func(s *session, _ *unit) ([]connection, error) {
		return fileConnection(s, "extensions", RemotePluginExtensionsConfPath, equalsToken)
	},
	components: func(*session) []string { return []string{"extensions"} },
}

var zremoteUnit = &unit{
	name:        "zremote",
	description: "Dynatrace zRemote",
	installed:   zremoteInstalledPath,
	connections: func(s *session, _ *unit) ([]connection, error) {
		return fileConnection(s, "zremote", ZRemoteRuxitAgentConfPath, spaceToken)
	},
	components: func(*session) []string { return []string{"zremote"} },
}

var oneagentUnit = &unit{
	name:        "oneagent",
	description: "Dynatrace OneAgent",
	installed:   OneAgentConfigPath,
	connections: func(s *session, _ *unit) ([]connection, error) {
		c, err := ReadOneAgentConfig(s.FS)
		if err != nil {
			return nil, fmt.Errorf("cannot read the agent configuration: %w", err)
		}
		if c.TenantToken == "" {
			return nil, fmt.Errorf("no tenant token configured")
		}
		return []connection{{"oneagent", c.TenantToken}}, nil
	},
	components: func(*session) []string { return []string{"oneagent"} },
}

// fileConnection is a single component whose token is in one file.
func fileConnection(s *session, component, file string, token func([]byte) (string, bool)) ([]connection, error) {
	data, err := s.FS.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", file, err)
	}
	tok, ok := token(data)
	if !ok {
		return nil, fmt.Errorf("no TenantToken in %s", file)
	}
	return []connection{{component, tok}}, nil
}

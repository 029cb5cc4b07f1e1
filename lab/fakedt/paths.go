package fakedt

// Paths of the files a Dynatrace installation has on Linux (see
// shared/dynatrace.md sections 3 and 4) and of the fakes' own files.
const (
	// OneAgentCtlPath is where oneagentctl is installed by default.
	OneAgentCtlPath = "/opt/dynatrace/oneagent/agent/tools/oneagentctl"

	// AuthorizationPropertiesPath holds the ActiveGate's tenant tokens,
	// one INI section per environment.
	AuthorizationPropertiesPath = "/var/lib/dynatrace/gateway/config/authorization.properties"

	// RemotePluginRuxitAgentConfPath and RemotePluginExtensionsConfPath
	// are the remote plugin module's files (`TenantToken value` and
	// `TenantToken=value` lines respectively).
	RemotePluginRuxitAgentConfPath = "/opt/dynatrace/remotepluginmodule/agent/conf/ruxitagent.conf"
	RemotePluginExtensionsConfPath = "/opt/dynatrace/remotepluginmodule/agent/conf/extensions.conf"

	// ZRemoteRuxitAgentConfPath is zRemote's agent configuration.
	ZRemoteRuxitAgentConfPath = "/opt/dynatrace/zremote/agent/conf/ruxitagent.conf"

	// OneAgentConfigPath is where the fake oneagentctl keeps the agent's
	// communication settings (lines tenant=, tenantToken=, server=). Its
	// absence means OneAgent is not installed.
	OneAgentConfigPath = "/var/lib/dynatrace/oneagent/agent/config/fake-oneagentctl.conf"

	// HostConfigPath is the lab's description of the host (HostConfig).
	HostConfigPath = "/etc/rotplay-lab/host.json"

	// UnitStateDir holds one file per unit whose state differs from the
	// default "active": its content is active, inactive or failed.
	UnitStateDir = "/run/rotplay-lab/units"

	// LogDir holds the fake components' logs (fake-<unit>.log).
	LogDir = "/var/log/dynatrace"
)

// Installation markers: a unit exists on a host when its marker exists,
// the way a unit file exists only where the component was installed.
const (
	gatewayInstalledPath    = "/var/lib/dynatrace/gateway/config"
	extensionsInstalledPath = "/opt/dynatrace/remotepluginmodule"
	zremoteInstalledPath    = "/opt/dynatrace/zremote"
)

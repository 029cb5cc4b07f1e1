package dynatrace

import "net/http"

// Token scopes the calls need; errors name them so the user knows what to
// add to the token (dynatrace.md §1, §2).
const (
	ScopeTenantTokenRotation = "tenantTokenRotation.write"
	ScopeInstallerDownload   = "InstallerDownload"
	// ScopeOneAgentsRead lists OneAgent hosts (DataExport also works,
	// dynatrace.md §5; errors name this one).
	ScopeOneAgentsRead   = "oneAgents.read"
	ScopeActiveGatesRead = "activeGates.read"
)

// operation is one API call and what is safe to do when it fails.
type operation struct {
	name, method, path, scope string
	query                     string // encoded query parameters, if any
	// mutates: the call changes the rotation state, so a request the server
	// may have received, without an answer saying what happened, leaves the
	// outcome unknown.
	mutates bool
	// idempotent: sending the call again after the server may have acted is
	// harmless (at worst it answers 400), so 5xx and lost responses are
	// retried.
	idempotent bool
	on400      error  // sentinel for a 400 answer, if the API documents one
	badRequest string // advice for a 400 answer
	unknown    string // advice when the outcome is unknown
}

var (
	opStart = operation{
		name: "start rotation", method: http.MethodPost, path: "/api/v2/tenantTokenRotation/start",
		scope: ScopeTenantTokenRotation, mutates: true,
		on400:      ErrRotationInProgress,
		badRequest: "another rotation is already in progress: finish or cancel it first (its new token cannot be read back from this API)",
		unknown:    "the rotation may have started and its new token is lost; do not call start again: check with connectioninfo or cancel",
	}
	opFinish = operation{
		name: "finish rotation", method: http.MethodPost, path: "/api/v2/tenantTokenRotation/finish",
		scope: ScopeTenantTokenRotation, mutates: true, idempotent: true,
		on400:      ErrNoRotation,
		badRequest: "no rotation is in progress, so there is nothing to finish: it was finished or cancelled already, or never started",
		unknown: "the rotation may already be finished by an attempt whose answer was lost: check with connectioninfo " +
			"(the new token in force means finished, the old one means cancelled) before acting; calling finish again is harmless",
	}
	opCancel = operation{
		name: "cancel rotation", method: http.MethodPost, path: "/api/v2/tenantTokenRotation/cancel",
		scope: ScopeTenantTokenRotation, mutates: true, idempotent: true,
		on400:      ErrNoRotation,
		badRequest: "no rotation is in progress, so there is nothing to cancel: it was finished or cancelled already, or never started",
		unknown: "the rotation may already be cancelled by an attempt whose answer was lost: check with connectioninfo " +
			"(the old token in force means cancelled) before acting; calling cancel again is harmless",
	}
	opConnectionInfo = operation{
		name: "get connection info", method: http.MethodGet, path: "/api/v1/deployment/installer/agent/connectioninfo",
		scope: ScopeInstallerDownload, idempotent: true,
		badRequest: "the request was rejected (for example an unknown network zone)",
	}
	opOneAgents = operation{
		name: "list OneAgent hosts", method: http.MethodGet, path: "/api/v1/oneagents",
		scope: ScopeOneAgentsRead, idempotent: true,
		badRequest: "the request was rejected (for example a bad timeframe or an expired page key)",
	}
	opActiveGates = operation{
		name: "list ActiveGates", method: http.MethodGet, path: "/api/v2/activeGates",
		scope: ScopeActiveGatesRead, idempotent: true,
		badRequest: "the request was rejected",
	}
)

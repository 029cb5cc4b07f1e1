package dynatrace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// ConnectionInfo is what OneAgent installers are configured with
// (GET /api/v1/deployment/installer/agent/connectioninfo).
type ConnectionInfo struct {
	TenantUUID string `json:"tenantUUID"`
	// TenantToken is the token installers receive. Once a rotation has
	// started it is believed to be the new token (dynatrace.md §2, INFERRED),
	// which is what makes it useful to check a start whose answer was lost.
	TenantToken string `json:"tenantToken"`
	// CommunicationEndpoints are sorted by priority, highest first.
	CommunicationEndpoints          []string `json:"communicationEndpoints"`
	FormattedCommunicationEndpoints string   `json:"formattedCommunicationEndpoints"`
}

// String masks the tenant token.
func (ci ConnectionInfo) String() string {
	return fmt.Sprintf("ConnectionInfo{TenantUUID:%s TenantToken:%s Endpoints:%v}",
		ci.TenantUUID, mask(ci.TenantToken), ci.CommunicationEndpoints)
}

// GoString is String, for %#v.
func (ci ConnectionInfo) GoString() string { return ci.String() }

// ConnectionInfo reads the environment's connection info. It needs the
// InstallerDownload scope (ErrForbidden names it) and changes nothing, so it
// is retried on 429, 5xx and network failures.
func (c *Client) ConnectionInfo(ctx context.Context) (ConnectionInfo, error) {
	body, attempts, err := c.call(ctx, opConnectionInfo)
	if err != nil {
		return ConnectionInfo{}, err
	}
	var ci ConnectionInfo
	// Unmarshal's error could quote the body, which holds the tenant token.
	if json.Unmarshal(body, &ci) != nil || ci.TenantToken == "" || ci.TenantUUID == "" {
		err := errors.New("the answer is not a connection info with tenantUUID and tenantToken")
		return ConnectionInfo{}, c.failure(opConnectionInfo, attempt{status: 200, err: err}, attempts, false)
	}
	return ci, nil
}

package mo

import (
	"fmt"

	"moxsync/engine"
)

// ExternalIDMinGraphQLVersion is the first GraphQL version whose ITUser has
// external_id (mo-api.md §2.3): older versions neither return it nor accept
// it in ituser_create/ituser_update. The legacy REST API does not return it
// either (mo-api.md §1.3), and the installations that still need REST
// predate it, so the client reads and writes external_id only over GraphQL
// from this version.
const ExternalIDMinGraphQLVersion = 29

// SupportsExternalID reports whether the configured API and version read
// and write an IT user's external_id.
func (c *Client) SupportsExternalID() bool {
	return c.cfg.API == APIGraphQL && c.cfg.GraphQLVersion >= ExternalIDMinGraphQLVersion
}

// checkExternalID refuses a write of external_id the API cannot take:
// sending it would fail (GraphQL before v29 rejects the unknown input
// field) or be lost (it is never read back, so the plan would propose the
// write again on every run). KindInvalid, naming the setting to change.
func (c *Client) checkExternalID(op string, u engine.ITUserWrite) error {
	if u.ExternalID == "" || c.SupportsExternalID() {
		return nil
	}
	api := "the REST API"
	if c.cfg.API == APIGraphQL {
		api = fmt.Sprintf("GraphQL v%d", c.cfg.GraphQLVersion)
	}
	return engine.E(engine.KindInvalid, op, u.UUID, fmt.Errorf("IT user external_id needs GraphQL v%d or later, and %s has none; set OS2MO_GRAPHQL_VERSION = %d or map objectGUID = off",
		ExternalIDMinGraphQLVersion, api, ExternalIDMinGraphQLVersion))
}

package mo

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"moxsync/engine"
)

var _ engine.MOITUserReader = (*Client)(nil)

// ITUsers reads one person's current and future IT users, of every IT
// system, as the snapshot has them: the validity slices of each IT user
// merged into one record (the slice in force at Config.Now, else the
// earliest future one), ended ones left out. Apply uses it to check an MO
// write-back for staleness just before writing it (engine.MOITUserReader).
//
// GraphQL: itusers filtered by the person's uuid, from now on (one
// request); external_id is read from v29. REST: GET /e/{id}/details/it,
// present and future (two requests). A person MO does not know has no IT
// users. Errors are *engine.Error.
func (c *Client) ITUsers(ctx context.Context, personUUID string) ([]engine.ITUser, error) {
	const op = "mo: read IT users"
	if !isUUID(personUUID) {
		return nil, engine.E(engine.KindInvalid, op, personUUID, errors.New("person uuid is not a UUID"))
	}
	now := c.cfg.Now().In(copenhagen)
	var (
		its []engine.ITUser
		err error
	)
	if c.cfg.API == APIREST {
		its, err = c.itUsersREST(ctx, op, personUUID, formatDateTime(now))
	} else {
		its, err = c.itUsersGraphQL(ctx, op, personUUID)
	}
	if err != nil {
		return nil, err
	}
	return mergeSlices(now, its, itKey), nil
}

// itUsersQuery reads a person's IT users with every slice from $now on.
// external_id exists from GraphQL v29.
func itUsersQuery(version int) operation {
	ext := ""
	if version >= ExternalIDMinGraphQLVersion {
		ext = " external_id"
	}
	return operation{name: "PersonITUsers", text: `
query PersonITUsers($person: [UUID!], $now: DateTime) {
  itusers(filter: {employee: {uuids: $person}, from_date: $now, to_date: null}) {
    objects {
      uuid
      validities(start: $now, end: null) {
        uuid user_key` + ext + ` itsystem_uuid
        itsystem { uuid user_key name }
        validity { from to }
      }
    }
  }
}`}
}

// gqlITUserNamed is an IT user slice with its IT system's names.
type gqlITUserNamed struct {
	gqlITUser
	ITSystem *gqlITSystem `json:"itsystem"`
}

func (c *Client) itUsersGraphQL(ctx context.Context, op, person string) ([]engine.ITUser, error) {
	var data struct {
		ITUsers *struct {
			Objects *[]gqlTemporal[gqlITUserNamed] `json:"objects"`
		} `json:"itusers"`
	}
	doc := itUsersQuery(c.cfg.GraphQLVersion)
	vars := map[string]any{"person": []string{person}, "now": formatDateTime(c.cfg.Now())}
	if err := c.graphql(ctx, op, doc, vars, &data); err != nil {
		return nil, err
	}
	ext := c.cfg.GraphQLVersion >= ExternalIDMinGraphQLVersion
	g := needObj("itusers", data.ITUsers != nil)
	if g.ok() {
		if g = needObj("objects", data.ITUsers.Objects != nil); g.ok() {
			g = eachOf("objects", *data.ITUsers.Objects, func(o *gqlTemporal[gqlITUserNamed]) gap { return checkPersonITUsers(o, ext) })
		}
		if !g.ok() {
			g = g.under("itusers")
		}
	}
	if err := c.protocolGap(op, doc, g); err != nil {
		return nil, err
	}
	inclusive := c.cfg.GraphQLVersion < 29
	var out []engine.ITUser
	for _, o := range *data.ITUsers.Objects {
		for _, it := range o.slices() {
			v, err := it.Validity.toValidity(inclusive)
			if err != nil {
				return nil, engine.E(engine.KindProtocol, op, person, fmt.Errorf("%w: IT user %s: %w", errMalformed, it.UUID.v, err))
			}
			e := engine.ITUser{UUID: it.UUID.v, UserKey: it.UserKey.v, ExternalID: it.ExternalID.v, ITSystemUUID: it.ITSystemUUID.v, Validity: v}
			if s := it.ITSystem; s != nil {
				e.ITSystemUserKey, e.ITSystemName = s.UserKey.v, s.Name.v
			}
			out = append(out, e)
		}
	}
	return out, nil
}

func (c *Client) itUsersREST(ctx context.Context, op, person, at string) ([]engine.ITUser, error) {
	r := &restReader{c: c, at: at, systems: map[string]engine.ITSystem{}}
	path := "/e/" + person + "/details/it"
	var all []restITUser
	for _, validity := range []string{"present", "future"} {
		var page restList[restITUser]
		if err := c.restGet(ctx, op, path, url.Values{"at": {at}, "validity": {validity}}, &page); err != nil {
			if engine.KindOf(err) == engine.KindNotFound {
				return nil, nil // MO does not know the person: no IT users
			}
			return nil, err
		}
		all = append(all, page...)
	}
	out, _, err := r.itusers(all)
	if err != nil {
		return nil, r.bad(op, path, err)
	}
	return out, nil
}

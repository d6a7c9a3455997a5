package engine

// MOReservedNamesFrom collects the names MO reserves (ad.md §1.1.6): the
// user_key of every IT user of the IT system whose user-key is itsystem
// (the configuration's existing_usernames_itsystem), with the persons
// holding each. The IT system is matched by the IT user's ITSystemUserKey,
// ITSystemName or ITSystemUUID, or through s.ITSystems by user-key. Names keep
// their case: MO compares them case-sensitively. MO reserves names over all
// validities, so this is only complete when the snapshot holds past and
// future IT users too.
func MOReservedNamesFrom(s *Snapshot, itsystem string) MOReservedNames {
	uuids := map[string]bool{}
	for _, sys := range s.ITSystems {
		if sys.UserKey == itsystem {
			uuids[sys.UUID] = true
		}
	}
	out := MOReservedNames{}
	for _, p := range s.People {
		for _, it := range p.ITUsers {
			if it.UserKey == "" || !(it.ITSystemUserKey == itsystem || it.ITSystemName == itsystem ||
				it.ITSystemUUID == itsystem || uuids[it.ITSystemUUID]) {
				continue
			}
			holders := out[it.UserKey]
			if !containsString(holders, p.UUID) {
				out[it.UserKey] = append(holders, p.UUID)
			}
		}
	}
	return out
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

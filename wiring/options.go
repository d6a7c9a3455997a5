package wiring

import (
	"fmt"
	"os"
	"strings"
	"time"

	"moxsync/engine"
	"moxsync/settings"
	"moxsync/version"
)

// PlanOptions turns the settings into engine plan options: the mapping,
// matching, where new accounts go, the username generator and the top unit.
func PlanOptions(s *settings.Settings) (engine.PlanOptions, error) {
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return engine.PlanOptions{}, fmt.Errorf("AD_MAPPING: %w", err)
	}
	cfg, _, err := UsernameConfig("", s)
	if err != nil {
		return engine.PlanOptions{}, err
	}
	gen, err := engine.NewUsernameGenerator(cfg)
	if err != nil {
		return engine.PlanOptions{}, fmt.Errorf("USERNAME_GENERATOR: %w", err)
	}
	return engine.PlanOptions{
		Mapping: m, MatchBy: engine.MatchBy(strings.ToLower(s.AD.MatchBy)), CPRAttr: s.AD.CPRAttribute,
		NewUserOU: s.AD.NewUserOU, SearchBase: s.AD.SearchBase, UPNSuffix: s.AD.UPNSuffix,
		Usernames: gen, TopUnit: s.MO.TopUnitUUID, ToolVersion: version.String(),
		CreateJobFunctions: s.AD.CreateJobFunctions, AddressVisibility: s.MO.AddressVisibility,
		CreateMOPeople: s.AD.CreateMOPeople, CreateMOPeopleOUs: underBase(s.AD.CreateMOPeopleOUs, s.AD.SearchBase),
		Location: moZone(),
	}, nil
}

// moZone is the zone MO's dates are days in (OS2MO is Danish).
func moZone() *time.Location {
	loc, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		return time.UTC // unreachable: the zone database is embedded (time/tzdata in mo)
	}
	return loc
}

// underBase makes each DN absolute: one that does not end in the search
// base is taken as relative to it (as AD_NEW_USER_OU is).
func underBase(dns []string, base string) []string {
	norm := func(s string) string {
		parts := strings.Split(s, ",")
		for i := range parts {
			parts[i] = strings.ToLower(strings.TrimSpace(parts[i]))
		}
		return strings.Join(parts, ",")
	}
	b := norm(base)
	out := make([]string, 0, len(dns))
	for _, dn := range dns {
		if b != "" && norm(dn) != b && !strings.HasSuffix(norm(dn), ","+b) {
			dn += "," + base
		}
		out = append(out, dn)
	}
	return out
}

// STSOptions turns the settings into the MO → STS mapping options.
func STSOptions(s *settings.Settings) engine.STSMapOptions {
	return engine.STSMapOptions{
		TopUnitUUID: s.MO.TopUnitUUID, PhoneScopeClasses: s.STS.PhoneScopeClasses, EmailScopeClasses: s.STS.EmailScopeClasses,
		SyncCPR: s.STS.SyncCPR, UserIDFromAD: s.STS.UserIDFromAD, ADITSystem: s.MO.ADITSystem, Dialect: s.STS.Dialect,
		ClassicMSSQL: s.STS.ClassicMSSQL, TruncateLength: s.STS.TruncateLength(), Clean: s.STS.Clean,
	}
}

// GeneratorSource says where a username generator configuration came from.
type GeneratorSource struct {
	Kind   string `json:"kind"`           // "flag", "settings" or "builtin"
	Detail string `json:"detail"`         // human description
	Path   string `json:"path,omitempty"` // the file read, if any
}

// UsernameConfig picks the username generator: file (username --generator
// FILE) when not "", else the USERNAME_GENERATOR setting, else the seed's
// example.
func UsernameConfig(file string, s *settings.Settings) (engine.UsernameConfig, GeneratorSource, error) {
	var src GeneratorSource
	var data []byte
	switch v := strings.TrimSpace(s.AD.UsernameGenerator); {
	case file != "":
		src = GeneratorSource{Kind: "flag", Detail: "--generator " + file, Path: file}
		b, err := os.ReadFile(file)
		if err != nil {
			return engine.UsernameConfig{}, src, fmt.Errorf("read --generator file: %w", err)
		}
		data = b
	case v != "":
		src = GeneratorSource{Kind: "settings", Detail: "USERNAME_GENERATOR setting"}
		if strings.HasPrefix(v, "{") {
			src.Detail += " (inline JSON)"
		} else {
			src.Detail += " (file " + v + ")"
			src.Path = v
		}
		if s.Path != "" {
			src.Detail += " from " + s.Path
		}
		b, err := s.AD.UsernameGeneratorJSON()
		if err != nil {
			return engine.UsernameConfig{}, src, err
		}
		data = b
	default:
		src = GeneratorSource{Kind: "builtin", Detail: "the built-in example of seed 004 (no --generator, USERNAME_GENERATOR not set)"}
		return engine.DefaultUsernameConfig(), src, nil
	}
	cfg, err := engine.ParseUsernameConfig(data)
	if err != nil {
		return cfg, src, fmt.Errorf("%s: %w", src.Detail, err)
	}
	return cfg, src, nil
}

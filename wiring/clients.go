package wiring

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"moxsync/ad"
	"moxsync/engine"
	"moxsync/mo"
	"moxsync/settings"
	"moxsync/sts"
)

// The adapters' configurations built from the settings. log receives the
// clients' logs; nil means each client's default.

// MOConfig is the MO client configuration of the settings.
func MOConfig(s *settings.Settings, log *slog.Logger) (mo.Config, error) {
	tc, _, err := settings.TLSConfig(s.MO.CABundle)
	if err != nil {
		return mo.Config{}, fmt.Errorf("OS2MO_CA_BUNDLE: %w", err)
	}
	return mo.Config{
		ServiceURL: s.MO.ServiceURL, GraphQLURL: s.MO.GraphQLURL, GraphQLVersion: s.MO.GraphQLVersion, API: s.MO.API,
		SAMLToken: s.MO.SAMLToken, AuthServer: s.MO.AuthServer, Realm: s.MO.AuthRealm, ClientID: s.MO.ClientID,
		ClientSecret: s.MO.ClientSecret, OrgUUID: s.MO.OrgUUID, TopUnitUUID: s.MO.TopUnitUUID, ADITSystem: s.MO.ADITSystem,
		PageSize: s.MO.PageSize, Timeout: s.MO.Timeout, TLS: tc, Logger: log,
		EngagementExtensions: engagementExtensions(s),
	}, nil
}

// NewMOClient builds the MO client of the settings (no I/O).
func NewMOClient(s *settings.Settings, log *slog.Logger) (*mo.Client, error) {
	return newMOClient(s, log, nil)
}

// newMOClient is NewMOClient with a clock for MO's validity dates (nil =
// the client's default, the real clock).
func newMOClient(s *settings.Settings, log *slog.Logger, now func() time.Time) (*mo.Client, error) {
	cfg, err := MOConfig(s, log)
	if err != nil {
		return nil, err
	}
	cfg.Now = now
	mc, err := mo.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("OS2MO settings: %w", err)
	}
	return mc, nil
}

// MOAddress is the MO address the settings read from, for messages.
func MOAddress(s *settings.Settings) string {
	if s.MO.API == "graphql" && s.MO.GraphQLURL != "" {
		return s.MO.GraphQLURL
	}
	return s.MO.ServiceURL
}

// ADConfig is the AD adapter configuration of the settings.
func ADConfig(s *settings.Settings, log *slog.Logger) (ad.Config, error) {
	tc, _, err := settings.TLSConfig(s.AD.CABundle)
	if err != nil {
		return ad.Config{}, fmt.Errorf("AD_CA_BUNDLE: %w", err)
	}
	return ad.Config{
		URL: s.AD.URL, StartTLS: s.AD.StartTLS, BindDN: s.AD.BindDN, Password: s.AD.BindPassword,
		SearchBase: s.AD.SearchBase, UPNNamingContexts: s.AD.UPNNamingContexts, NewUserOU: s.AD.NewUserOU, UPNSuffix: s.AD.UPNSuffix,
		CPRAttribute: s.AD.CPRAttribute, TLS: tc, Timeout: s.AD.Timeout, Logger: log,
	}, nil
}

// DialAD connects and binds to the AD of the settings; no single LDAP
// request waits past ctx's deadline. Close it.
func DialAD(ctx context.Context, s *settings.Settings, log *slog.Logger) (*ad.Directory, error) {
	cfg, err := ADConfig(s, log)
	if err != nil {
		return nil, err
	}
	if dl, ok := ctx.Deadline(); ok && cfg.Timeout > 0 {
		cfg.Timeout = min(cfg.Timeout, time.Until(dl))
	}
	return ad.Dial(ctx, cfg)
}

// NewSTSClient builds the STSOrgSync client of the settings (no I/O).
func NewSTSClient(s *settings.Settings, log *slog.Logger) (*sts.Client, error) {
	tc, _, err := settings.TLSConfig(s.STS.CABundle)
	if err != nil {
		return nil, fmt.Errorf("STSORGSYNC_CA_BUNDLE: %w", err)
	}
	client, err := sts.New(sts.Config{BaseURL: s.STS.APIURL, Dialect: s.STS.Dialect, DeleteStyle: s.STS.DeleteStyle,
		CVR: s.STS.Municipality, APIKey: s.STS.APIKey, TLS: tc, Timeout: s.STS.Timeout, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("STSOrgSync settings: %w", err)
	}
	return client, nil
}

// engagementExtensions are the engagement extension fields AD_MAPPING uses
// (MO reads only those); none when the mapping does not parse (settings
// report that).
func engagementExtensions(s *settings.Settings) []int {
	m, err := engine.ParseMapping(s.AD.Mapping)
	if err != nil {
		return nil
	}
	return m.EngagementExtensions()
}

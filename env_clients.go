package main

import (
	"fmt"
	"log/slog"

	"moxsync/ad"
	"moxsync/mo"
	"moxsync/settings"
	"moxsync/sts"
)

// The adapters' configurations built from the settings: the one place that
// wires settings to the mo, ad and sts clients, for openEnv (plan, apply,
// tui) and check. log receives the clients' logs; nil means each client's
// default.

// moConfigFrom is the MO client configuration of the settings.
func moConfigFrom(s *settings.Settings, log *slog.Logger) (mo.Config, error) {
	tc, _, err := settings.TLSConfig(s.MO.CABundle)
	if err != nil {
		return mo.Config{}, fmt.Errorf("OS2MO_CA_BUNDLE: %w", err)
	}
	return mo.Config{
		ServiceURL: s.MO.ServiceURL, GraphQLURL: s.MO.GraphQLURL, GraphQLVersion: s.MO.GraphQLVersion, API: s.MO.API,
		SAMLToken: s.MO.SAMLToken, AuthServer: s.MO.AuthServer, Realm: s.MO.AuthRealm, ClientID: s.MO.ClientID,
		ClientSecret: s.MO.ClientSecret, OrgUUID: s.MO.OrgUUID, TopUnitUUID: s.MO.TopUnitUUID, ADITSystem: s.MO.ADITSystem,
		PageSize: s.MO.PageSize, Timeout: s.MO.Timeout, TLS: tc, Logger: log,
	}, nil
}

// newMOClient builds the MO client of the settings (no I/O).
func newMOClient(s *settings.Settings, log *slog.Logger) (*mo.Client, error) {
	cfg, err := moConfigFrom(s, log)
	if err != nil {
		return nil, err
	}
	mc, err := mo.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("OS2MO settings: %w", err)
	}
	return mc, nil
}

// adConfigFrom is the AD adapter configuration of the settings.
func adConfigFrom(s *settings.Settings, log *slog.Logger) (ad.Config, error) {
	tc, _, err := settings.TLSConfig(s.AD.CABundle)
	if err != nil {
		return ad.Config{}, fmt.Errorf("AD_CA_BUNDLE: %w", err)
	}
	return ad.Config{
		URL: s.AD.URL, StartTLS: s.AD.StartTLS, BindDN: s.AD.BindDN, Password: s.AD.BindPassword,
		SearchBase: s.AD.SearchBase, NewUserOU: s.AD.NewUserOU, UPNSuffix: s.AD.UPNSuffix,
		CPRAttribute: s.AD.CPRAttribute, TLS: tc, Timeout: s.AD.Timeout, Logger: log,
	}, nil
}

// newSTSClient builds the STSOrgSync client of the settings (no I/O).
func newSTSClient(s *settings.Settings, log *slog.Logger) (*sts.Client, error) {
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

// setRecorderLog makes the STS recorder (see useSTS) log to log; nil keeps
// its default.
func (e *syncEnv) setRecorderLog(log *slog.Logger) {
	if r, ok := e.sts.(recordedSTS); ok && log != nil {
		r.Logger = log
	}
}

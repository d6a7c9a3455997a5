package settings

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"moxsync/engine"
)

// field is one key's raw value on its way into Settings.
type field struct {
	s      *Settings
	key    *keyDef
	raw    string
	src    Source
	base   string // directory relative paths are resolved against
	report func(Problem)
}

// bad records that the value is not what was expected.
func (f *field) bad(format string, args ...any) {
	p := Problem{Key: f.key.name, Value: display(f.raw, f.key.secret), Shown: true, Expected: fmt.Sprintf(format, args...)}
	switch f.src.Kind {
	case FromEnv:
		p.Env = true
	case FromFile:
		p.File, p.Line = f.src.File, f.src.Line
	}
	f.report(p)
}

func (f *field) str(dst *string) { *dst = f.raw }

// mapping checks AD_MAPPING with the engine's parser (blank = the default
// mapping of seed 004).
func (f *field) mapping(dst *string) {
	if _, err := engine.ParseMapping(f.raw); err != nil {
		f.bad("expected an attribute mapping as described in settings.ini.example: %v", err)
		return
	}
	*dst = f.raw
}

func (f *field) int(dst *int, lo, hi int) {
	n, err := strconv.Atoi(f.raw)
	if err != nil {
		f.bad("expected a whole number from %d to %d", lo, hi)
		return
	}
	if n < lo || n > hi {
		f.bad("expected a whole number from %d to %d", lo, hi)
		return
	}
	*dst = n
}

func (f *field) logLevel(dst *int) {
	n, err := strconv.Atoi(f.raw)
	if err != nil {
		f.bad("expected a number: 10 debug, 20 info, 30 warning, 40 error, 50 critical")
		return
	}
	*dst = n
}

// duration accepts Go durations ("30s", "1m30s") and plain seconds ("30").
func (f *field) duration(dst *time.Duration) {
	d, err := time.ParseDuration(f.raw)
	if err != nil {
		if n, err2 := strconv.Atoi(f.raw); err2 == nil {
			d, err = time.Duration(n)*time.Second, nil
		}
	}
	if err != nil || d <= 0 {
		f.bad("expected a positive duration such as 30s, 2m or 1m30s")
		return
	}
	*dst = d
}

// bool accepts what Python's configparser accepts.
func (f *field) bool(dst *bool) {
	switch strings.ToLower(f.raw) {
	case "true", "yes", "on", "1":
		*dst = true
	case "false", "no", "off", "0":
		*dst = false
	default:
		f.bad("expected true or false")
	}
}

func (f *field) enum(dst *string, options ...string) {
	v := strings.ToLower(f.raw)
	for _, o := range options {
		if v == o {
			*dst = o
			return
		}
	}
	f.bad("expected one of: %s", strings.Join(options, ", "))
}

func (f *field) url(dst *string, schemes ...string) {
	if f.raw == "" {
		*dst = ""
		return
	}
	u, err := url.Parse(f.raw)
	ok := err == nil && u.Host != ""
	if ok {
		ok = false
		for _, s := range schemes {
			ok = ok || u.Scheme == s
		}
	}
	if !ok {
		f.bad("expected a URL starting with %s://", strings.Join(schemes, ":// or "))
		return
	}
	*dst = f.raw
}

func (f *field) serviceURL(dst *string) {
	var v string
	f.url(&v, "http", "https")
	if v == "" {
		*dst = ""
		return
	}
	v = strings.TrimSuffix(v, "/")
	if !strings.HasSuffix(v, "/service") {
		f.bad("expected the full URL of OS2MO's service API, ending in /service (e.g. https://os2mo.kommune.dk/service)")
		return
	}
	*dst = v
}

func (f *field) uuid(dst *string) {
	if f.raw == "" {
		*dst = ""
		return
	}
	u, err := uuid.Parse(f.raw)
	if err != nil || len(f.raw) != 36 {
		f.bad("expected a UUID like 9f5f4a62-1ac1-4d1c-8c3e-9e3c3f1b6d2a")
		return
	}
	*dst = u.String()
}

func (f *field) uuidList(dst *[]string) {
	var out []string
	for _, w := range strings.Fields(f.raw) {
		u, err := uuid.Parse(w)
		if err != nil || len(w) != 36 {
			f.bad("expected UUIDs separated by spaces; %q is not a UUID", w)
			return
		}
		out = append(out, u.String())
	}
	*dst = out
}

var cvrRE = regexp.MustCompile(`^[0-9]{8}$`)

func (f *field) cvr(dst *string) {
	if f.raw != "" && !cvrRE.MatchString(f.raw) {
		f.bad("expected the municipality's CVR number: exactly 8 digits")
		return
	}
	*dst = f.raw
}

var attrRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9-]*$`)

func (f *field) attrName(dst *string) {
	if !attrRE.MatchString(f.raw) {
		f.bad("expected an LDAP attribute name such as employeeID")
		return
	}
	*dst = f.raw
}

func (f *field) dn(dst *string) {
	if f.raw != "" && !strings.Contains(f.raw, "=") {
		f.bad("expected a distinguished name such as OU=Brugere,DC=kommune,DC=local")
		return
	}
	*dst = f.raw
}

// dnList is distinguished names separated by semicolons (a DN holds
// commas).
func (f *field) dnList(dst *[]string) {
	var out []string
	for _, part := range strings.Split(f.raw, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "=") {
			f.bad("expected distinguished names separated by semicolons, such as DC=skole,DC=kommune,DC=local; %q is not a DN", part)
			return
		}
		out = append(out, part)
	}
	*dst = out
}

var domainRE = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$`)

func (f *field) upnSuffix(dst *string) {
	v := strings.TrimPrefix(f.raw, "@")
	if v != "" && !domainRE.MatchString(v) {
		f.bad("expected a domain name such as kommune.dk")
		return
	}
	*dst = v
}

// abs resolves a path against the field's base directory.
func (f *field) abs(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(f.base, p)
}

func (f *field) path(dst *string) { *dst = f.abs(f.raw) }

// caBundle accepts true, false, blank, or a PEM file holding at least one
// certificate.
func (f *field) caBundle(dst *string) {
	switch strings.ToLower(f.raw) {
	case "", "false":
		*dst = "false"
		return
	case "true":
		*dst = "true"
		return
	}
	p := f.abs(f.raw)
	if err := checkPEM(p); err != nil {
		f.bad("expected true, false, or a PEM file of CA certificates: %v", err)
		return
	}
	*dst = p
}

// checkPEM reports whether the file exists and holds at least one certificate.
func checkPEM(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return fmt.Errorf("file %s does not exist", path)
		}
		return fmt.Errorf("read %s: %w", path, err)
	}
	n := 0
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		if _, err := x509.ParseCertificate(b.Bytes); err != nil {
			return fmt.Errorf("%s: certificate %d: %w", path, n+1, err)
		}
		n++
	}
	if n == 0 {
		return fmt.Errorf("%s holds no PEM certificate", path)
	}
	return nil
}

// usernameGenerator accepts inline JSON (starting with "{"), a path to a JSON
// file, or blank (the seed's example); the engine's parser checks the JSON.
func (f *field) usernameGenerator(dst *string) {
	v := f.raw
	if v == "" {
		*dst = ""
		return
	}
	data, where := []byte(v), "inline JSON"
	if !strings.HasPrefix(v, "{") {
		p := f.abs(v)
		b, err := os.ReadFile(p)
		if err != nil {
			f.bad("expected inline JSON starting with { or a readable JSON file: %v", err)
			return
		}
		data, where, v = b, p, p
	}
	if _, err := engine.ParseUsernameConfig(data); err != nil {
		f.bad("expected a username generator configuration (JSON as in settings.ini.example): %s: %v", where, err)
		return
	}
	*dst = v
}

// durationOrOff is a positive duration, or 0 / off / never for none.
func (f *field) durationOrOff(dst *time.Duration) {
	switch strings.ToLower(f.raw) {
	case "0", "off", "never", "false":
		*dst = 0
		return
	}
	f.duration(dst)
}

// opList is a comma-separated list of plan operations, or none.
func (f *field) opList(dst *[]string) {
	known := []string{"create", "update", "disable", "enable", "rename", "delete"}
	*dst = nil
	if v := strings.ToLower(strings.TrimSpace(f.raw)); v == "none" || v == "" {
		return
	}
	for _, part := range strings.Split(f.raw, ",") {
		op := strings.ToLower(strings.TrimSpace(part))
		if !slices.Contains(known, op) {
			f.bad("%q is not an operation; expected none, or a comma-separated list of: %s", op, strings.Join(known, ", "))
			*dst = nil
			return
		}
		if !slices.Contains(*dst, op) {
			*dst = append(*dst, op)
		}
	}
}

// listenerPrefix is a user_key prefix: letters, digits, - _ . only.
func (f *field) listenerPrefix(dst *string) {
	for _, r := range f.raw {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			f.bad("expected letters, digits, '-', '_' or '.' (it prefixes the user_key of each MO event listener)")
			return
		}
	}
	if f.raw == "" {
		f.bad("expected a prefix such as moxsync-")
		return
	}
	*dst = f.raw
}

// hostPort is host:port to listen on, or "" for off.
func (f *field) hostPort(dst *string) {
	if f.raw == "" {
		*dst = ""
		return
	}
	host, port, err := net.SplitHostPort(f.raw)
	if err != nil {
		f.bad("expected host:port such as 127.0.0.1:9464 or :9464 (blank = off)")
		return
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		f.bad("the port %q is not a number from 0 to 65535", port)
		return
	}
	_ = host
	*dst = f.raw
}

package logging

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
)

// Redacted replaces a secret in log output.
const Redacted = "********"

// MinRedactLength is the shortest secret that is replaced wherever it
// occurs in free text (log messages, error texts). A shorter one ("T",
// "abc", "Admin") would collide with ordinary text and garble it — and the pattern
// of masks would reveal the secret — so it is masked only where it is
// printed by its key (settings.Value.Display).
const MinRedactLength = 6

// redactor removes secrets from strings, longest secret first so a secret
// that contains another is removed whole.
type redactor struct{ r *strings.Replacer }

func newRedactor(secrets []string) *redactor {
	s := slices.DeleteFunc(slices.Clone(secrets), func(x string) bool { return len(x) < MinRedactLength })
	if len(s) == 0 {
		return nil
	}
	slices.SortFunc(s, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
	pairs := make([]string, 0, 2*len(s))
	for _, x := range s {
		pairs = append(pairs, x, Redacted)
	}
	return &redactor{strings.NewReplacer(pairs...)}
}

func (r *redactor) str(s string) string { return r.r.Replace(s) }

// RedactText replaces every secret of at least MinRedactLength bytes in
// text with Redacted, longest first.
func RedactText(text string, secrets []string) string {
	r := newRedactor(secrets)
	if r == nil {
		return text
	}
	return r.str(text)
}

func (r *redactor) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, r.str(v.String()))
	case slog.KindGroup:
		g := v.Group()
		out := make([]slog.Attr, len(g))
		for i, x := range g {
			out[i] = r.attr(x)
		}
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(out...)}
	case slog.KindAny:
		// Errors, structs, byte slices…: if their text holds a secret, log the
		// redacted text instead of the value.
		s := fmt.Sprint(v.Any())
		if rs := r.str(s); rs != s {
			return slog.String(a.Key, rs)
		}
		if b, ok := v.Any().([]byte); ok {
			if rs := r.str(string(b)); rs != string(b) {
				return slog.String(a.Key, rs)
			}
		}
		return slog.Attr{Key: a.Key, Value: v}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

// redactHandler is a slog.Handler that removes secrets before the wrapped
// handler sees a record.
type redactHandler struct {
	next slog.Handler
	r    *redactor
}

// Redact wraps h so that none of secrets reaches it: every occurrence in the
// message and in attribute values (strings, groups, errors and other values
// by their text) becomes ********.
func Redact(h slog.Handler, secrets []string) slog.Handler {
	r := newRedactor(secrets)
	if r == nil {
		return h
	}
	return &redactHandler{next: h, r: r}
}

func (h *redactHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return h.next.Enabled(ctx, l)
}

func (h *redactHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.str(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.r.attr(a))
		return true
	})
	return h.next.Handle(ctx, out)
}

func (h *redactHandler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.r.attr(a)
	}
	return &redactHandler{next: h.next.WithAttrs(red), r: h.r}
}

func (h *redactHandler) WithGroup(name string) slog.Handler {
	return &redactHandler{next: h.next.WithGroup(name), r: h.r}
}

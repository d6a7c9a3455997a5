package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// ErrUsernameTaken is wrapped by the Directory's Create error (KindConflict)
// when AD refuses the new account because its sAMAccountName or
// userPrincipalName is already in use somewhere in the domain or forest,
// as opposed to a DN that exists.
var ErrUsernameTaken = errors.New("the username is already in use in AD")

// UsernameClash says what an AD create does when AD answers that its
// username is already in use: a name taken between plan and apply.
type UsernameClash int

const (
	// ClashReport refuses the create as stale and names the generator's
	// next candidate (Result.Replacement), so the operator can consent to
	// it (the TUI) or make a new plan. For a saved plan: its approved
	// username is replaced only with the operator's consent.
	ClashReport UsernameClash = iota
	// ClashNextCandidate creates the account with the generator's next
	// candidate instead and says so in the result and the audit log. For
	// a plan made in the same run (apply --auto-approve, demo).
	ClashNextCandidate
)

// maxUsernameRetries bounds how many further candidates one create tries
// when AD keeps answering that the name is in use.
const maxUsernameRetries = 5

// createAccount creates c's account, and on a username AD says is in use
// acts as ap.o.UsernameClash says. It returns the created account and the
// name it got; r is filled in when the create did not happen.
func (ap *applier) createAccount(ctx context.Context, c *Change, na NewAccount, r Result) (Account, Result, bool) {
	planned := na.SAMAccountName
	var tried []string
	for attempt := 0; ; attempt++ {
		acct, err := ap.o.Directory.Create(ctx, na)
		if err == nil {
			if na.SAMAccountName != planned {
				r.Note = fmt.Sprintf("the username %s was taken in AD since the plan was made; created as %s", planned, na.SAMAccountName)
				r.filled = map[string]string{"sAMAccountName": na.SAMAccountName}
				if na.UPN != "" {
					r.filled["userPrincipalName"] = na.UPN
				}
			}
			return acct, r, true
		}
		if !errors.Is(err, ErrUsernameTaken) {
			if KindOf(err) == KindConflict {
				return Account{}, r.with(ResultStale, KindConflict, fmt.Errorf("the CN or DN was taken since the plan was made: %w", err)), false
			}
			return Account{}, outcome(r, err), false
		}
		tried = append(tried, na.SAMAccountName)
		next, why := ap.nextUsername(c, tried)
		switch {
		case next == "":
			return Account{}, r.with(ResultStale, KindConflict, fmt.Errorf("the username %s was taken in AD since the plan was made, and %s: %w", na.SAMAccountName, why, err)), false
		case ap.o.UsernameClash != ClashNextCandidate:
			r.Replacement, r.TakenUsername = next, na.SAMAccountName
			return Account{}, r.with(ResultStale, KindConflict, fmt.Errorf("the username %s was taken in AD since the plan was made; the generator's next candidate is %s (approve it in the TUI, or make a new plan): %w", na.SAMAccountName, next, err)), false
		case attempt >= maxUsernameRetries:
			return Account{}, r.with(ResultStale, KindConflict, fmt.Errorf("the usernames %s were all taken in AD since the plan was made: %w", strings.Join(tried, ", "), err)), false
		}
		ap.log("ad: username taken since the plan was made; trying the next candidate", "change", c.ID, "taken", na.SAMAccountName, "next", next)
		na.SAMAccountName = next
		if na.UPN != "" {
			if i := strings.LastIndexByte(na.UPN, '@'); i >= 0 {
				na.UPN = next + na.UPN[i:]
			}
		}
	}
}

// nextUsername is the generator's next candidate for c's person after the
// names tried: every name the plan chose for a new account, every name its
// trace passed over, and every name this apply took as a replacement count
// as taken. "" and the reason when there is none.
func (ap *applier) nextUsername(c *Change, tried []string) (string, string) {
	u := c.Username
	switch {
	case ap.o.Usernames == nil:
		return "", "apply has no username generator"
	case u == nil || (u.GivenName == "" && u.Surname == ""):
		return "", "the plan does not record the names the username was made from"
	case u.Override:
		return "", "the username was set by an operator"
	}
	taken := TakenNames{Usernames: map[string]struct{}{}, CNs: map[string]struct{}{}}
	add := func(n string) {
		if n != "" {
			taken.Usernames[strings.ToLower(n)] = struct{}{}
		}
	}
	for _, n := range tried {
		add(n)
	}
	for _, pt := range u.Trace {
		for _, cand := range pt.Candidates {
			if cand.Reason != "" {
				add(cand.Username)
			}
		}
	}
	ap.mu.Lock()
	if ap.plannedNames == nil {
		ap.plannedNames = map[string]struct{}{}
		for i := range ap.plan.Changes {
			o := &ap.plan.Changes[i]
			if o.System == SystemAD && o.Op == OpCreate && o.ID != c.ID {
				for _, f := range o.Fields {
					if strings.EqualFold(f.Attr, "sAMAccountName") {
						ap.plannedNames[strings.ToLower(f.After)] = struct{}{}
					}
				}
			}
		}
	}
	for n := range ap.plannedNames {
		taken.Usernames[n] = struct{}{}
	}
	ap.mu.Unlock()
	res, err := ap.o.Usernames.NewBatch(taken, nil).Generate(u.GivenName, u.Surname, c.MOUUID)
	if err != nil {
		return "", "no further username pattern gives a free name"
	}
	ap.mu.Lock()
	ap.plannedNames[strings.ToLower(res.Username)] = struct{}{}
	ap.mu.Unlock()
	return res.Username, ""
}

// log writes a debug line to the apply's logger, if any.
func (ap *applier) log(msg string, args ...any) {
	if ap.o.Log != nil {
		ap.o.Log.Info(msg, args...)
	}
}

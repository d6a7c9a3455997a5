package engine

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// attrSyntax is what the engine knows of an AD attribute's syntax: enough
// to refuse at plan time a value AD would reject, and to compare values the
// way AD does.
type attrSyntax struct {
	integer  bool // Integer syntax (2.5.5.9)
	min, max int64
	maxLen   int  // rangeUpper in characters; 0 = unknown
	caseFold bool // compared case-insensitively by the engine
}

// adSyntax lists the attributes the default mapping and common variants
// use (rangeUpper from the AD schema).
var adSyntax = map[string]attrSyntax{
	"countrycode":                {integer: true, min: 0, max: 65535},
	"givenname":                  {maxLen: 64},
	"sn":                         {maxLen: 64},
	"initials":                   {maxLen: 6},
	"displayname":                {maxLen: 256},
	"title":                      {maxLen: 128},
	"department":                 {maxLen: 64},
	"company":                    {maxLen: 64},
	"description":                {maxLen: 1024},
	"mail":                       {maxLen: 256, caseFold: true},
	"telephonenumber":            {maxLen: 64},
	"mobile":                     {maxLen: 64},
	"streetaddress":              {maxLen: 1024},
	"l":                          {maxLen: 128},
	"postalcode":                 {maxLen: 40},
	"postaladdress":              {maxLen: 4096},
	"physicaldeliveryofficename": {maxLen: 128},
	"employeeid":                 {maxLen: 16, caseFold: true},
	"employeenumber":             {maxLen: 512},
	"extensionattribute1":        {maxLen: 1024},
	"cn":                         {maxLen: 64, caseFold: true},
	"samaccountname":             {maxLen: 20, caseFold: true},
	"userprincipalname":          {maxLen: 1024, caseFold: true},
}

func syntaxOf(attr string) attrSyntax {
	// Lower-case ASCII names on the stack: this runs for every value of
	// every account.
	var buf [64]byte
	if len(attr) <= len(buf) {
		n := 0
		for ; n < len(attr) && attr[n] < utf8.RuneSelf; n++ {
			c := attr[n]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			buf[n] = c
		}
		if n == len(attr) {
			return adSyntax[string(buf[:n])]
		}
	}
	return adSyntax[strings.ToLower(attr)]
}

// CheckADValue returns why AD would reject v for attr, or "" when the
// engine knows no reason.
func CheckADValue(attr, v string) string {
	syn := syntaxOf(attr)
	if syn.integer {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil {
			return attr + " has integer syntax; " + quote(v) + " is not an integer"
		}
		if n < syn.min || n > syn.max {
			return attr + " must be between " + strconv.FormatInt(syn.min, 10) + " and " + strconv.FormatInt(syn.max, 10) + ", got " + strconv.FormatInt(n, 10)
		}
	}
	if syn.maxLen > 0 && utf8.RuneCountInString(v) > syn.maxLen {
		return attr + " holds at most " + strconv.Itoa(syn.maxLen) + " characters, got " + strconv.Itoa(utf8.RuneCountInString(v))
	}
	return ""
}

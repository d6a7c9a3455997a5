package settings

import (
	"crypto/sha256"
	"encoding/hex"
)

// notShaping are keys that do not change what a plan contains.
var notShaping = map[string]bool{"MOX_LOG_LEVEL": true, "MOX_LOG_FILE": true}

// Hash identifies the settings that shape a plan: a SHA-256 over every
// effective non-secret value except logging. Secrets are left out so the hash
// reveals nothing about them.
func (s *Settings) Hash() string {
	h := sha256.New()
	for _, v := range s.values {
		if v.Secret || notShaping[v.Key] {
			continue
		}
		h.Write([]byte(v.Key))
		h.Write([]byte{0})
		h.Write([]byte(v.Raw))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

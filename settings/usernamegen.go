package settings

import (
	"fmt"
	"os"
	"strings"

	"moxsync/engine"
)

// DefaultUsernameGenerator is the username generator of seed 004, used when
// USERNAME_GENERATOR is blank.
const DefaultUsernameGenerator = engine.DefaultUsernameConfigJSON

// UsernameGeneratorJSON returns the JSON document of the username generator:
// inline, read from the file, or the seed's example.
func (a AD) UsernameGeneratorJSON() ([]byte, error) {
	switch v := a.UsernameGenerator; {
	case v == "":
		return []byte(DefaultUsernameGenerator), nil
	case strings.HasPrefix(v, "{"):
		return []byte(v), nil
	default:
		b, err := os.ReadFile(v)
		if err != nil {
			return nil, fmt.Errorf("read USERNAME_GENERATOR file: %w", err)
		}
		return b, nil
	}
}

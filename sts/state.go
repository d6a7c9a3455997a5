package sts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"moxsync/engine"
)

// StateFormatVersion is the version of the state file's JSON.
const StateFormatVersion = 1

// Warning codes of the state file.
const (
	WarnStateMissing = "sts_state_missing"
	WarnStateCorrupt = "sts_state_corrupt"
	WarnStateMox     = "sts_state_mox_hash_cache"
)

// State is the local record of what STS holds: per object, the payload last
// sent with a 2xx answer, keyed "/orgunit/<uuid>" or "/user/<uuid>" (the
// keys of mox's hash cache). It is the "before" of engine.DiffSTS. It holds
// personal data (names, CPR when synced) and is written with mode 0600.
//
// A State is safe for concurrent use.
type State struct {
	path string

	// saveMu serialises writes of the file; mu guards the maps. A save
	// copies the encoded entries under mu and writes without it, so the
	// writers that record into the state never wait for a disk.
	saveMu sync.Mutex

	mu      sync.Mutex
	units   map[string]engine.STSUnit
	users   map[string]engine.STSUser
	enc     map[string][]byte // state key → JSON of the entry, made once per Put
	dirty   int               // changes since the last save
	savedAt time.Time         // time of the last save
}

// stateFile is the JSON on disk.
type stateFile struct {
	FormatVersion int                        `json:"format_version"`
	WrittenAt     time.Time                  `json:"written_at"`
	Objects       map[string]json.RawMessage `json:"objects"`
}

// NewState returns an empty state that saves to path.
func NewState(path string) *State {
	return &State{path: path, units: map[string]engine.STSUnit{}, users: map[string]engine.STSUser{}, enc: map[string][]byte{}, savedAt: time.Now()}
}

// LoadState reads the state file at path. A missing, unreadable-as-JSON or
// foreign file (such as a mox_stsorgsync hash cache, which holds hashes and
// no payloads) is not an error: it gives an empty state — every object
// counts as pending — and a Warning that says so. Only an I/O error other
// than "not found" (permissions, a directory) is an error, because the
// state could not be saved either.
func LoadState(path string) (*State, []engine.Warning, error) {
	s := NewState(path)
	b, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, []engine.Warning{{Code: WarnStateMissing, System: string(engine.SystemSTS), Key: path,
			Message: fmt.Sprintf("no STS state file at %s: every unit and user counts as not yet sent until the record is rebuilt from STS itself (a plan that covers STS does that by itself, as does plan --refresh-sts)", path)}}, nil
	case err != nil:
		return nil, nil, fmt.Errorf("sts: read state file %s: %w", path, err)
	}
	corrupt := func(why string) (*State, []engine.Warning, error) {
		return NewState(path), []engine.Warning{{Code: WarnStateCorrupt, System: string(engine.SystemSTS), Key: path,
			Message: fmt.Sprintf("STS state file %s is unusable (%s): it is ignored and every unit and user counts as not yet sent; it is replaced at the next apply", path, why)}}, nil
	}
	var f stateFile
	if err := json.Unmarshal(b, &f); err != nil {
		return corrupt(err.Error())
	}
	if f.FormatVersion == 0 {
		var mox map[string]string
		if json.Unmarshal(b, &mox) == nil && len(mox) > 0 {
			return NewState(path), []engine.Warning{{Code: WarnStateMox, System: string(engine.SystemSTS), Key: path,
				Message: fmt.Sprintf("%s is a mox_stsorgsync hash cache (hashes, no payloads): it cannot be compared with moxsync's payloads, so every unit and user counts as not yet sent; it is replaced by a moxsync state file at the next apply", path)}}, nil
		}
		return corrupt("no format_version")
	}
	if f.FormatVersion > StateFormatVersion {
		return corrupt(fmt.Sprintf("format_version %d is newer than this moxsync understands (%d)", f.FormatVersion, StateFormatVersion))
	}
	for key, raw := range f.Objects {
		kind, id, ok := splitKey(key)
		if !ok {
			return corrupt(fmt.Sprintf("bad key %q", key))
		}
		switch kind {
		case "orgunit":
			var u engine.STSUnit
			if err := json.Unmarshal(raw, &u); err != nil || u.UUID != id {
				return corrupt(fmt.Sprintf("bad entry %q", key))
			}
			s.units[id] = u
			s.enc[key] = raw
		case "user":
			var u engine.STSUser
			if err := json.Unmarshal(raw, &u); err != nil || u.UUID != id {
				return corrupt(fmt.Sprintf("bad entry %q", key))
			}
			s.users[id] = u
			s.enc[key] = raw
		}
	}
	return s, nil, nil
}

// UnitKey and UserKey are the state keys of an object.
func UnitKey(id string) string { return "/orgunit/" + strings.ToLower(id) }

// UserKey is the state key of a user.
func UserKey(id string) string { return "/user/" + strings.ToLower(id) }

func splitKey(key string) (kind, id string, ok bool) {
	switch {
	case strings.HasPrefix(key, "/orgunit/"):
		kind, id = "orgunit", key[len("/orgunit/"):]
	case strings.HasPrefix(key, "/user/"):
		kind, id = "user", key[len("/user/"):]
	default:
		return "", "", false
	}
	return kind, id, id != "" && id == strings.ToLower(id)
}

// Path returns the file the state saves to.
func (s *State) Path() string { return s.path }

// Record returns a copy of the state as the engine's "before".
func (s *State) Record() engine.STSRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return engine.STSRecord{Units: maps.Clone(s.units), Users: maps.Clone(s.users)}
}

// Unit returns the recorded payload of a unit.
func (s *State) Unit(id string) (engine.STSUnit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.units[strings.ToLower(id)]
	return u, ok
}

// User returns the recorded payload of a user.
func (s *State) User(id string) (engine.STSUser, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[strings.ToLower(id)]
	return u, ok
}

// Len returns the number of recorded units and users.
func (s *State) Len() (units, users int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.units), len(s.users)
}

// PutUnit records u as sent. Call it only after a 2xx.
func (s *State) PutUnit(u engine.STSUnit) {
	b, _ := json.Marshal(u) // cannot fail: plain strings and slices
	id := strings.ToLower(u.UUID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.units[id] = u
	s.enc[UnitKey(id)] = b
	s.dirty++
}

// PutUser records u as sent. Call it only after a 2xx.
func (s *State) PutUser(u engine.STSUser) {
	b, _ := json.Marshal(u)
	id := strings.ToLower(u.UUID)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[id] = u
	s.enc[UserKey(id)] = b
	s.dirty++
}

// RemoveUnit forgets a unit (deleted, or not found in STS).
func (s *State) RemoveUnit(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.units[strings.ToLower(id)]; ok {
		delete(s.units, strings.ToLower(id))
		delete(s.enc, UnitKey(id))
		s.dirty++
	}
}

// RemoveUser forgets a user.
func (s *State) RemoveUser(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[strings.ToLower(id)]; ok {
		delete(s.users, strings.ToLower(id))
		delete(s.enc, UserKey(id))
		s.dirty++
	}
}

// Reset forgets everything (the "bypass cache" of sts-api.md §6); Save
// makes it permanent.
func (s *State) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.units = map[string]engine.STSUnit{}
	s.users = map[string]engine.STSUser{}
	s.enc = map[string][]byte{}
	s.dirty++
}

// Dirty returns the number of changes not yet saved.
func (s *State) Dirty() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dirty
}

// Save writes the state atomically: a temporary file in the same directory
// (mode 0600), fsync, rename over the old file, fsync of the directory. A
// crash leaves either the old or the new file, never half of one.
func (s *State) Save() error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	return s.save()
}

// SaveIfDirty saves when at least every changes are unsaved or the last
// save is older than interval; it is what Recorder calls after each write.
// When another save is running it returns at once: the next call catches up.
func (s *State) SaveIfDirty(every int, interval time.Duration) error {
	s.mu.Lock()
	due := s.dirty > 0 && (s.dirty >= every || time.Since(s.savedAt) >= interval)
	s.mu.Unlock()
	if !due || !s.saveMu.TryLock() {
		return nil
	}
	defer s.saveMu.Unlock()
	return s.save()
}

// save runs with saveMu held.
func (s *State) save() error {
	s.mu.Lock()
	b := s.encodeLocked()
	n := s.dirty
	s.mu.Unlock()
	if err := writeFileAtomic(s.path, b, 0o600); err != nil {
		return fmt.Errorf("sts: save state file %s: %w", s.path, err)
	}
	s.mu.Lock()
	s.dirty -= n
	s.savedAt = time.Now()
	s.mu.Unlock()
	return nil
}

// encodeLocked renders the file with its keys sorted, units first, one
// entry per line, so that two state files diff readably.
func (s *State) encodeLocked() []byte {
	keys := slices.Sorted(maps.Keys(s.enc)) // "/orgunit/…" before "/user/…"
	size := 64
	for _, k := range keys {
		size += len(k) + len(s.enc[k]) + 8
	}
	buf := bytes.NewBuffer(make([]byte, 0, size))
	fmt.Fprintf(buf, `{"format_version":%d,"written_at":%q,"objects":{`, StateFormatVersion, time.Now().UTC().Format(time.RFC3339Nano))
	for i, k := range keys {
		if i > 0 {
			buf.WriteByte(',')
		}
		kj, _ := json.Marshal(k)
		buf.WriteByte('\n')
		buf.Write(kj)
		buf.WriteByte(':')
		buf.Write(s.enc[k])
	}
	buf.WriteString("\n}}\n")
	return buf.Bytes()
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return nil // renamed; a directory we cannot open cannot be synced
	}
	defer d.Close()
	if serr := d.Sync(); serr != nil && !errors.Is(serr, os.ErrInvalid) {
		return serr
	}
	return nil
}

package settings

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/ini.v1"
)

// EnvConfig names the environment variable that points at the settings file.
const EnvConfig = "MOX_MO_CONFIG"

// FileName is the name looked for in the current directory and next to the
// executable.
const FileName = "settings.ini"

// LoadOptions says where Load looks. Zero values are allowed: no --config, no
// environment, no executable directory, and the process's working directory.
type LoadOptions struct {
	ConfigFlag string              // value of --config, "" if not given
	Getenv     func(string) string // nil = no environment
	Executable string              // path of the running binary ("" = skip that step)
	Cwd        string              // current directory ("" = os.Getwd)
	// NoFile reads no settings file at all, only defaults and Getenv (the
	// demo describes its in-process systems that way).
	NoFile bool
}

// Load finds the settings file, reads it, applies environment overrides and
// defaults, and validates everything. A *ValidationError lists every problem;
// other errors are about finding or reading the file.
func Load(opts LoadOptions) (*Settings, error) {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	cwd := opts.Cwd
	if cwd == "" {
		var err error
		if cwd, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("settings: current directory: %w", err)
		}
	}
	var path string
	if !opts.NoFile {
		var err error
		if path, err = find(opts, getenv, cwd); err != nil {
			return nil, err
		}
	}
	var file *parsedFile
	var problems []Problem
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("settings: read %s: %w", path, err)
		}
		file, problems, err = parseFile(path, data)
		if err != nil {
			return nil, err
		}
	}
	s := &Settings{Path: path}
	report := func(p Problem) { problems = append(problems, p) }
	for i := range keys {
		k := &keys[i]
		f := field{s: s, key: k, raw: k.def, src: Source{Kind: FromDefault}, base: cwd, report: report}
		if file != nil {
			if e, ok := file.entries[k.name]; ok {
				f.raw, f.src, f.base = e.value, Source{Kind: FromFile, File: path, Line: e.line}, filepath.Dir(path)
			}
		}
		if v := getenv(k.name); v != "" {
			f.raw, f.src, f.base = strings.TrimSpace(v), Source{Kind: FromEnv}, cwd
		}
		k.set(&f)
		s.values = append(s.values, Value{Key: k.name, Raw: f.raw, Secret: k.secret, Source: f.src, Display: display(f.raw, k.secret)})
	}
	problems = append(problems, s.crossCheck()...)
	if len(problems) > 0 {
		sortProblems(problems)
		return nil, &ValidationError{Path: path, Problems: problems}
	}
	return s, nil
}

// find returns the settings file to read, or "" when there is none.
func find(opts LoadOptions, getenv func(string) string, cwd string) (string, error) {
	named := func(p, how string) (string, error) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(cwd, p)
		}
		st, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "", fmt.Errorf("settings file %s (named by %s) does not exist", p, how)
		case err != nil:
			return "", fmt.Errorf("settings file %s (named by %s): %w", p, how, err)
		case st.IsDir():
			return "", fmt.Errorf("settings file %s (named by %s) is a directory, not a file", p, how)
		}
		return p, nil
	}
	if opts.ConfigFlag != "" {
		return named(opts.ConfigFlag, "--config")
	}
	if v := getenv(EnvConfig); v != "" {
		return named(v, EnvConfig)
	}
	candidates := []string{filepath.Join(cwd, FileName)}
	if opts.Executable != "" {
		exe := opts.Executable
		if r, err := filepath.EvalSymlinks(exe); err == nil {
			exe = r
		}
		candidates = append(candidates, filepath.Join(filepath.Dir(exe), FileName))
	}
	for _, p := range candidates {
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", nil
}

type entry struct {
	value string
	line  int
}

type parsedFile struct {
	entries map[string]entry // upper-case key name → value and line
}

// parseFile reads the [settings] section with gopkg.in/ini.v1 and finds each
// key's line with a small scan of its own (ini.v1 does not keep lines). Keys
// outside [settings], unknown keys and repeated keys are problems.
func parseFile(path string, data []byte) (*parsedFile, []Problem, error) {
	cfg, err := ini.LoadSources(ini.LoadOptions{
		InsensitiveSections: true,
		InsensitiveKeys:     true,
		// Like Python's configparser: ';' and '#' inside a value are kept, a
		// trailing backslash is part of the value, and indented lines continue
		// the previous value (for AD_MAPPING over several lines).
		IgnoreInlineComment:        true,
		IgnoreContinuation:         true,
		AllowPythonMultilineValues: true,
	}, data)
	if err != nil {
		return nil, nil, fmt.Errorf("settings: %s is not a valid ini file: %w", path, err)
	}
	lines := scanLines(data)
	pf := &parsedFile{entries: map[string]entry{}}
	var problems []Problem
	hasSettings := false
	for _, sec := range cfg.Sections() {
		name := sec.Name()
		if name == "settings" {
			hasSettings = true
		}
		for _, k := range sec.Keys() {
			key := strings.ToUpper(k.Name())
			ls := lines[lineKey{section: strings.ToLower(name), key: key}]
			line := 0
			if len(ls) > 0 {
				line = ls[0]
			}
			if name != "settings" {
				where := "before any section"
				if !strings.EqualFold(name, ini.DefaultSection) {
					where = "in section [" + sec.Name() + "]"
				}
				problems = append(problems, Problem{File: path, Line: line, Key: key,
					Expected: fmt.Sprintf("found %s; moxsync reads only keys in [settings]", where)})
				continue
			}
			if len(ls) > 1 {
				problems = append(problems, Problem{File: path, Line: ls[1], Key: key,
					Expected: fmt.Sprintf("set more than once (first on line %d); keep one", ls[0])})
			}
			if _, known := Default(key); !known {
				msg := "unknown key"
				if near := nearestKey(key); near != "" {
					msg += "; did you mean " + near + "?"
				} else {
					msg += "; see settings.ini.example for the known keys"
				}
				problems = append(problems, Problem{File: path, Line: line, Key: key, Expected: msg})
				continue
			}
			pf.entries[key] = entry{value: strings.TrimSpace(k.Value()), line: line}
		}
	}
	if !hasSettings {
		problems = append(problems, Problem{File: path, Expected: "no [settings] section; every key belongs under a line [settings]"})
	}
	return pf, problems, nil
}

type lineKey struct{ section, key string }

// scanLines maps (lower-case section, upper-case key) to the 1-based lines
// where the key is set, in file order.
func scanLines(data []byte) map[lineKey][]int {
	out := map[lineKey][]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	section, n := strings.ToLower(ini.DefaultSection), 0
	inValue := false // after a key: indented lines continue its value
	for sc.Scan() {
		n++
		raw := sc.Text()
		if n == 1 {
			raw = strings.TrimPrefix(raw, "\ufeff")
		}
		line := strings.TrimSpace(raw)
		indented := line != "" && (raw[0] == ' ' || raw[0] == '\t')
		switch {
		case line == "":
			inValue = false
			continue
		case inValue && indented:
			continue
		case line[0] == ';' || line[0] == '#':
			continue
		case line[0] == '[':
			inValue = false
			if end := strings.IndexByte(line, ']'); end > 0 {
				section = strings.ToLower(strings.TrimSpace(line[1:end]))
			}
			continue
		}
		i := strings.IndexAny(line, "=:")
		if i <= 0 {
			continue
		}
		inValue = true
		key := strings.ToUpper(strings.TrimSpace(line[:i]))
		lk := lineKey{section: section, key: key}
		out[lk] = append(out[lk], n)
	}
	return out
}

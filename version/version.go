package version

import "runtime/debug"

// version is set at build time with
// -ldflags "-X moxsync/version.version=…"; otherwise the module version
// from the build info is used.
var version = ""

// String is the version of moxsync: the one set at build time, else the
// module version, else "dev".
func String() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

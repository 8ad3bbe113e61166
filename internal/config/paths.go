// Package config finds Rapport's folders and keeps its small settings file.
//
// Three folders matter:
//
//   - the config dir, os.UserConfigDir()/rapport, holds config.toml (the
//     remembered trainee name);
//   - the data dir holds what Rapport produces: $RAPPORT_DATA_DIR if set,
//     else $XDG_DATA_HOME/rapport, else the platform's usual place
//     (~/.local/share/rapport on Linux and BSD, ~/Library/Application
//     Support/rapport on macOS, %LocalAppData%\rapport on Windows);
//   - the results dir, <data dir>/results, holds one JSON record per
//     attempt (package results).
//
// Every lookup takes a getenv function instead of reading the process
// environment, so tests and the SSH server can pass their own.
package config

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
)

// App is the folder name Rapport uses under the platform's config and data
// dirs.
const App = "rapport"

// Environment variables that override the defaults.
const (
	// EnvDataDir replaces the whole data dir (results and anything else
	// Rapport keeps there).
	EnvDataDir = "RAPPORT_DATA_DIR"
	// EnvConfigDir replaces the config dir.
	EnvConfigDir = "RAPPORT_CONFIG_DIR"
	// EnvCacheDir replaces the cache dir; "off" turns the cache off.
	EnvCacheDir = "RAPPORT_CACHE_DIR"
)

// ConfigFile is the settings file's name inside the config dir.
const ConfigFile = "config.toml"

// ErrNoHome means no folder could be worked out because neither the
// relevant XDG variable nor a home directory is known.
var ErrNoHome = errors.New("no home directory (set HOME or " + EnvDataDir + ")")

// Paths are the folders Rapport uses.
type Paths struct {
	// Config is the config dir; File is the settings file in it.
	Config string `json:"config"`
	File   string `json:"config_file"`
	// Data is the data dir; Results is where attempts are saved.
	Data    string `json:"data"`
	Results string `json:"results"`
}

// Resolve works out every folder from the environment. It does not create
// them.
func Resolve(getenv func(string) string) (Paths, error) {
	cfg, err := ConfigDir(getenv)
	if err != nil {
		return Paths{}, err
	}
	data, err := DataDir(getenv)
	if err != nil {
		return Paths{}, err
	}
	return Paths{
		Config:  cfg,
		File:    filepath.Join(cfg, ConfigFile),
		Data:    data,
		Results: filepath.Join(data, "results"),
	}, nil
}

// ResultsDir is the default folder attempts are saved to.
func ResultsDir(getenv func(string) string) (string, error) {
	data, err := DataDir(getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(data, "results"), nil
}

// ConfigDir returns the config dir: $RAPPORT_CONFIG_DIR, else the rules of
// os.UserConfigDir applied to getenv, plus "rapport".
func ConfigDir(getenv func(string) string) (string, error) {
	if d := getenv(EnvConfigDir); d != "" {
		return filepath.Clean(d), nil
	}
	base, err := userConfigDir(runtime.GOOS, getenv)
	if err != nil {
		return "", fmt.Errorf("config dir: %w", err)
	}
	return filepath.Join(base, App), nil
}

// DataDir returns the data dir: $RAPPORT_DATA_DIR, else
// $XDG_DATA_HOME/rapport, else the platform default.
func DataDir(getenv func(string) string) (string, error) {
	if d := getenv(EnvDataDir); d != "" {
		return filepath.Clean(d), nil
	}
	base, err := userDataDir(runtime.GOOS, getenv)
	if err != nil {
		return "", fmt.Errorf("data dir: %w", err)
	}
	return filepath.Join(base, App), nil
}

// ErrNoCache means the cache is turned off ($RAPPORT_CACHE_DIR=off).
var ErrNoCache = errors.New("the cache is off (" + EnvCacheDir + "=off)")

// CacheDir returns the cache dir, which holds what Rapport can always
// work out again (parsed scenario files): $RAPPORT_CACHE_DIR, else the
// rules of os.UserCacheDir applied to getenv, plus "rapport". It returns
// ErrNoCache when $RAPPORT_CACHE_DIR is "off".
func CacheDir(getenv func(string) string) (string, error) {
	if d := getenv(EnvCacheDir); d == "off" {
		return "", ErrNoCache
	} else if d != "" {
		return filepath.Clean(d), nil
	}
	base, err := userCacheDir(runtime.GOOS, getenv)
	if err != nil {
		return "", fmt.Errorf("cache dir: %w", err)
	}
	return filepath.Join(base, App), nil
}

// userCacheDir is os.UserCacheDir with the environment passed in.
func userCacheDir(goos string, getenv func(string) string) (string, error) {
	return userBaseDir(goos, getenv, baseDir{
		windowsVar: "LocalAppData", darwin: "Library/Caches", plan9: "lib/cache",
		xdgVar: "XDG_CACHE_HOME", unix: ".cache",
	})
}

// userConfigDir is os.UserConfigDir with the environment passed in, so the
// rules can be tested for every platform on any platform.
func userConfigDir(goos string, getenv func(string) string) (string, error) {
	return userBaseDir(goos, getenv, baseDir{
		windowsVar: "AppData", darwin: "Library/Application Support", plan9: "lib",
		xdgVar: "XDG_CONFIG_HOME", unix: ".config",
	})
}

// baseDir says where one kind of per-user folder lives on each platform, as
// the standard library's os.UserConfigDir and os.UserCacheDir have it.
type baseDir struct {
	windowsVar string // the environment variable that names it on Windows
	darwin     string // below the home folder on macOS and iOS
	plan9      string // below the home folder on Plan 9
	xdgVar     string // the XDG variable that overrides it elsewhere
	unix       string // below the home folder elsewhere
}

func userBaseDir(goos string, getenv func(string) string, b baseDir) (string, error) {
	sub := b.unix
	switch goos {
	case "windows":
		if d := getenv(b.windowsVar); d != "" {
			return d, nil
		}
		return "", fmt.Errorf("%%%s%% is not set", b.windowsVar)
	case "darwin", "ios":
		sub = b.darwin
	case "plan9":
		sub = b.plan9
	default:
		// Like os.UserConfigDir, a relative XDG path is ignored rather than
		// resolved against whatever the working directory happens to be.
		if d := getenv(b.xdgVar); d != "" && filepath.IsAbs(d) {
			return d, nil
		}
	}
	home, err := homeDir(goos, getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(home, filepath.FromSlash(sub)), nil
}

// userDataDir is the data counterpart of userConfigDir, which the standard
// library lacks: XDG_DATA_HOME on Unix, the same Application Support folder
// on macOS, and the local (not roaming) app data folder on Windows, since
// results can grow and need not follow a user between machines.
func userDataDir(goos string, getenv func(string) string) (string, error) {
	if d := getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return d, nil
	}
	switch goos {
	case "windows":
		if d := getenv("LocalAppData"); d != "" {
			return d, nil
		}
		if d := getenv("AppData"); d != "" {
			return d, nil
		}
		return "", errors.New("%LocalAppData% is not set")
	case "darwin", "ios":
		home, err := homeDir(goos, getenv)
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support"), nil
	case "plan9":
		home, err := homeDir(goos, getenv)
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "lib"), nil
	}
	home, err := homeDir(goos, getenv)
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share"), nil
}

func homeDir(goos string, getenv func(string) string) (string, error) {
	key := "HOME"
	switch goos {
	case "windows":
		key = "USERPROFILE"
	case "plan9":
		key = "home"
	}
	if h := getenv(key); h != "" {
		return h, nil
	}
	return "", ErrNoHome
}

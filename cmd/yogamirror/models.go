package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/yogamirror/yogamirror/inference/catalog"
)

func init() {
	commands["models"] = command{"fetch the default models (checksums verified)", runModels}
}

// defaultModelDir is where models live when --models is not given:
// $YOGAMIRROR_MODELS, else the build/models folder of the source checkout
// the binary was built in (bin/yogamirror → build/models, where `make
// models` puts them), else the daemon's /var/lib/yogamirror/models.
func defaultModelDir() string {
	exe, _ := os.Executable()
	return modelDirFor(os.Getenv("YOGAMIRROR_MODELS"), exe)
}

func modelDirFor(env, exe string) string {
	if env != "" {
		return env
	}
	if exe != "" {
		if exe, err := filepath.EvalSymlinks(exe); err == nil {
			build := filepath.Join(filepath.Dir(filepath.Dir(exe)), "build")
			if st, err := os.Stat(build); err == nil && st.IsDir() {
				return filepath.Join(build, "models")
			}
		}
	}
	return "/var/lib/yogamirror/models"
}

func runModels(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("models", "fetch [--dir DIR] [--mirror DIR]", stderr)
	dir := fs.String("dir", filepath.Join("build", "models"), "models folder to fill")
	mirror := fs.String("mirror", os.Getenv("YOGAMIRROR_MODELS"), "copy from this folder instead of downloading (default $YOGAMIRROR_MODELS)")
	if len(args) == 0 || args[0] != "fetch" {
		fs.Usage()
		return errUsage
	}
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if abs(*mirror) == abs(*dir) {
		*mirror = "" // the mirror is the target: just verify
	}
	bar := newProgress(stderr, "download")
	did, err := catalog.Install(ctx, catalog.Defaults, catalog.Opts{
		Dir: *dir, Mirror: *mirror,
		Progress: func(name string, done, total int64) { bar.bytes(name, done, total) },
	})
	bar.finish()
	for _, d := range did {
		fmt.Fprintln(stdout, d)
	}
	return err
}

func abs(p string) string {
	a, err := filepath.Abs(p)
	if err != nil {
		return p
	}
	return a
}

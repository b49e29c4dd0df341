//go:build !opencv

package camera

func openCapture(kind Kind, target string, o Opts) (Source, error) {
	return nil, ErrNotBuilt
}

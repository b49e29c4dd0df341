package main

import (
	"fmt"
	"math"
	"reflect"
	"sort"
)

// nonFinite lists every float in the config (struct fields and map values,
// by key path) that is NaN or infinite: YAML's .nan and .inf decode without
// complaint, and every range check is false for NaN, so they would pass
// validation and leave the daemon never seeing a pose.
func nonFinite(v any) []error {
	var errs []error
	walkFloats(reflect.ValueOf(v), "", func(path string, f float64) {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			errs = append(errs, fmt.Errorf("%s: %g is not a number (NaN and infinities are refused)", path, f))
		}
	})
	return errs
}

func walkFloats(v reflect.Value, path string, each func(string, float64)) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkFloats(v.Elem(), path, each)
		}
	case reflect.Float32, reflect.Float64:
		each(path, v.Float())
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			if tag := yamlKey(t.Field(i)); tag != "" {
				walkFloats(v.Field(i), join(path, tag), each)
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(a, b int) bool { return fmt.Sprint(keys[a]) < fmt.Sprint(keys[b]) })
		for _, k := range keys {
			walkFloats(v.MapIndex(k), join(path, fmt.Sprint(k)), each)
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			walkFloats(v.Index(i), fmt.Sprintf("%s[%d]", path, i), each)
		}
	}
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// Bounds on a config's shape, checked on the parsed tree before anything
// is decoded into maps: yaml.v3 decodes a mapping in time quadratic in its
// entries (455k hold_targets kept it busy for over 10 minutes, deaf to
// SIGTERM). The example config has 90 keys; 82 Yoga-82 poses fit easily.
const (
	maxMapEntries = 1000
	maxNodes      = 20000
)

// decodeStrict decodes YAML into v (a pointer to a struct with yaml tags)
// and reports every problem at once, each with its key path: unknown keys,
// duplicate keys, and values of the wrong type.
func decodeStrict(data []byte, v any) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil // empty file: all defaults
	}
	if err := checkShape(doc.Content[0]); err != nil {
		return err
	}
	var errs []error
	walk(doc.Content[0], reflect.ValueOf(v).Elem(), "", &errs)
	return errors.Join(errs...)
}

func walk(n *yaml.Node, v reflect.Value, path string, errs *[]error) {
	bad := func(format string, args ...any) {
		*errs = append(*errs, fmt.Errorf("%s (line %d): %s", orRoot(path), n.Line, fmt.Sprintf(format, args...)))
	}
	if v.Type() == reflect.TypeFor[yaml.Node]() { // decoded later, by whoever knows its shape
		v.Set(reflect.ValueOf(*n))
		return
	}
	if v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Struct {
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		if err := n.Decode(v.Addr().Interface()); err != nil {
			bad("%s", cleanYAMLError(err))
		}
		return
	}
	if n.Kind != yaml.MappingNode {
		bad("want a mapping of keys, got %s", kindName(n))
		return
	}
	fields := fieldsByKey(v)
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i].Value, n.Content[i+1]
		sub := join(path, key)
		if seen[key] {
			*errs = append(*errs, fmt.Errorf("%s (line %d): duplicate key", sub, n.Content[i].Line))
			continue
		}
		seen[key] = true
		f, ok := fields[key]
		if !ok {
			*errs = append(*errs, fmt.Errorf("%s (line %d): unknown key (known here: %s)", sub, n.Content[i].Line, strings.Join(sortedKeys(fields), ", ")))
			continue
		}
		walk(val, f, sub, errs)
	}
}

func fieldsByKey(v reflect.Value) map[string]reflect.Value {
	out := map[string]reflect.Value{}
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if tag := yamlKey(t.Field(i)); tag != "" {
			out[tag] = v.Field(i)
		}
	}
	return out
}

// yamlKey is a field's key in the config, "" when it has none.
func yamlKey(f reflect.StructField) string {
	tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
	if tag == "-" || !f.IsExported() {
		return ""
	}
	return tag
}

func sortedKeys(m map[string]reflect.Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func cleanYAMLError(err error) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "yaml: unmarshal errors:\n")
	return strings.TrimSpace(s)
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("the value %q", n.Value)
	}
	return "something else"
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "config"
	}
	return path
}

// checkShape refuses a tree with too many nodes or a mapping with too many
// entries, naming the key path and line.
func checkShape(root *yaml.Node) error {
	nodes := 0
	var errs []error
	var visit func(n *yaml.Node, path string)
	visit = func(n *yaml.Node, path string) {
		nodes++
		if n.Kind == yaml.MappingNode && len(n.Content)/2 > maxMapEntries {
			errs = append(errs, fmt.Errorf("%s (line %d): %d entries, the limit is %d", orRoot(path), n.Line, len(n.Content)/2, maxMapEntries))
			return
		}
		for i := 0; i < len(n.Content) && nodes <= maxNodes; i++ {
			sub := path
			if n.Kind == yaml.MappingNode && i%2 == 1 {
				sub = join(path, n.Content[i-1].Value)
			}
			visit(n.Content[i], sub)
		}
	}
	visit(root, "")
	if nodes > maxNodes {
		errs = append(errs, fmt.Errorf("config: more than %d YAML nodes; this is not a yogamirrord configuration", maxNodes))
	}
	return errors.Join(errs...)
}

package yoga82_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/yogamirror/yogamirror/cross/testkit"
	"github.com/yogamirror/yogamirror/inference/offline/yoga82"
)

func realHierarchy(t *testing.T) *yoga82.Hierarchy {
	t.Helper()
	h, err := yoga82.ReadHierarchy(testkit.Path(t, "data/yoga82/yoga82_class_hierarchy.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestRealHierarchy(t *testing.T) {
	h := realHierarchy(t)
	for _, l := range yoga82.Levels {
		if got := len(h.Names(l)); got != int(l) {
			t.Errorf("level %v: %d names, want %d", l, got, int(l))
		}
	}
	// Spot checks straight from the file.
	if got := h.Name(yoga82.Level82, 68); got != "Tree_Pose_or_Vrksasana_" {
		t.Errorf("class82 68 = %q", got)
	}
	if got := h.Parent(yoga82.Level20, 68); got != 0 || h.Name(yoga82.Level20, got) != "Standing: Straight" {
		t.Errorf("class82 68 -> class20 %d", got)
	}
	if got := h.Parent(yoga82.Level6, 57); got != 1 || h.Name(yoga82.Level6, got) != "Sitting" {
		t.Errorf("class82 57 -> class6 %d", got)
	}
	if id, ok := h.Class82("Split pose"); !ok || id != 58 {
		t.Errorf(`Class82("Split pose") = %d, %v`, id, ok)
	}
	var sum yoga82.Counts
	for id := range h.Names(yoga82.Level82) {
		c := h.Counts(id)
		sum.Train, sum.Test, sum.URLs = sum.Train+c.Train, sum.Test+c.Test, sum.URLs+c.URLs
	}
	if sum != (yoga82.Counts{Train: 20994, Test: 7456, URLs: 28450}) {
		t.Errorf("summed counts %+v", sum)
	}
}

func TestRealSplits(t *testing.T) {
	h := realHierarchy(t)
	for _, tc := range []struct {
		file string
		n    int
		test bool
	}{{"yoga_train.txt", 20994, false}, {"yoga_test.txt", 7456, true}} {
		t.Run(tc.file, func(t *testing.T) {
			es, err := yoga82.ReadSplit(testkit.Path(t, "data/yoga82/"+tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != tc.n {
				t.Fatalf("%d entries, want %d", len(es), tc.n)
			}
			if err := h.Validate(tc.file, es); err != nil {
				t.Fatal(err)
			}
			per := map[int]int{}
			for _, e := range es {
				per[e.Class82]++
			}
			for id := range h.Names(yoga82.Level82) {
				want := h.Counts(id).Train
				if tc.test {
					want = h.Counts(id).Test
				}
				if per[id] != want {
					t.Errorf("class82 %d: %d entries, hierarchy says %d", id, per[id], want)
				}
			}
		})
	}
}

func TestRealLinks(t *testing.T) {
	h := realHierarchy(t)
	links, err := yoga82.ReadLinksDir(testkit.Path(t, "data/yoga82/yoga_dataset_links"))
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 28450 {
		t.Fatalf("%d links, want 28450", len(links))
	}
	per := map[string]int{}
	paths := map[string]bool{}
	for _, l := range links {
		per[strings.Split(l.Path, "/")[0]]++
		paths[l.Path] = true
	}
	for id, name := range h.Names(yoga82.Level82) {
		if per[name] != h.Counts(id).URLs {
			t.Errorf("%s: %d links, hierarchy says %d", name, per[name], h.Counts(id).URLs)
		}
	}
	// Every split entry must resolve to a link, including the two folders
	// whose link files spell them differently.
	for _, f := range []string{"yoga_train.txt", "yoga_test.txt"} {
		es, err := yoga82.ReadSplit(testkit.Path(t, "data/yoga82/"+f))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if !paths[e.Path] {
				t.Fatalf("%s:%d: %s has no link", f, e.Line, e.Path)
			}
		}
	}
	if !paths["Sitting pose 1 (normal)/1_610.jpg"] {
		t.Error("Sitting pose 1 (normal)/1_610.jpg not among the links")
	}
}

func TestParseSplitErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"too few fields", "A/1.jpg,1,2,3\nA/2.jpg,1,2\n", "t.txt:2: want path,class6,class20,class82, got 3"},
		{"not a number", "A/1.jpg,1,x,3\n", `t.txt:1: class id "x"`},
		{"negative", "\n\nA/1.jpg,1,2,-3\n", `t.txt:3: class id "-3"`},
		{"no folder", "1.jpg,1,2,3\n", `t.txt:1: image path "1.jpg" is not Folder/name`},
		{"escapes", "../1.jpg,1,2,3\n", `t.txt:1: image path "../1.jpg"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := yoga82.ParseSplit(strings.NewReader(tc.in), "t.txt")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseSplitOK(t *testing.T) {
	in := "\ufeffA b (c)/1.jpg,1,2,3\r\n\r\nX/2.jpg, 0,0,0\n"
	es, err := yoga82.ParseSplit(strings.NewReader(in), "t.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []yoga82.Entry{
		{Path: "A b (c)/1.jpg", Class6: 1, Class20: 2, Class82: 3, Line: 1},
		{Path: "X/2.jpg", Line: 3},
	}
	if len(es) != 2 || es[0] != want[0] || es[1] != want[1] {
		t.Fatalf("got %+v, want %+v", es, want)
	}
	if es[0].Folder() != "A b (c)" || es[0].Label(yoga82.Level20) != 2 {
		t.Errorf("Folder/Label wrong: %q %d", es[0].Folder(), es[0].Label(yoga82.Level20))
	}
}

const testHierarchy = `class82_id,class82_name,class20_id,class20_name,class6_id,class6_name,n_train,n_test,n_url_lines
0,"A",0,"a",0,"Top",1,1,2
1,"B",1,"b",0,"Top",1,0,1
`

func TestParseHierarchyErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"missing column", "class82_id,class82_name\n", `h.csv:1: header lacks column "class20_id"`},
		{"bad id", testHierarchy + "x,\"C\",1,\"b\",0,\"Top\",1,1,1\n", `h.csv:4: class82_id "x"`},
		{"two parents", testHierarchy + "2,\"C\",1,\"b\",1,\"Other\",1,1,1\n", "h.csv:4: class20 1 has two parents"},
		{"duplicate id", testHierarchy + "1,\"C\",1,\"b\",0,\"Top\",1,1,1\n", `h.csv:4: class82_id 1 is already "B"`},
		{"gap", testHierarchy + "3,\"D\",1,\"b\",0,\"Top\",1,1,1\n", "level 82: ids are not 0..2: 2 is missing"},
		{"short row", testHierarchy + "2,\"C\",1\n", "h.csv:4: want 9 fields, got 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := yoga82.ParseHierarchy(strings.NewReader(tc.in), "h.csv")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	h, err := yoga82.ParseHierarchy(strings.NewReader(testHierarchy), "h.csv")
	if err != nil {
		t.Fatal(err)
	}
	es, err := yoga82.ParseSplit(strings.NewReader("A/1.jpg,0,0,0\nB/1.jpg,0,0,1\nA/1.jpg,0,0,0\nA/2.jpg,0,0,1\nA/3.jpg,0,0,7\n"), "s.txt")
	if err != nil {
		t.Fatal(err)
	}
	err = h.Validate("s.txt", es)
	for _, want := range []string{
		"s.txt:2: class20 0, but class82 1 belongs to class20 1",
		"s.txt:3: A/1.jpg already listed on line 1",
		"s.txt:4: class20 0",
		"s.txt:5: class82 7 out of range",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v\nwant it to contain %q", err, want)
		}
	}
}

func TestReadLinksErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"no tab", "P/1.jpg http://x/1.jpg\n", "Bad.txt:1: want path<TAB>url"},
		{"empty url", "P/1.jpg\thttp://x/1.jpg\nP/2.jpg\t \n", "Bad.txt:2: want path<TAB>url"},
		{"bad path", "/etc/passwd\thttp://x\n", `Bad.txt:1: image path "/etc/passwd"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(dir, "Bad.txt")
			testkit.WriteFile(t, p, []byte(tc.in))
			_, err := yoga82.ReadLinks(p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

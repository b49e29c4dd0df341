package display

import (
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
)

func TestName(t *testing.T) {
	tests := []struct {
		label string
		want  PoseName
	}{
		{"tree", PoseName{Name: "Tree", Sanskrit: "Vrksasana"}},
		{"Tree", PoseName{Name: "Tree", Sanskrit: "Vrksasana"}},
		{"Warrior2", PoseName{Name: "Warrior II", Sanskrit: "Virabhadrasana II"}},
		{"warrior", PoseName{Name: "Warrior", Sanskrit: "Virabhadrasana"}},
		{"dog", PoseName{Name: "Downward Dog", Sanskrit: "Adho Mukha Svanasana"}},
		{"Downdog", PoseName{Name: "Downward Dog", Sanskrit: "Adho Mukha Svanasana"}},
		{"Goddess", PoseName{Name: "Goddess", Sanskrit: "Utkata Konasana"}},
		{"Plank", PoseName{Name: "Plank", Sanskrit: "Phalakasana (Kumbhakasana)"}},
		{"chair", PoseName{Name: "Chair", Sanskrit: "Utkatasana"}},
		{"cobra", PoseName{Name: "Cobra", Sanskrit: "Bhujangasana"}},
		{"Tree_Pose_or_Vrksasana_", PoseName{Name: "Tree", Sanskrit: "Vrksasana"}},
		{"Warrior_II_Pose_or_Virabhadrasana_II_", PoseName{Name: "Warrior II", Sanskrit: "Virabhadrasana II"}},
		{"Downward-Facing_Dog_pose_or_Adho_Mukha_Svanasana_", PoseName{Name: "Downward Facing Dog", Sanskrit: "Adho Mukha Svanasana"}},
		{"Half_Lord_of_the_Fishes_Pose_or_Ardha_Matsyendrasana_", PoseName{Name: "Half Lord of the Fishes", Sanskrit: "Ardha Matsyendrasana"}},
		{"viparita_virabhadrasana_or_reverse_warrior_pose", PoseName{Name: "Reverse Warrior", Sanskrit: "Viparita Virabhadrasana"}},
		{"Virasana_or_Vajrasana", PoseName{Name: "Virasana", Sanskrit: "Vajrasana"}},
		{"Adho_Mukha_Svanasana", PoseName{Name: "Adho Mukha Svanasana", Sanskrit: ""}},
		{"Akarna_Dhanurasana", PoseName{Name: "Akarna Dhanurasana", Sanskrit: ""}},
		{"Split pose", PoseName{Name: "Split", Sanskrit: ""}},
		{"half_moon", PoseName{Name: "Half Moon", Sanskrit: "Ardha Chandrasana"}},
		{"SideBend3", PoseName{Name: "Side Bend III", Sanskrit: ""}},
		{"", PoseName{}},
	}
	for _, tc := range tests {
		t.Run(tc.label, func(t *testing.T) {
			if got := Name(tc.label); got != tc.want {
				t.Errorf("Name(%q) = %+v, want %+v", tc.label, got, tc.want)
			}
		})
	}
}

func TestClock(t *testing.T) {
	tests := []struct {
		s    float64
		want string
	}{
		{0, "0:00"}, {-3, "0:00"}, {0.99, "0:00"}, {29.9, "0:29"}, {30, "0:30"},
		{61, "1:01"}, {599, "9:59"}, {600, "10:00"}, {3599.5, "59:59"},
		{3600, "1:00:00"}, {3725, "1:02:05"}, {36000, "10:00:00"},
	}
	for _, tc := range tests {
		if got := Clock(tc.s); got != tc.want {
			t.Errorf("Clock(%g) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestFitNeverOverflows(t *testing.T) {
	r, err := NewRenderer(RenderOpts{Width: 128, Height: 64, Mono: true})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, in string
		max      int
		want     string // "" means only check the width
	}{
		{"fits", "Tree", 126, "Tree"},
		{"drops parenthesis first", "Phalakasana (Kumbhakasana)", 100, "Phalakasana"},
		{"ellipsis", "Pose Dedicated to the Sage Koundinya", 126, ""},
		{"tiny", "Warrior", 3, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, face := range []font.Face{basicfont.Face7x13, r.l.small} {
				got := fit(face, tc.in, tc.max)
				if w := width(face, got); w > tc.max {
					t.Errorf("fit(%q, %d) = %q, %d px wide", tc.in, tc.max, got, w)
				}
				if tc.want != "" && got != tc.want {
					t.Errorf("fit(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
				}
				if tc.want == "" && got != "" && !strings.HasSuffix(got, "…") && !strings.HasSuffix(got, "..") {
					t.Errorf("fit(%q, %d) = %q: shortened without an ellipsis", tc.in, tc.max, got)
				}
			}
		})
	}
}

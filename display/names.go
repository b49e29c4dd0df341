package display

import (
	"strings"
	"unicode"
)

// PoseName is how a pose label reads on screen.
type PoseName struct {
	English  string // "Warrior II", "Downward Dog"
	Sanskrit string // "Virabhadrasana II"; "" when unknown
}

// poseNames holds the labels of the project's classifiers (the TF tutorial's
// chair/cobra/dog/tree/warrior, the Kaggle set's Downdog/Goddess/Plank/Tree/
// Warrior2) and other common poses, keyed by squash(label).
var poseNames = map[string]PoseName{
	"boat":           {"Boat", "Navasana"},
	"bow":            {"Bow", "Dhanurasana"},
	"bridge":         {"Bridge", "Setu Bandha Sarvangasana"},
	"camel":          {"Camel", "Ustrasana"},
	"cat":            {"Cat", "Marjaryasana"},
	"chair":          {"Chair", "Utkatasana"},
	"chaturanga":     {"Chaturanga", "Chaturanga Dandasana"},
	"child":          {"Child's Pose", "Balasana"},
	"cobra":          {"Cobra", "Bhujangasana"},
	"corpse":         {"Corpse", "Savasana"},
	"cow":            {"Cow", "Bitilasana"},
	"crow":           {"Crow", "Kakasana"},
	"dancer":         {"Dancer", "Natarajasana"},
	"dog":            {"Downward Dog", "Adho Mukha Svanasana"},
	"downdog":        {"Downward Dog", "Adho Mukha Svanasana"},
	"downwarddog":    {"Downward Dog", "Adho Mukha Svanasana"},
	"eagle":          {"Eagle", "Garudasana"},
	"fish":           {"Fish", "Matsyasana"},
	"forwardfold":    {"Forward Fold", "Uttanasana"},
	"garland":        {"Garland", "Malasana"},
	"goddess":        {"Goddess", "Utkata Konasana"},
	"halfmoon":       {"Half Moon", "Ardha Chandrasana"},
	"headstand":      {"Headstand", "Sirsasana"},
	"locust":         {"Locust", "Salabhasana"},
	"lotus":          {"Lotus", "Padmasana"},
	"lowlunge":       {"Low Lunge", "Anjaneyasana"},
	"mountain":       {"Mountain", "Tadasana"},
	"pigeon":         {"Pigeon", "Kapotasana"},
	"plank":          {"Plank", "Phalakasana (Kumbhakasana)"},
	"plow":           {"Plow", "Halasana"},
	"reversewarrior": {"Reverse Warrior", "Viparita Virabhadrasana"},
	"shoulderstand":  {"Shoulder Stand", "Salamba Sarvangasana"},
	"sideplank":      {"Side Plank", "Vasisthasana"},
	"staff":          {"Staff", "Dandasana"},
	"tree":           {"Tree", "Vrksasana"},
	"triangle":       {"Triangle", "Trikonasana"},
	"updog":          {"Upward Dog", "Urdhva Mukha Svanasana"},
	"warrior":        {"Warrior", "Virabhadrasana"},
	"warrior1":       {"Warrior I", "Virabhadrasana I"},
	"warrior2":       {"Warrior II", "Virabhadrasana II"},
	"warrior3":       {"Warrior III", "Virabhadrasana III"},
	"wheel":          {"Wheel", "Urdhva Dhanurasana"},
}

// Name turns a classifier label into display names. Known labels come from a
// table; Yoga-82 folder names ("Tree_Pose_or_Vrksasana_") are split into the
// English and Sanskrit halves; bare Sanskrit names ("Adho_Mukha_Svanasana")
// become the title; anything else is tidied ("half_moon2" → "Half Moon II").
func Name(label string) PoseName {
	if n, ok := poseNames[squash(label)]; ok {
		return n
	}
	words := strings.TrimSpace(strings.NewReplacer("_", " ", "-", " ").Replace(label))
	if en, sa, ok := splitOr(words); ok {
		if isSanskrit(en) && !isSanskrit(sa) { // "viparita_virabhadrasana_or_reverse_warrior_pose"
			en, sa = sa, en
		}
		return PoseName{English: tidy(trimPose(en)), Sanskrit: tidy(sa)}
	}
	return PoseName{English: tidy(trimPose(words))}
}

// squash lower-cases and drops everything but letters and digits, so
// "Warrior_2", "warrior2" and "Warrior 2" share a key.
func squash(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

func splitOr(s string) (left, right string, ok bool) {
	i := strings.Index(strings.ToLower(s), " or ")
	if i < 0 {
		return "", "", false
	}
	return strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+4:]), true
}

func isSanskrit(s string) bool {
	return strings.HasSuffix(strings.ToLower(strings.TrimSpace(s)), "asana")
}

// trimPose drops a trailing "pose" word: "Tree Pose" reads "Tree".
func trimPose(s string) string {
	f := strings.Fields(s)
	if len(f) > 1 && strings.EqualFold(f[len(f)-1], "pose") {
		f = f[:len(f)-1]
	}
	return strings.Join(f, " ")
}

// tidy splits camelCase and trailing digits into words, turns 1–3 into Roman
// numerals and capitalises the first letter of each word except short
// connectives ("Half Lord of the Fishes").
func tidy(s string) string {
	var out []string
	for i, w := range strings.Fields(splitCamel(s)) {
		switch {
		case w == "1" || w == "2" || w == "3":
			w = strings.Repeat("I", int(w[0]-'0'))
		case i > 0 && (w == "of" || w == "the" || w == "to" || w == "and"):
		default:
			w = capitalise(w)
		}
		out = append(out, w)
	}
	return strings.Join(out, " ")
}

// splitCamel inserts spaces at lower→upper and letter→digit boundaries.
func splitCamel(s string) string {
	var b strings.Builder
	var prev rune
	for i, r := range s {
		if i > 0 && ((unicode.IsLower(prev) && unicode.IsUpper(r)) ||
			(unicode.IsLetter(prev) && unicode.IsDigit(r))) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func capitalise(w string) string {
	for i, r := range w {
		return string(unicode.ToUpper(r)) + w[i+len(string(r)):]
	}
	return w
}

package display

import (
	"strings"
	"unicode"

	"github.com/yogamirror/yogamirror/inference/session"
)

// PoseName is how a pose label reads on screen: Name "Warrior II",
// Sanskrit "Virabhadrasana II" ("" when unknown).
type PoseName = session.PoseName

// poseNames holds the labels of the project's classifiers (the TF tutorial's
// chair/cobra/dog/tree/warrior, the Kaggle set's Downdog/Goddess/Plank/Tree/
// Warrior2) and other common poses, keyed by squash(label).
var poseNames = map[string]PoseName{
	"boat":           {Name: "Boat", Sanskrit: "Navasana"},
	"bow":            {Name: "Bow", Sanskrit: "Dhanurasana"},
	"bridge":         {Name: "Bridge", Sanskrit: "Setu Bandha Sarvangasana"},
	"camel":          {Name: "Camel", Sanskrit: "Ustrasana"},
	"cat":            {Name: "Cat", Sanskrit: "Marjaryasana"},
	"chair":          {Name: "Chair", Sanskrit: "Utkatasana"},
	"chaturanga":     {Name: "Chaturanga", Sanskrit: "Chaturanga Dandasana"},
	"child":          {Name: "Child's Pose", Sanskrit: "Balasana"},
	"cobra":          {Name: "Cobra", Sanskrit: "Bhujangasana"},
	"corpse":         {Name: "Corpse", Sanskrit: "Savasana"},
	"cow":            {Name: "Cow", Sanskrit: "Bitilasana"},
	"crow":           {Name: "Crow", Sanskrit: "Kakasana"},
	"dancer":         {Name: "Dancer", Sanskrit: "Natarajasana"},
	"dog":            {Name: "Downward Dog", Sanskrit: "Adho Mukha Svanasana"},
	"downdog":        {Name: "Downward Dog", Sanskrit: "Adho Mukha Svanasana"},
	"downwarddog":    {Name: "Downward Dog", Sanskrit: "Adho Mukha Svanasana"},
	"eagle":          {Name: "Eagle", Sanskrit: "Garudasana"},
	"fish":           {Name: "Fish", Sanskrit: "Matsyasana"},
	"forwardfold":    {Name: "Forward Fold", Sanskrit: "Uttanasana"},
	"garland":        {Name: "Garland", Sanskrit: "Malasana"},
	"goddess":        {Name: "Goddess", Sanskrit: "Utkata Konasana"},
	"halfmoon":       {Name: "Half Moon", Sanskrit: "Ardha Chandrasana"},
	"headstand":      {Name: "Headstand", Sanskrit: "Sirsasana"},
	"locust":         {Name: "Locust", Sanskrit: "Salabhasana"},
	"lotus":          {Name: "Lotus", Sanskrit: "Padmasana"},
	"lowlunge":       {Name: "Low Lunge", Sanskrit: "Anjaneyasana"},
	"mountain":       {Name: "Mountain", Sanskrit: "Tadasana"},
	"pigeon":         {Name: "Pigeon", Sanskrit: "Kapotasana"},
	"plank":          {Name: "Plank", Sanskrit: "Phalakasana (Kumbhakasana)"},
	"plow":           {Name: "Plow", Sanskrit: "Halasana"},
	"reversewarrior": {Name: "Reverse Warrior", Sanskrit: "Viparita Virabhadrasana"},
	"shoulderstand":  {Name: "Shoulder Stand", Sanskrit: "Salamba Sarvangasana"},
	"sideplank":      {Name: "Side Plank", Sanskrit: "Vasisthasana"},
	"staff":          {Name: "Staff", Sanskrit: "Dandasana"},
	"tree":           {Name: "Tree", Sanskrit: "Vrksasana"},
	"triangle":       {Name: "Triangle", Sanskrit: "Trikonasana"},
	"updog":          {Name: "Upward Dog", Sanskrit: "Urdhva Mukha Svanasana"},
	"warrior":        {Name: "Warrior", Sanskrit: "Virabhadrasana"},
	"warrior1":       {Name: "Warrior I", Sanskrit: "Virabhadrasana I"},
	"warrior2":       {Name: "Warrior II", Sanskrit: "Virabhadrasana II"},
	"warrior3":       {Name: "Warrior III", Sanskrit: "Virabhadrasana III"},
	"wheel":          {Name: "Wheel", Sanskrit: "Urdhva Dhanurasana"},
}

// Name turns a classifier label into display names: the fallback when the
// State carries none (a classifier without pose names). Known labels come
// from a table; Yoga-82 folder names ("Tree_Pose_or_Vrksasana_") are split into the
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
		return PoseName{Name: tidy(trimPose(en)), Sanskrit: tidy(sa)}
	}
	return PoseName{Name: tidy(trimPose(words))}
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

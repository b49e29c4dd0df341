package session

import (
	"testing"
	"time"

	"github.com/yogamirror/yogamirror/inference/pose"
)

// standing is a front-facing person with straight limbs and arms down;
// bendLeftKnee moves the left ankle so the left knee is at 90°.
func standing(score float32, bendLeftKnee bool) pose.Pose {
	p := pose.Pose{Width: 400, Height: 600}
	set := func(part pose.Part, x, y float32) { p.Keypoints[part] = pose.Keypoint{X: x, Y: y, Score: score} }
	set(pose.Nose, 200, 80)
	set(pose.LeftEye, 210, 70)
	set(pose.RightEye, 190, 70)
	set(pose.LeftEar, 220, 75)
	set(pose.RightEar, 180, 75)
	set(pose.LeftShoulder, 240, 140)
	set(pose.RightShoulder, 160, 140)
	set(pose.LeftElbow, 245, 220)
	set(pose.RightElbow, 155, 220)
	set(pose.LeftWrist, 250, 300)
	set(pose.RightWrist, 150, 300)
	set(pose.LeftHip, 225, 300)
	set(pose.RightHip, 175, 300)
	set(pose.LeftKnee, 226, 420)
	set(pose.RightKnee, 174, 420)
	set(pose.LeftAnkle, 227, 540)
	set(pose.RightAnkle, 173, 540)
	if bendLeftKnee {
		set(pose.LeftAnkle, 346, 421)
	}
	return p
}

func reference(t *testing.T) pose.Reference {
	acc := pose.Accumulate{MinScore: 0.3}
	for i := 0; i < 10; i++ {
		p := standing(0.9, false)
		p.Keypoints[pose.LeftKnee].X += float32(i%3) - 1 // a little spread
		acc.Add("mountain", &p)
	}
	return acc.Finish()
}

func TestCue(t *testing.T) {
	ref := reference(t)["mountain"]
	good, bent := standing(0.9, false), standing(0.9, true)
	if c := Cue(&good, ref, 0.4, 20); c != "" {
		t.Errorf("good form got cue %q", c)
	}
	if c := Cue(&bent, ref, 0.4, 20); c != "straighten left leg" {
		t.Errorf("bent knee got cue %q, want straighten left leg", c)
	}
	mirrored := bent.Mirrored()
	if c := Cue(&mirrored, ref, 0.4, 20); c != "straighten right leg" {
		t.Errorf("mirrored bent knee got cue %q, want straighten right leg", c)
	}
	weak := standing(0.2, true)
	if c := Cue(&weak, ref, 0.4, 20); c != "" {
		t.Errorf("low-confidence keypoints got cue %q", c)
	}
}

// TestCuesAreSparse holds a bent-knee mountain for 30 s at 10 fps: the cue
// appears after the settle time, stays up for Show, and reappears no sooner
// than MinInterval; poses without a reference get none.
func TestCuesAreSparse(t *testing.T) {
	for _, label := range []string{"mountain", "tree"} {
		tr, err := New(Opts{Cues: CueOpts{Reference: reference(t)}})
		if err != nil {
			t.Fatal(err)
		}
		bent := standing(0.9, true)
		var starts []time.Duration
		prev := ""
		for i := 0; i < 300; i++ {
			now := t0.Add(time.Duration(i) * 100 * time.Millisecond)
			s, _ := tr.Step(now, pose.Prediction{Person: true, Pose: bent, Classes: []pose.Class{{Label: label, Score: 0.95}}})
			if s.Cue != "" && prev == "" {
				starts = append(starts, now.Sub(t0))
			}
			prev = s.Cue
		}
		if label == "tree" {
			if len(starts) != 0 {
				t.Errorf("tree has no reference but got cues at %v", starts)
			}
			continue
		}
		if len(starts) < 2 || starts[0] < 3*time.Second {
			t.Fatalf("cues started at %v", starts)
		}
		for i := 1; i < len(starts); i++ {
			if gap := starts[i] - starts[i-1]; gap < 10*time.Second {
				t.Errorf("cues %v apart, want ≥ 10 s", gap)
			}
		}
	}
}

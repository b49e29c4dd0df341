#!/usr/bin/env bash
# Lays out a replayable demo session for `make run` when there is no camera:
# 10 fps frames of real photos from ../shared — 20 s of a tree pose, 5 s of
# an empty room, 20 s of a warrior pose — as symlinks in OUT/frames.
set -euo pipefail
shared=${1:?usage: demo.sh SHARED OUT}
out=${2:?usage: demo.sh SHARED OUT}
# The links must resolve wherever they are read from: absolute targets only.
[ -d "$shared" ] || { echo "demo: $shared is missing (is ../shared there?)" >&2; exit 1; }
shared=$(cd "$shared" && pwd)
mkdir -p "$out" && out=$(cd "$out" && pwd)
tree="$shared/data/yoga_cg/test/tree/guy3_tree085.jpg"
warrior="$shared/data/yoga_cg/test/warrior/$(ls "$shared/data/yoga_cg/test/warrior" | head -1)"
for f in "$tree" "$warrior"; do
	[ -f "$f" ] || { echo "demo: missing $f (is ../shared there?)" >&2; exit 1; }
done
rm -rf "$out/frames" && mkdir -p "$out/frames"
# A 64×48 grey PNG: the empty room.
base64 -d > "$out/empty.png" <<'PNG'
iVBORw0KGgoAAAANSUhEUgAAAEAAAAAwCAIAAAAuKetIAAAAQElEQVR42u3PMQ0AAAwDoPoXVW21sHcJOCB9LgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICVwO5c7mHRQbwLwAAAABJRU5ErkJggg==
PNG
for i in $(seq 0 449); do
	n=$(printf %04d "$i")
	if [ "$i" -lt 200 ]; then ln -s "$tree" "$out/frames/$n.jpg"
	elif [ "$i" -lt 250 ]; then ln -s "$out/empty.png" "$out/frames/$n.png"
	else ln -s "$warrior" "$out/frames/$n.jpg"; fi
done
echo "$out/frames"

#!/usr/bin/env bash
# Checks the arm64 build (build/linux_arm64, made by `make cross`) against the
# host build (bin/yogamirror, made by `make build`): both run `yogamirror
# detect` on the same images, the arm64 one under qemu-user with the sysroot,
# and cross/kpdiff compares their JSON Lines. Exit status 0 means pass.
#
# The two are not bit-identical: TFLite 2.9's int8 kernels round differently
# on ARM and x86 and Go fuses multiply-adds on arm64, so MoveNet's keypoints
# move by a few output quantization steps (see cross/README.md). The default
# tolerance is TensorFlow's own pose-test tolerance, 21 px per keypoint, and
# the most likely pose must not change.
#
# Environment:
#   CROSS_IMAGES   images, folders or videos (default ../shared/data/tf_pose_test_images)
#   CROSS_MODELS   models folder (default ../shared/models)
#   CROSS_TOL      keypoint tolerance in pixels (default 21)
#   CROSS_GOTEST=1 also run the cgo packages' tests as arm64 under qemu (slow: minutes)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${YOGAMIRROR_SHARED:-$root/../shared}
images=${CROSS_IMAGES:-$shared/data/tf_pose_test_images}
models=${CROSS_MODELS:-$shared/models}
tol=${CROSS_TOL:-21}
out=$root/build/cross-test
host_bin=$root/bin/yogamirror
arm_bin=$root/build/linux_arm64/bin/yogamirror

say() { echo "cross-test: $*" >&2; }
for f in "$host_bin" "$arm_bin"; do
	[ -x "$f" ] || { say "missing $f (run make build cross)"; exit 2; }
done
for d in "$images" "$models"; do
	[ -e "$d" ] || { say "missing $d (set YOGAMIRROR_SHARED, CROSS_IMAGES or CROSS_MODELS)"; exit 2; }
done
mkdir -p "$out"

# detect LABEL CMD... runs one detector, keeping its stderr for the record.
detect() {
	local label=$1 start rc=0
	shift
	start=$(date +%s%N)
	"$@" detect --models "$models" "$images" >"$out/$label.jsonl" 2>"$out/$label.log" || rc=$?
	if [ $rc -ne 0 ]; then
		say "$label detect failed ($rc):"
		tail -n 20 "$out/$label.log" >&2
		exit 1
	fi
	local ms=$((($(date +%s%N) - start) / 1000000))
	say "$label: $(wc -l <"$out/$label.jsonl") records in $((ms / 1000)).$((ms % 1000 / 100)) s"
}

detect amd64 "$host_bin"
(
	# shellcheck source=cross/env.sh
	source "$root/cross/env.sh"
	# shellcheck disable=SC2086
	detect arm64 $YM_QEMU "$arm_bin"
)

rc=0
(cd "$root" && CGO_ENABLED=0 GOOS= GOARCH= go run ./cross/kpdiff -tol "$tol" -same-pose \
	"$out/amd64.jsonl" "$out/arm64.jsonl") || rc=$?

if [ "${CROSS_GOTEST:-0}" = 1 ]; then
	say "running the cgo packages' tests as arm64 under qemu"
	(
		source "$root/cross/env.sh"
		cd "$root"
		YOGAMIRROR_SHARED=$shared go test -count=1 -tags "$YM_CROSS_TAGS" \
			-exec "$YM_QEMU -E LD_LIBRARY_PATH=$root/build/tflite/linux_arm64" \
			./inference/tflite ./inference/movenet ./device/camera
	) || rc=1
fi
exit $rc

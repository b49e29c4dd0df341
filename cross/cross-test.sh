#!/usr/bin/env bash
# Checks the arm64 build (build/linux_arm64, made by `make cross`) against the
# host build (bin/yogamirror, made by `make build`): both run `yogamirror
# detect` on the same images, the arm64 one under qemu-user with the sysroot,
# and cross/kpdiff compares their JSON Lines. Exit status 0 means pass.
#
# The two are not bit-identical: TFLite 2.9's int8 kernels round differently
# on ARM and x86, so MoveNet's keypoints differ by about two output
# quantization steps (median 0.008 of the image's long side; see
# cross/README.md). So the check is: median difference ≤ 0.015 and, for
# keypoints scored ≥ 0.3 in both, max ≤ 0.1 of the long side; the most
# likely pose must not change. This catches a build that crashes, loads the
# wrong libraries or sees garbage, not subtle accuracy changes: for those,
# CROSS_GOTEST=1 runs the arm64 tests against ground truth.
#
# Environment:
#   CROSS_IMAGES   images or folders (default ../shared/data/tf_pose_test_images)
#   CROSS_MODELS   models folder (default ../shared/models)
#   CROSS_KPDIFF   kpdiff flags (default: the check above)
#   CROSS_GOTEST=1 also run the cgo packages' tests as arm64 under qemu (slow: minutes)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
shared=${YOGAMIRROR_SHARED:-$root/../shared}
images=${CROSS_IMAGES:-$shared/data/tf_pose_test_images}
models=${CROSS_MODELS:-$shared/models}
kpdiff_flags=${CROSS_KPDIFF:--relative -tol 0.1 -min-score 0.3 -median-tol 0.015 -same-pose}
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
# shellcheck disable=SC2086
(cd "$root" && CGO_ENABLED=0 go run ./cross/kpdiff $kpdiff_flags "$out/amd64.jsonl" "$out/arm64.jsonl") || rc=$?

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

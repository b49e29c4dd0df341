#!/usr/bin/env bash
# Host set-up for building and testing yogamirror on Debian 12 (amd64 or arm64).
# Idempotent: each step checks before it acts, so `make` can call it every time.
#
#   cross/setup.sh packages   Debian packages (OpenCV, pkg-config, mosquitto, promtool, espeak-ng, aplay)
#   cross/setup.sh tflite     TensorFlow Lite 2.9 C library from npm into build/tflite
#   cross/setup.sh all        both
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
tfl_pkg="tfjs-tflite-node@0.0.2"
# sha256 of the npm tarball, pinned so a changed package is noticed.
tfl_sha="3be1632328a76a2475e5b6833253763c802c859433becb4d879ee1860e3b5284"
tfl_dir="$root/build/tflite"

need_pkgs=(libopencv-dev pkg-config mosquitto mosquitto-clients systemd prometheus espeak-ng alsa-utils)

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages() {
	local missing=()
	for p in "${need_pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "setup: installing Debian packages: ${missing[*]} (OpenCV is ~190 MB, a few minutes)" >&2
	as_root apt-get update -qq
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

tflite() {
	if [ -f "$tfl_dir/linux_amd64/libtensorflowlite_c.so" ] && [ -f "$tfl_dir/include/tensorflow/lite/c/c_api.h" ]; then
		return 0
	fi
	command -v npm >/dev/null || { echo "setup: npm is needed to fetch TensorFlow Lite ($tfl_pkg)" >&2; exit 1; }
	echo "setup: fetching TensorFlow Lite 2.9 C library from npm ($tfl_pkg)" >&2
	local tmp; tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	(cd "$tmp" && npm pack --silent "$tfl_pkg" >/dev/null)
	local tgz; tgz=$(ls "$tmp"/*.tgz)
	echo "$tfl_sha  $tgz" | sha256sum -c --quiet - || { echo "setup: checksum mismatch for $tfl_pkg" >&2; exit 1; }
	tar -xzf "$tgz" -C "$tmp"
	rm -rf "$tfl_dir.tmp" && mkdir -p "$tfl_dir.tmp/include"
	cp -r "$tmp/package/cc_deps/include/tensorflow" "$tfl_dir.tmp/include/"
	for arch in linux_amd64 linux_arm64; do
		mkdir -p "$tfl_dir.tmp/$arch"
		cp "$tmp/package/cc_deps/$arch/libtensorflowlite_c.so" "$tfl_dir.tmp/$arch/"
	done
	rm -rf "$tfl_dir" && mv "$tfl_dir.tmp" "$tfl_dir"
}

case "${1:-all}" in
packages) packages ;;
tflite) tflite ;;
all) packages; tflite ;;
*) echo "usage: $0 [packages|tflite|all]" >&2; exit 2 ;;
esac

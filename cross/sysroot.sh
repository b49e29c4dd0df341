#!/usr/bin/env bash
# Builds the arm64 sysroot used to cross-compile yogamirror for Raspberry Pi OS
# 64-bit / Coral boards (Debian 12 bookworm, arm64), and installs the host's
# cross toolchain. See cross/README.md.
#
#   cross/sysroot.sh            toolchain + sysroot (idempotent; a no-op when up to date)
#   cross/sysroot.sh toolchain  only the host packages (cross gcc/g++, qemu-user)
#   cross/sysroot.sh list       print the resolved arm64 package files
#
# The sysroot holds OpenCV 4.6's runtime and -dev packages for arm64 with all
# their dependencies, plus libc6-dev/libstdc++6, unpacked with `dpkg -x` (no
# maintainer scripts run). apt resolves the package set as if arm64 were the
# native architecture and nothing were installed, so the set is exactly what
# `apt-get install libopencv-*-dev` would pull on a Pi (first alternatives,
# no recommends). A stamp records the hash of that resolved list (file names and
# SHA256s); when it matches, nothing is done. Downloaded .debs are kept in
# build/sysroot-cache/arm64 so a rebuild only fetches what changed.
#
# Environment: SYSROOT (default build/sysroot-arm64), SYSROOT_CACHE.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
sysroot=${SYSROOT:-$root/build/sysroot-arm64}
cache=${SYSROOT_CACHE:-$root/build/sysroot-cache/arm64}
stamp=$sysroot/.yogamirror-sysroot
arch=arm64
triplet=aarch64-linux-gnu

host_pkgs=(gcc-aarch64-linux-gnu g++-aarch64-linux-gnu qemu-user qemu-user-static)
opencv_modules=(core imgproc imgcodecs videoio highgui objdetect dnn video features2d calib3d photo flann)

roots() {
	local m
	for m in "${opencv_modules[@]}"; do
		echo "libopencv-${m}406" "libopencv-${m}-dev"
	done
	# opencv2/opencv.hpp includes the ml and stitching headers; gcc needs libc6-dev.
	echo libopencv-ml-dev libopencv-stitching-dev libc6-dev libstdc++6 libgcc-s1
}

say() { echo "sysroot: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_lock=(-o DPkg::Lock::Timeout=600)

toolchain() {
	local missing=() p
	for p in "${host_pkgs[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	say "installing the host cross toolchain: ${missing[*]}"
	as_root apt-get update -qq "${apt_lock[@]}"
	DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
		"${apt_lock[@]}" "${missing[@]}" >/dev/null
}

# foreign_arch makes apt fetch the arm64 package lists.
foreign_arch() {
	if ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
		say "adding the $arch architecture to dpkg and updating apt's lists"
		as_root dpkg --add-architecture "$arch"
		as_root apt-get update -qq "${apt_lock[@]}"
	elif ! ls /var/lib/apt/lists/*_binary-"${arch}"_Packages* >/dev/null 2>&1; then
		as_root apt-get update -qq "${apt_lock[@]}"
	fi
}

# target_apt runs apt with arm64 as the only architecture and an empty dpkg
# status, without touching the host's package cache.
target_apt() {
	local empty rc=0
	empty=$(mktemp)
	apt-get -qq -o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
		-o Dir::State::status="$empty" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Sandbox::User=root "$@" || rc=$?
	rm -f "$empty"
	return $rc
}

# resolve prints "file size uri" for every package of the sysroot, sorted.
resolve() {
	# shellcheck disable=SC2046
	target_apt install --print-uris --no-install-recommends $(roots) |
		awk '{gsub("\047", "", $1); print $2, $3, $1}' | sort
}

# debspec turns libavcodec59_7%3a5.1.9-0+deb12u1_arm64.deb into libavcodec59=7:5.1.9-0+deb12u1.
debspec() {
	local f=${1%.deb} name rest
	name=${f%%_*}
	rest=${f#*_}
	rest=${rest%_*}
	echo "$name=${rest//%3a/:}"
}

download() {
	local list=$1 total have=0 todo=() f
	total=$(wc -l <"$list")
	mkdir -p "$cache"
	while read -r f _; do
		if [ -s "$cache/$f" ]; then have=$((have + 1)); else todo+=("$(debspec "$f")"); fi
	done <"$list"
	say "$total packages: $have cached, ${#todo[@]} to download"
	local i batch=40 done=$have
	for ((i = 0; i < ${#todo[@]}; i += batch)); do
		local part=("${todo[@]:i:batch}")
		(cd "$cache" && target_apt download "${part[@]}")
		done=$((done + ${#part[@]}))
		say "downloaded $done/$total"
	done
	# apt verifies what it downloads; the size check catches a damaged cache.
	local bad=0 size
	while read -r f size _; do
		if [ "$(stat -c %s "$cache/$f" 2>/dev/null)" != "$size" ]; then
			say "wrong size, removed: $cache/$f"
			rm -f "$cache/$f"
			bad=1
		fi
	done <"$list"
	return $bad
}

extract() {
	local list=$1 tmp=$2 total n=0 f
	total=$(wc -l <"$list")
	while read -r f _; do
		dpkg -x "$cache/$f" "$tmp"
		n=$((n + 1))
		if ((n % 25 == 0 || n == total)); then say "unpacked $n/$total"; fi
	done <"$list"
}

# fix_links makes the tree usable as a sysroot: absolute symlinks become
# relative (so neither the linker nor qemu escapes to the host's files), and
# the BLAS/LAPACK links that update-alternatives would have made are added.
fix_links() {
	local tmp=$1 n=0 link target dir
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		dir=$(dirname "/${link#"$tmp"/}")
		ln -sfn "$(realpath -m -s --relative-to="$dir" "$target")" "$link"
		n=$((n + 1))
	done < <(find "$tmp" -type l -lname '/*' -print0)
	say "made $n absolute symlinks relative"
	local lib=$tmp/usr/lib/$triplet name sub
	for name in libblas.so.3 liblapack.so.3; do
		[ -e "$lib/$name" ] && continue
		for sub in blas lapack openblas-pthread atlas; do
			if [ -e "$lib/$sub/$name" ]; then
				ln -sfn "$sub/$name" "$lib/$name"
				break
			fi
		done
		[ -e "$lib/$name" ] || { say "no $name found for the alternatives link"; return 1; }
	done
	local dangling
	dangling=$(find "$tmp/usr/lib/$triplet" "$tmp/lib/$triplet" -maxdepth 1 -xtype l -name '*.so*' | wc -l)
	[ "$dangling" = 0 ] || say "warning: $dangling dangling library links"
}

sysroot() {
	foreign_arch
	local list hash
	list=$(mktemp)
	trap 'rm -f "$list"' RETURN
	resolve >"$list"
	[ -s "$list" ] || { say "apt resolved no packages"; return 1; }
	hash=$(sha256sum <"$list" | cut -c1-64)
	if [ -f "$stamp" ] && [ "$(head -n1 "$stamp")" = "$hash" ]; then
		say "$sysroot is up to date ($(wc -l <"$list") packages)"
		touch "$stamp"
		return 0
	fi
	if ! download "$list"; then
		# The lists may name versions the mirror no longer has.
		say "download failed: refreshing apt's lists and trying once more"
		as_root apt-get update -qq "${apt_lock[@]}"
		resolve >"$list"
		hash=$(sha256sum <"$list" | cut -c1-64)
		download "$list"
	fi
	local tmp=$sysroot.tmp
	rm -rf "$tmp" && mkdir -p "$tmp"
	extract "$list" "$tmp"
	fix_links "$tmp"
	{ echo "$hash"; cat "$list"; } >"$tmp/.yogamirror-sysroot"
	rm -rf "$sysroot" && mv "$tmp" "$sysroot"
	say "ready: $sysroot ($(du -sh "$sysroot" | cut -f1))"
}

case "${1:-all}" in
all) toolchain; sysroot ;;
toolchain) toolchain ;;
list) foreign_arch; resolve ;;
*) echo "usage: $0 [all|toolchain|list]" >&2; exit 2 ;;
esac

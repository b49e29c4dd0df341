#!/usr/bin/env bash
# Debian packages for yogamirror, with plain dpkg-deb (no debhelper tree).
#
#   cross/deb.sh version                         the package version, from git
#   cross/deb.sh build ARCH VERSION ROOT OUTDIR  ROOT (a `make install
#        PREFIX=/usr DESTDIR=ROOT` tree) → OUTDIR/yogamirror_VERSION_ARCH.deb
#
# `make deb` runs both for amd64 and arm64; see systemd/README.md.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
tmpl=$here/deb

die() { echo "deb.sh: $*" >&2; exit 1; }

# version: vX.Y.Z on HEAD → X.Y.Z; N commits after it → X.Y.Z+gitN.HASH;
# no tag yet → 0.1.0~gitN.HASH (N = commits on HEAD, so versions grow);
# not a git checkout → 0.1.0.
version() {
	cd "$root"
	local d
	if ! git rev-parse HEAD >/dev/null 2>&1; then
		echo 0.1.0
	elif d=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
		echo "$d" | sed -E 's/^v//; s/-([0-9]+)-g([0-9a-f]+)$/+git\1.\2/'
	else
		echo "0.1.0~git$(git rev-list --count HEAD).$(git rev-parse --short=8 HEAD)"
	fi
}

# elves lists the ELF files under $1.
elves() {
	find "$1" -type f -not -path '*/DEBIAN/*' | while read -r f; do
		[ "$(head -c4 "$f" | od -An -c | tr -d ' ')" = '177ELF' ] && echo "$f"
	done
}

# depends maps the NEEDED sonames of the ELF files in ROOT (minus those the
# package ships) to packages through deb/shlibs, libc6 versioned by the
# highest GLIBC_ symbol version used.
depends() {
	local pkgroot=$1 f so pkg glibc shipped=() needed=() out=()
	mapfile -t files < <(elves "$pkgroot")
	[ ${#files[@]} -gt 0 ] || die "no ELF files in $pkgroot"
	for f in "${files[@]}"; do shipped+=("$(basename "$f")"); done
	mapfile -t needed < <(for f in "${files[@]}"; do
		readelf -dW "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'
	done | sort -u)
	for so in "${needed[@]}"; do
		printf '%s\n' "${shipped[@]}" | grep -qxF "$so" && continue
		pkg=$(awk -v so="$so" '$1 == so { $1 = ""; sub(/^ /, ""); print }' "$tmpl/shlibs")
		[ -n "$pkg" ] || die "$so is needed but not in cross/deb/shlibs: add its Debian package"
		out+=("$pkg")
	done
	glibc=$(for f in "${files[@]}"; do readelf -VW "$f"; done | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
	printf '%s\n' "${out[@]}" | sort -u | sed "s/^libc6\$/libc6 (>= $glibc)/" | paste -sd, | sed 's/,/, /g'
}

# check_shlibdeps compares our Depends with dpkg-shlibdeps' (build arch only:
# it needs the libraries' dpkg symbols files).
check_shlibdeps() {
	local pkgroot=$1 ours=$2 theirs tmp
	command -v dpkg-shlibdeps >/dev/null || die "dpkg-shlibdeps missing: apt-get install dpkg-dev"
	tmp=$(mktemp -d)
	mkdir -p "$tmp/debian"
	printf 'Source: yogamirror\n\nPackage: yogamirror\nArchitecture: any\n' >"$tmp/debian/control"
	mapfile -t files < <(elves "$pkgroot")
	theirs=$(cd "$tmp" && dpkg-shlibdeps -O -l"$pkgroot/usr/lib/yogamirror/lib" "${files[@]}" 2>/dev/null | sed 's/^shlibs:Depends=//')
	rm -rf "$tmp"
	[ "$theirs" = "$ours" ] || die "Depends differ from dpkg-shlibdeps:
  ours:   $ours
  theirs: $theirs"
}

# licenses prints the license of every Go module linked into the programs.
licenses() {
	(cd "$root" && go list -deps -tags 'opencv tflite' \
		-f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' ./cmd/... | sort -u) |
		while read -r path ver dir; do
			local lic
			lic=$(find "$dir" -maxdepth 1 -type f \( -iname 'LICENSE*' -o -iname 'COPYING*' \) | sort | head -1)
			[ -n "$lic" ] || die "no license file in $dir"
			printf '\n--- %s %s (%s)\n\n' "$path" "$ver" "$(basename "$lic")"
			# Debian ships the Apache-2.0 text; policy wants a reference, not a copy.
			if grep -q 'TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION' "$lic"; then
				echo "Apache License 2.0: /usr/share/common-licenses/Apache-2.0"
			else
				cat "$lic"
			fi
		done
	printf '\n--- Go %s standard library (LICENSE)\n\n' "$(go env GOVERSION)"
	cat "$(go env GOROOT)/LICENSE"
}

build() {
	local arch=$1 ver=$2 pkgroot=$3 outdir=$4 doc deps recs="" size deb
	[ -x "$pkgroot/usr/lib/yogamirror/bin/yogamirrord" ] || die "$pkgroot: not a make install PREFIX=/usr tree"
	doc=$pkgroot/usr/share/doc/yogamirror
	install -d -m 0755 "$pkgroot/DEBIAN" "$doc"
	{ cat "$tmpl/copyright"; licenses; } >"$doc/copyright"
	chmod 0644 "$doc/copyright"
	printf 'yogamirror (%s) unstable; urgency=medium\n\n  * Built from git %s.\n\n -- yogamirror developers <yogamirror@users.noreply.github.com>  %s\n' \
		"$ver" "$(cd "$root" && git rev-parse --short=12 HEAD)" \
		"$(date -R -d "@$(cd "$root" && git log -1 --format=%ct)")" | gzip -9n >"$doc/changelog.gz"
	chmod 0644 "$doc/changelog.gz"

	deps=$(depends "$pkgroot")
	if [ "$arch" = "$(dpkg --print-architecture)" ]; then check_shlibdeps "$pkgroot" "$deps"; fi
	# procps: /bin/kill for ExecReload (minbase systems lack it).
	deps="$deps, systemd (>= 247), init-system-helpers (>= 1.54~), procps"
	# The Raspberry Pi camera is a libcamera device read through GStreamer.
	[ "$arch" = arm64 ] && recs=", gstreamer1.0-libcamera"
	size=$(du -sk --exclude=DEBIAN "$pkgroot" | cut -f1)
	sed -e "s/@VERSION@/$ver/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" \
		-e "s/@DEPENDS@/$deps/" -e "s/@RECOMMENDS@/$recs/" "$tmpl/control.in" >"$pkgroot/DEBIAN/control"
	(cd "$pkgroot" && find etc -type f -printf '/%p\n' | sort) >"$pkgroot/DEBIAN/conffiles"
	install -m 0755 "$tmpl/postinst" "$tmpl/prerm" "$tmpl/postrm" "$pkgroot/DEBIAN/"
	(cd "$pkgroot" && find . -type f -not -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) >"$pkgroot/DEBIAN/md5sums"
	chmod 0644 "$pkgroot/DEBIAN/control" "$pkgroot/DEBIAN/conffiles" "$pkgroot/DEBIAN/md5sums"

	mkdir -p "$outdir"
	deb=$outdir/yogamirror_${ver}_${arch}.deb
	SOURCE_DATE_EPOCH=$(cd "$root" && git log -1 --format=%ct) \
		dpkg-deb --root-owner-group -Zxz --build "$pkgroot" "$deb" >/dev/null
	echo "$deb"
}

case "${1:-}" in
version) version ;;
build) [ $# -eq 5 ] || die "usage: $0 build ARCH VERSION ROOT OUTDIR"; build "$2" "$3" "$4" "$5" ;;
*) die "usage: $0 version | build ARCH VERSION ROOT OUTDIR" ;;
esac

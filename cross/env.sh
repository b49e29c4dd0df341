#!/usr/bin/env bash
# Go and cgo settings for cross-compiling yogamirror to linux/arm64 against
# the sysroot made by cross/sysroot.sh. The one place these settings live:
#
#   source cross/env.sh            export them into the current shell
#   cross/env.sh go build ...      run one command with them
#
# They override the host's CGO_* for that shell only, so the host build keeps
# its own (warm) Go build cache entries. Binaries get the rpath $ORIGIN/../lib:
# install them as <prefix>/bin/* beside <prefix>/lib/libtensorflowlite_c.so.
# Run arm64 programs here with "$YM_QEMU" prog args (qemu-user with the sysroot).

_ym_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export SYSROOT=${SYSROOT:-$_ym_root/build/sysroot-arm64}
_ym_tfl=$_ym_root/build/tflite
_ym_lib=$SYSROOT/usr/lib/aarch64-linux-gnu

export GOOS=linux GOARCH=arm64 CGO_ENABLED=1
export CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++
# gocv with -tags customenv takes OpenCV's flags from here instead of pkg-config.
export CGO_CPPFLAGS="-I$SYSROOT/usr/include/opencv4 -I$_ym_tfl/include -I$_ym_root/inference/tflite/include"
export CGO_CFLAGS="-O2"
export CGO_CXXFLAGS="-O2"
# --sysroot makes the linker resolve the sysroot's linker scripts (libc.so,
# libm.so) and DT_NEEDED entries inside it; -rpath-link finds the indirect
# dependencies (BLAS lives in a subdirectory, normally found via ld.so.conf).
_ym_opencv="-lopencv_calib3d -lopencv_dnn -lopencv_features2d -lopencv_flann -lopencv_highgui"
_ym_opencv+=" -lopencv_imgcodecs -lopencv_imgproc -lopencv_objdetect -lopencv_photo -lopencv_video"
_ym_opencv+=" -lopencv_videoio -lopencv_core"
export CGO_LDFLAGS="--sysroot=$SYSROOT -L$_ym_lib -L$SYSROOT/lib/aarch64-linux-gnu \
-Wl,-rpath-link,$_ym_lib -Wl,-rpath-link,$SYSROOT/lib/aarch64-linux-gnu \
-Wl,-rpath-link,$_ym_lib/blas -Wl,-rpath-link,$_ym_lib/lapack \
$_ym_opencv -L$_ym_tfl/linux_arm64 -ltensorflowlite_c -Wl,-rpath,\$ORIGIN/../lib"
export PKG_CONFIG=false
# Tags every arm64 build uses: customenv (flags above), opencv, tflite.
export YM_CROSS_TAGS="customenv opencv tflite"
export YM_QEMU="qemu-aarch64 -L $SYSROOT"
# For binfmt_misc (qemu-user-static registered) runs without "$YM_QEMU".
export QEMU_LD_PREFIX=$SYSROOT
unset _ym_root _ym_tfl _ym_lib _ym_opencv

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ $# -gt 0 ]; then
	exec "$@"
fi

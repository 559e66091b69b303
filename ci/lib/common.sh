# shellcheck shell=bash
# Shared helpers for the ci/ scripts: where the cache lives, how lanes are
# recorded, and small error helpers. Sourced, never executed.

SVMGPU_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Everything downloaded or built for the VM lanes lives outside the repo.
SVMGPU_CACHE=${SVMGPU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/svmgpu}
# One record per lane (stock, debug): the only place that says which kernel
# a lane uses. Written by ci/setup, read by ci/lane, ci/vm, ci/run, meson.
# SVMGPU_LANES_DIR may point elsewhere: a checkout whose ci/debug.config
# differs from another's keeps its own records there, so that the two do not
# take turns rewriting which debug kernel the lane boots.
SVMGPU_LANES_DIR=${SVMGPU_LANES_DIR:-$SVMGPU_CACHE/lanes}

say() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { say "error: $*"; exit 1; }

# lane_env LANE: source the lane record into the current shell.
lane_env() {
	local f=$SVMGPU_LANES_DIR/$1.env
	[ -r "$f" ] || die "lane '$1' is not set up (run: ci/setup --kernel=$1)"
	# shellcheck disable=SC1090
	. "$f"
}

# lane_builddir LANE: the meson build directory that builds for LANE.
lane_builddir() {
	case $1 in
	stock) echo "$SVMGPU_TOP/build" ;;
	*) echo "$SVMGPU_TOP/build-$1" ;;
	esac
}

check_lane_name() {
	case $1 in
	stock|debug) ;;
	*) die "unknown kernel lane '$1' (stock or debug)" ;;
	esac
}

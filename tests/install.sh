#!/bin/sh
# tests/install.sh - install, from Debian's archive, what building and testing
# godaemon needs and the machine lacks. Run as root. Idempotent: apt-get runs
# only when a package is missing. Cross builds, the BusyBox drop-in and the
# benchmark have their own list: .ci/install-cross.sh.
set -eu
pkgs="make gcc musl-tools busybox util-linux procps passwd coreutils binutils strace"
missing=
for p in $pkgs; do
	s=$(dpkg-query -W -f '${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get update
# shellcheck disable=SC2086
apt-get install -y --no-install-recommends $missing

#!/bin/sh
# .ci/install-cross.sh [cross] [busybox] [bench] - install, from Debian's
# packages only, what the cross test runs, the BusyBox drop-in build and the
# benchmark need (all three when no argument is given). Idempotent: packages
# already installed are not asked for again, and apt-get update runs only
# when something is missing. Run as root.
set -eu

want=${*:-cross busybox bench}
arches=
pkgs="make musl-tools musl-dev"
for w in $want; do
	case $w in
	cross)
		arches="arm64 armhf mipsel"
		pkgs="$pkgs qemu-user
			gcc-aarch64-linux-gnu musl-dev:arm64
			gcc-arm-linux-gnueabihf musl-dev:armhf
			gcc-mipsel-linux-gnu musl-dev:mipsel"
		;;
	busybox)
		# apt-get source unpacks with dpkg-source (dpkg-dev); the BusyBox
		# build itself wants gcc, make, bzip2 and the tests' BusyBox applets.
		pkgs="$pkgs gcc dpkg-dev bzip2 xz-utils busybox"
		;;
	bench)
		pkgs="$pkgs gcc busybox daemonize daemon strace"
		;;
	*)
		echo "usage: $0 [cross] [busybox] [bench]" >&2
		exit 2
		;;
	esac
done

missing=
native=$(dpkg --print-architecture)
status() { dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null || true; }
for p in $pkgs; do
	# Multi-Arch: same packages (musl-dev) answer only to a qualified name,
	# Architecture: all ones (dpkg-dev) only to the bare one.
	case $p in
	*:*) s=$(status "$p") ;;
	*) s=$(status "$p:$native"); [ "$s" = installed ] || s=$(status "$p") ;;
	esac
	[ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

for a in $arches; do
	dpkg --print-foreign-architectures | grep -qx "$a" ||
		dpkg --add-architecture "$a"
done
export DEBIAN_FRONTEND=noninteractive
# A mirror caught mid-sync fails one index now and then: try again, and go
# on with what was fetched if it keeps failing (install says what is missing).
for _ in 1 2 3; do
	apt-get update -qq && break
	sleep 5
done
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

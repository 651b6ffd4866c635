#!/bin/sh
# tests/install.sh [base] [cross] [busybox] [bench] [hardening] [daemons] [all] -
# install, from Debian's archive only, what building and testing godaemon
# needs and the machine lacks (base alone when no group is named):
#   base       the native build, make demo and make test
#   cross      make ARCH=aarch64|armhf|mipsel: cross gcc, musl-dev:<arch>, qemu-user
#   busybox    make busybox: apt-get source (dpkg-dev) and BusyBox's build
#   bench      make bench: the peers (start-stop-daemon in busybox, daemonize, daemon);
#              make bench-ssd: lighttpd (dpkg's start-stop-daemon is Debian's own)
#   hardening  make test SANITIZE=..., valgrind, fuzz, lint: clang and its
#              sanitizer and libFuzzer runtimes, valgrind, cppcheck, clang-tidy
#   daemons    tests/daemons.test: the daemons routers run (dnsmasq, dropbear,
#              lighttpd, s6; httpd, syslogd, udhcpd/udhcpc, nc, nslookup and
#              wget are BusyBox's) and ip(8) for the veth pair in the namespace
# Run as root. Idempotent: apt-get runs only when a package is missing.
set -eu

groups=${*:-base}
[ "$groups" = all ] && groups="base cross busybox bench hardening daemons"
arches=
pkgs="make gcc musl-tools busybox util-linux procps passwd coreutils binutils strace"
for g in $groups; do
	case $g in
	base) ;;
	cross)
		arches="arm64 armhf mipsel"
		pkgs="$pkgs qemu-user
			gcc-aarch64-linux-gnu musl-dev:arm64
			gcc-arm-linux-gnueabihf musl-dev:armhf
			gcc-mipsel-linux-gnu musl-dev:mipsel"
		;;
	busybox) pkgs="$pkgs dpkg-dev bzip2 xz-utils" ;;
	bench) pkgs="$pkgs daemonize daemon time lighttpd" ;;
	hardening) pkgs="$pkgs libc6-dev clang libclang-rt-14-dev clang-tidy cppcheck valgrind" ;;
	daemons) pkgs="$pkgs dnsmasq-base dropbear-bin lighttpd s6 iproute2" ;;
	*)
		echo "usage: $0 [base] [cross] [busybox] [bench] [hardening] [daemons] [all]" >&2
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

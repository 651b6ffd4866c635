#!/bin/sh
# .ci/install-hardening.sh - install, from Debian's packages only, what the
# hardening targets of tests/hardening.mk need: clang with its sanitizer and
# libFuzzer runtimes (make test SANITIZE=..., make fuzz), valgrind (make
# valgrind), cppcheck and clang-tidy (make lint), strace (the signal
# injection of tests/fault_signals.test), gcc and libc6-dev for the glibc
# builds, util-linux for setpriv, prlimit and unshare. Idempotent: packages
# already installed are not asked for again, and apt-get update runs only
# when something is missing. Run as root.
set -eu

pkgs="make gcc libc6-dev clang libclang-rt-14-dev clang-tidy cppcheck valgrind strace
	util-linux"
missing=
native=$(dpkg --print-architecture)
status() { dpkg-query -W -f '${db:Status-Status}' "$1" 2>/dev/null || true; }
for p in $pkgs; do
	s=$(status "$p:$native")
	[ "$s" = installed ] || s=$(status "$p")
	[ "$s" = installed ] || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

export DEBIAN_FRONTEND=noninteractive
# A mirror caught mid-sync fails one index now and then: try again, and go
# on with what was fetched if it keeps failing (install says what is missing).
for _ in 1 2 3; do
	apt-get update -qq && break
	sleep 5
done
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null

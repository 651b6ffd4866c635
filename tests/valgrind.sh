#!/bin/sh
# tests/valgrind.sh BINARY [ARG]... - the RUN prefix of `make test VALGRIND=1`
# (tests/hardening.mk): test programs run under valgrind memcheck, other
# binaries as they are. Memcheck's reports go to $SAN_LOG, one file per
# process (forked stages included), where tests/lib.sh fails the test that
# made them; --error-exitcode also fails the program itself.
# VG_ALL=1 runs the applet under memcheck too.
case ${1##*/} in
t_*) ;;
*) [ -n "${VG_ALL:-}" ] || exec "$@" ;;
esac
# t_stage report lists /proc/self/fd, where valgrind's own descriptors (at
# the top of the table) would show: that one runs as it is.
# t_pidfile burn/reuse only fork to use up PIDs (tens of thousands of
# forks, each slow under memcheck) and call nothing of the library.
case "${1##*/} ${2:-}" in
"t_stage report" | "t_pidfile burn" | "t_pidfile reuse") exec "$@" ;;
esac
exec valgrind -q --tool=memcheck --error-exitcode=99 --track-origins=yes \
	--log-file="${SAN_LOG:-/tmp}/valgrind.%p" "$@"

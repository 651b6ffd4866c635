#!/bin/sh
# tests/run.sh BUILD - run every tests/*.test against the binaries in BUILD.
# Each .test is a sh script that sources tests/lib.sh and reports with
# pass/fail/skip; this runner adds them up and ends with "N passed, N failed".
# RUN (e.g. "qemu-aarch64") prefixes every binary of BUILD: no binfmt_misc.
# ONLY="capture pidfile" runs just the tests whose names contain those words.
BUILD=${1:-build}
case $BUILD in /*) ;; *) BUILD=$(pwd)/$BUILD ;; esac
TESTS=$(cd "$(dirname "$0")" && pwd)
RESULTS=$(mktemp /tmp/gd-results.XXXXXX)
export BUILD TESTS RESULTS RUN
: "${TEST_TIMEOUT:=600}"
for t in "$TESTS"/*.test; do
	name=$(basename "$t" .test)
	if [ -n "$ONLY" ]; then
		case " $ONLY " in *" $name "*) ;; *) continue ;; esac
	fi
	echo "== $name"
	# Each script in its own process group, bounded, so a hung test fails
	# alone instead of stalling the run.
	timeout -k 10 "$TEST_TIMEOUT" sh "$t"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $name exited $rc"
		echo fail >>"$RESULTS"
	fi
done
p=$(grep -c '^pass$' "$RESULTS")
f=$(grep -c '^fail$' "$RESULTS")
s=$(grep -c '^skip$' "$RESULTS")
rm -f "$RESULTS"
if [ "$s" -gt 0 ]; then
	echo "$p passed, $f failed, $s skipped"
else
	echo "$p passed, $f failed"
fi
[ "$f" -eq 0 ] && [ "$p" -gt 0 ]

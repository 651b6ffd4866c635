# tests/lib.sh - sourced by every tests/*.test.
#
#   GD          the applet as a command ("$RUN $BUILD/godaemon", or $GD_CMD)
#   prog NAME   a test program of $BUILD (tests/t_NAME.c) as a command
#   T           a scratch directory of this script, removed at its end
#   pass NAME / fail NAME [WHY] / skip NAME WHY
#   expect NAME RC CMD...   run CMD, stdout in $T/out, stderr in $T/err,
#                           pass when it exits RC
#   has NAME FILE TEXT      pass when FILE contains TEXT (grep -F)
#   wait_file FILE [SECS]   bounded wait (default 30 s) until FILE is non-empty
#   read_fifo FIFO [SECS]   print what comes through FIFO, bounded (default 30 s)
#
# Waits are bounded and generous; nothing asserts on speed. Synchronise with
# FIFOs or the readiness fd where possible.
set -u
: "${BUILD:?run through tests/run.sh}"
: "${RESULTS:=/dev/null}"
: "${RUN:=}"
# GD_CMD replaces the applet as a whole, e.g. "busybox godaemon" (make busybox-test).
GD=${GD_CMD:-"$RUN $BUILD/godaemon"}
T=$(mktemp -d /tmp/gdt.XXXXXX)
chmod 755 "$T"
trap 'cleanup_test' EXIT
# Scripts may set CLEANUP to a command run at exit (kill leftover daemons).
CLEANUP=:
cleanup_test() {
	eval "$CLEANUP"
	rm -rf "$T"
	san_reports
}
# Sanitizer and valgrind builds (tests/hardening.mk) log their reports under
# SAN_LOG, whichever process made them: any report fails the running test.
san_reports() {
	[ -n "${SAN_LOG:-}" ] || return 0
	for _f in "$SAN_LOG"/*; do
		[ -s "$_f" ] || continue
		# Valgrind 3.19 does not know pidfd_open (434) and fails it with
		# ENOSYS, which the library handles as an old kernel: its notice
		# about that is not a report.
		if grep -v -e 'WARNING: unhandled [a-z0-9]*-linux syscall: 434$' \
			-e 'You may be able to write your own handler' -e README_MISSING_SYSCALL_OR_IOCTL \
			-e 'Nevertheless we consider this a bug' -e 'it at http://valgrind.org/support/bug_reports' \
			"$_f" | grep -q .; then
			fail "no sanitizer report" "$_f: $(head -c 2000 "$_f")"
		fi
		rm -f "$_f"
	done
}

pass() { echo "PASS: $1"; echo pass >>"$RESULTS"; }
fail() { echo "FAIL: $1${2:+ -- $2}"; echo fail >>"$RESULTS"; }
skip() { echo "SKIP: $1 -- $2"; echo skip >>"$RESULTS"; }

# feature NAME: was FEATURE_GODAEMON_NAME (or FEATURE_NAME) built in? (all are, without autoconf.h)
feature() {
	[ ! -f "$BUILD/autoconf.h" ] || grep -Eq "^#define ENABLE_FEATURE_(GODAEMON_)?$1 1" "$BUILD/autoconf.h"
}

# errtext N TEXT: how messages name error N (the same number on every Linux
# architecture), TEXT being musl's text for it: TEXT, or "error N" when built
# without FEATURE_GODAEMON_ERROR_TEXTS.
errtext() {
	if feature ERROR_TEXTS; then echo "$2"; else echo "error $1"; fi
}

# with NAME TEST ARG...: run TEST ARG... when FEATURE_GODAEMON_NAME is built
# in; else skip it, named by its first argument.
with() {
	_feature=$1
	shift
	if feature "$_feature"; then
		"$@"
	else
		skip "$2" "built without FEATURE_GODAEMON_$_feature"
	fi
}

prog() { echo "$RUN $BUILD/t_$1"; }

expect() {
	_name=$1 _want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	_rc=$?
	if [ "$_rc" -eq "$_want" ]; then
		pass "$_name"
	else
		fail "$_name" "exit $_rc, wanted $_want; stderr: $(head -c 300 "$T/err")"
	fi
	return 0
}

has() {
	if grep -qF -- "$3" "$2" 2>/dev/null; then
		pass "$1"
	else
		fail "$1" "'$3' not in $2: $(head -c 300 "$2" 2>/dev/null)"
	fi
}

wait_file() {
	_n=$(( ${2:-30} * 20 ))
	while [ ! -s "$1" ] && [ "$_n" -gt 0 ]; do
		sleep 0.05
		_n=$((_n - 1))
	done
	[ -s "$1" ]
}

read_fifo() {
	timeout "${2:-30}" cat "$1"
}

# Is process PID alive (and not a zombie)?
alive() {
	[ -n "$1" ] && [ -d "/proc/$1" ] && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null
}

# wait_grep FILE TEXT [SECS]: bounded wait (default 30 s) until FILE holds TEXT.
wait_grep() {
	_n=$(( ${3:-30} * 20 ))
	while ! grep -qF -- "$2" "$1" 2>/dev/null && [ $_n -gt 0 ]; do sleep 0.05; _n=$((_n - 1)); done
	grep -qF -- "$2" "$1" 2>/dev/null
}

# ours TEXT: the PIDs of the live processes whose command line holds TEXT.
ours() {
	for _d in /proc/[0-9]*; do
		[ "${_d#/proc/}" != "$$" ] && grep -qF -- "$1" "$_d/cmdline" 2>/dev/null &&
			alive "${_d#/proc/}" && echo "${_d#/proc/}"
	done
	return 0
}

# ppid PID: the parent of PID (empty when PID is gone).
ppid() { awk '/^PPid:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }

# in_ns [dev]: run this script in network, PID and mount namespaces of its own
# (unshare -n -p -f --mount-proc): only lo, up, on 127.0.0.1; PIDs of its own;
# and every process it leaves is killed with the namespace at its end. The
# outer call runs the script again from the top in there, under a PID 1 shell
# that reaps orphans while it waits, and exits with its status; the inner call
# returns. RESULTS and the other settings pass through the environment; the
# inner script has a $T of its own. With "dev", /dev is a private tmpfs (null,
# zero, full, random, urandom, tty), so /dev/log is the test's own. Without
# namespaces (no unshare, no privilege) the whole script skips.
in_ns() {
	if [ -z "${GD_IN_NS:-}" ]; then
		if ! unshare -n -p -f --mount-proc --kill-child true 2>/dev/null; then
			skip "$(basename "$0" .test)" "no network, PID and mount namespaces (unshare)"
			exit 0
		fi
		GD_IN_NS=1 unshare -n -p -f --mount-proc --kill-child sh -c 'sh "$0" & wait $!' "$0"
		exit
	fi
	_ip=ip
	command -v ip >/dev/null || _ip="busybox ip"
	if ! $_ip link set lo up; then
		fail "namespace: lo up"
		exit 1
	fi
	[ "${1:-}" = dev ] || return 0
	mount -t tmpfs -o mode=755 gdtest /dev || { fail "namespace: private /dev"; exit 1; }
	for _d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
		_a=${_d#*:}
		mknod -m 666 "/dev/${_d%%:*}" c "${_a%:*}" "${_a#*:}" || { fail "namespace: mknod $_d"; exit 1; }
	done
}

# ns_veth: inside in_ns, a veth pair that exists only in the namespace: gdv0
# with 192.0.2.1/24 (TEST-NET-1, never routed) and gdv1 without an address,
# both up. Fails (for the caller to skip) without veth support.
ns_veth() {
	[ -n "${GD_IN_NS:-}" ] || return 1
	$_ip link add gdv0 type veth peer name gdv1 2>/dev/null &&
		$_ip addr add 192.0.2.1/24 dev gdv0 && $_ip link set gdv0 up && $_ip link set gdv1 up
}

# place PID CMD...: run CMD in the background with exactly PID (through
# ns_last_pid, in a PID namespace of our own), its PID in PLACED; fails when
# PID is taken or the kernel cannot place it (no CONFIG_CHECKPOINT_RESTORE).
# Nothing may fork between the write and CMD's fork.
place() {
	_pid=$1
	shift
	PLACED=
	[ ! -d "/proc/$_pid" ] && echo $((_pid - 1)) 2>/dev/null >/proc/sys/kernel/ns_last_pid || return 1
	"$@" >/dev/null 2>&1 &
	PLACED=$!
	[ "$PLACED" = "$_pid" ] && return 0
	kill "$PLACED"
	PLACED=
	return 1
}

# decoy_at PID: inside in_ns, a sleeping decoy placed at exactly PID, its PID
# in DECOY.
decoy_at() {
	DECOY=
	[ -n "${GD_IN_NS:-}" ] && ! alive "$1" && place "$1" sleep 1000 || return 1
	DECOY=$PLACED
}

# untouched PID: alive and no signal pending. A fatal signal sent leaves the
# process gone, exiting, or with SIGKILL pending (the kernel's shortcut).
untouched() {
	alive "$1" && awk '/^(SigPnd|ShdPnd):/ && $2 !~ /^0+$/ { f = 1 } END { exit f }' "/proc/$1/status" 2>/dev/null
}

# check NAME COND [WHY]: pass when eval COND succeeds, else fail with WHY (COND).
check() { if eval "$2"; then pass "$1"; else fail "$1" "${3:-$2}"; fi; }

# gone PID [SECS]: bounded wait (default 30 s) until PID is no longer alive.
gone() {
	_n=$(( ${2:-30} * 20 ))
	while alive "$1" && [ $_n -gt 0 ]; do sleep 0.05; _n=$((_n - 1)); done
	! alive "$1"
}

# need NAME WHY CMD...: unless CMD succeeds (quietly), skip NAME for WHY and
# end the script.
need() {
	_name=$1 _why=$2
	shift 2
	"$@" >/dev/null 2>&1 || { skip "$_name" "$_why"; exit 0; }
}

# kill_ours: SIGKILL every process with "$T/" in its command line. The
# test's programs run from $T (own_processes' $SLEEP, scripts, files), so
# only this test's processes are hit, never the machine's.
kill_ours() {
	for _d in /proc/[0-9]*; do
		grep -qF "$T/" "$_d/cmdline" 2>/dev/null && kill -9 "${_d#/proc/}" 2>/dev/null
	done
	return 0
}

# own_processes: $SLEEP, a sleep linked under $T so that kill_ours finds it,
# and kill_ours at the script's end.
own_processes() {
	SLEEP=$T/gdsleep
	ln -s "$(command -v sleep)" "$SLEEP"
	CLEANUP=kill_ours
}

# listening PORT: is some socket listening on TCP PORT?
listening() {
	awk -v h=":$(printf '%04X' "$1")" '$4 == "0A" && substr($2, length($2) - 4) == h { f = 1 }
		END { exit !f }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# until_port PORT yes|no: bounded wait (30 s) for the port to (stop) listening.
until_port() {
	_n=600
	while [ $_n -gt 0 ]; do
		if listening "$1"; then [ "$2" = yes ] && return 0; else [ "$2" = no ] && return 0; fi
		sleep 0.05
		_n=$((_n - 1))
	done
	return 1
}

# free_port BASE: a TCP port from BASE on (by this script's PID) that no socket listens on.
free_port() {
	_p=$(($1 + $$ % 20000))
	while listening $_p; do _p=$((_p + 1)); done
	echo $_p
}

# httpd_www NAME BASE TEXT: for a test of BusyBox httpd, skipped as NAME
# without busybox httpd and wget: $port, free from BASE on, and
# $T/www/index.html holding TEXT.
httpd_www() {
	need "$1" "no busybox httpd or wget" sh -c 'busybox httpd --help && busybox wget --help'
	port=$(free_port "$2")
	mkdir "$T/www"
	echo "$3" >"$T/www/index.html"
}

# holds_lock PID FILE: does PID hold a POSIX record lock on FILE (/proc/locks
# names it by device and inode)?
holds_lock() {
	_ino=$(stat -c %i "$2" 2>/dev/null) || return 1
	awk -v p="$1" -v i="$_ino" '$2 == "POSIX" && $5 == p && $6 ~ (":" i "$") { f = 1 }
		END { exit !f }' /proc/locks
}

#!/bin/sh
# tests/bench.sh BUILD - start and stop a daemon N times (default 40) with
# godaemon and, in the same run, with a floor program and the peers Debian
# ships: BusyBox start-stop-daemon, daemonize and libslack's daemon. Prints
# medians, their ratio to godaemon, and godaemon's numbers against their
# targets (issues 14, 15, 16). A benchmark, not a test: it prints numbers
# and fails only when it cannot run at all. Run by `make bench [N=...]`.
#
#   floor   BUILD/floor (tests/floor.c): fork, setsid, fork, exec, a
#           close-on-exec report pipe and the pidfile; the least a
#           synchronous starter can do. Stopped with kill.
#   start   until the starting command returns
#   named   until the pidfile names a live process (the daemon, or for
#           daemon(1) its supervising process)
#   stop    until that process is gone: `godaemon stop`, `start-stop-daemon
#           -K -R 5` then waiting, `kill` for floor and daemonize (they have
#           no stop), `daemon --stop` then waiting; and until the stop
#           command returns, and how long after the process was gone it
#           returned (negative: before, it did not wait)
#   rss     peak RSS of the starting command and the children it reaped
#   calls   system calls per start, strace -f, from the starter's exec
#           until it returned and PROG was exec'd (-b execve), whichever is
#           later: not what a resident process does afterwards; PROG =
#           sleep 0.2
#   fds     "start" again with ulimit -n raised to fs.nr_open (or the hard
#           limit): what closing every descriptor costs each of them
#   exit    for those that leave a process beside PROG (godaemon's keeper,
#           daemon(1)'s supervisor): PROG exits by itself (a byte on a
#           FIFO), timed until PROG is gone and until that process is gone
#           too and the pidfile is final (removed, or no longer locked)
#   keeper  godaemon's keeper (PPid of the PID in the pidfile) while PROG
#           runs, for -p, -p -l, -p -r, -p -B: VmRSS and VmHWM, and 2 s of
#           idleness: context switches, strace -c -f -p, the call it is in
# ulimit -n and -H: dash and bash have them.
# shellcheck disable=SC3045
set -eu

BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
N=${N:-40}
CALLS_N=${CALLS_N:-5}
KEEPER_N=${KEEPER_N:-5}
B=$BUILD/gd_bench
FLOOR=$BUILD/floor
PROG=$(command -v sleep)
[ -x "$B" ] || { echo "bench: $B missing (make bench builds it)" >&2; exit 2; }
[ -x "$FLOOR" ] || { echo "bench: $FLOOR missing (make bench builds it)" >&2; exit 2; }
[ -z "${RUN:-}" ] || echo "bench: runs natively; RUN=$RUN ignored"

# Orphaned daemons come back to a reaper of ours, not to a PID 1 that may
# never reap them.
if [ -z "${GD_BENCH_REAPED:-}" ]; then
	GD_BENCH_REAPED=1 exec "$B" reaper sh "$0" "$@"
fi

D=$(mktemp -d /tmp/gd-bench.XXXXXX)
trap 'rm -rf "$D"' EXIT
GD=${GD_CMD:-$BUILD/godaemon}

# name, then a command line per phase; @F@ is the pidfile, @P@ the program
# and its arguments.
peers="godaemon floor"
command -v busybox >/dev/null && busybox start-stop-daemon --help >/dev/null 2>&1 &&
	peers="$peers s-s-d"
command -v daemonize >/dev/null && peers="$peers daemonize"
command -v daemon >/dev/null && peers="$peers daemon"
# Those that leave a process of their own beside PROG: the "exit" rounds.
resident="godaemon"
case " $peers " in *" daemon "*) resident="$resident daemon" ;; esac

start_cmd() {
	case $1 in
	godaemon) echo "$GD start -p $2 -- $3" ;;
	floor) echo "$FLOOR $2 $3" ;;
	s-s-d) echo "busybox start-stop-daemon -S -b -m -p $2 -x $3" | sed 's/ -x \([^ ]*\) / -x \1 -- /' ;;
	daemonize) echo "daemonize -p $2 $3" ;;
	daemon) echo "daemon -N --name=gdbench$$ --pidfile=$2 -- $3" ;;
	esac
}
# BusyBox's -K accepts -R (--retry) and ignores it: it never waits.
stop_cmd() {
	case $1 in
	godaemon) echo "$GD stop -p $2" ;;
	s-s-d) echo "busybox start-stop-daemon -K -R 5 -p $2" ;;
	floor | daemonize) echo "kill" ;;
	daemon) echo "daemon -N --name=gdbench$$ --pidfile=$2 --stop" ;;
	esac
}

# once PEER: one start and stop,
# "ret_us pid_us stop_us rss_kb stopret_us lag_us failures"
once() {
	# shellcheck disable=SC2046
	"$B" loop 1 "$D/$1.pid" $(start_cmd "$1" "$D/$1.pid" "$PROG 3600") \
		--stop $(stop_cmd "$1" "$D/$1.pid")
}

# exit_once PEER: PROG exits by itself once, "prog_us final_us after_us failures"
exit_once() {
	# shellcheck disable=SC2046
	"$B" exit 1 "$D/$1.x.pid" "$D/fifo" $(start_cmd "$1" "$D/$1.x.pid" "$B fifo $D/fifo")
}

# rounds SUFFIX [FUNCTION [PEERS]]: N rounds, each peer once per round, so
# that a change of the machine's load during the run weighs on every peer
# alike.
rounds() {
	i=0
	while [ $i -lt "$N" ]; do
		for p in ${3:-$peers}; do
			"${2:-once}" "$p" >>"$D/$p.$1.raw"
		done
		i=$((i + 1))
	done
	for p in ${3:-$peers}; do
		medians <"$D/$p.$1.raw" >"$D/$p.$1"
	done
}

# The median of each column of the successful runs, and the failures (the
# last column).
medians() {
	awk '$1 == "-" { f++; next }
	{ cols = NF - 1; for (c = 1; c <= cols; c++) v[c, ++n[c]] = $c }
	END {
		for (c = 1; c <= cols; c++) {
			m = n[c]
			# insertion sort: N is small
			for (i = 2; i <= m; i++)
				for (j = i; j > 1 && v[c, j - 1] > v[c, j]; j--) {
					t = v[c, j]; v[c, j] = v[c, j - 1]; v[c, j - 1] = t
				}
			printf "%d ", m % 2 ? v[c, (m + 1) / 2] : (v[c, m / 2] + v[c, m / 2 + 1]) / 2
		}
		if (!cols)
			printf "- - - - - - "
		print f + 0
	}'
}

# st_calls NAME FILE: the calls of NAME (or "total") in strace -c's table
# FILE; the 4th column, the errors column being blank where there are none.
st_calls() { awk -v n="$1" '$NF == n { print $4 }' "$2"; }

# calls PEER: median system calls of a start, over CALLS_N starts: every
# process's calls from the starter's exec until it has exited and PROG has
# been exec'd (strace detaches PROG there: -b execve), whichever is later.
# What a resident keeper or supervisor does afterwards (its exit when PROG
# ends: sleep 0.2) is not the start's.
calls() {
	command -v strace >/dev/null || { echo -; return; }
	i=0
	while [ $i -lt "$CALLS_N" ]; do
		rm -f "$D/st"
		# shellcheck disable=SC2046
		timeout 30 strace -f -qq -b execve -o "$D/st" \
			$(start_cmd "$1" "$D/st.$1.$i.pid" "$PROG 0.2") </dev/null >/dev/null 2>&1 || true
		[ -s "$D/st" ] && awk -v exe="execve(\"$PROG\"" '
			NR == 1 { starter = $1 }
			{ line[NR] = $0 }
			!ended && $1 == starter && $2 ~ /^exit_group\(0\)/ { ended = NR }
			!exec && $1 != starter && index($0, exe) { exec = NR }
			END {
				cut = ended > exec ? ended : exec
				for (i = 1; i <= cut; i++)
					if (line[i] !~ /resumed>/ && line[i] !~ /^[0-9]+ +(\+\+\+|---)/)
						n++
				if (ended && exec)
					print n
			}' "$D/st"
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'
}

# The keeper of the daemon that pidfile $1 names, and a field of its status.
keeper_of() { awk '/^PPid:/ { print $2 }' "/proc/$(cat "$1")/status" 2>/dev/null; }
vm() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null; }
switches() {
	awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }' "/proc/$1/status"
}
# What K is blocked in, from /proc/K/syscall (names for x86_64 only).
blocked_in() {
	read -r nr _ a2 a3 _ <"/proc/$1/syscall" || { echo "?"; return; }
	case $(uname -m):$nr in
	x86_64:7) name=poll ;;
	x86_64:271) name=ppoll ;;
	*) name="syscall $nr" ;;
	esac
	case $a3 in 0xffffffffffffffff | 0xffffffff) t="no timeout" ;; *) t="timeout $a3" ;; esac
	echo "$name($((a2)) fds, $t)"
}

# keepers: the keeper of each variant while PROG runs, then 2 s idle with
# nothing attached (context switches), then 2 s under strace -c -f -p.
keepers() {
	v=0
	for opts in "" "-l" "-r" "-B"; do
		v=$((v + 1))
		if [ "$opts" = -B ]; then
			set -- sh -c "$PROG 3600 >/dev/null 2>&1 &"
		else
			set -- "$PROG" 3600
		fi
		# KEEPER_N starts: the pages a keeper touches vary a little.
		r=0 k=
		: >"$D/k$v.vm"
		while [ $r -lt "$KEEPER_N" ]; do
			[ -z "$k" ] || "$B" stop "$D/k$v.pid" "$GD" stop -p "$D/k$v.pid" || true
			# shellcheck disable=SC2086
			"$GD" start -p "$D/k$v.pid" $opts -- "$@" </dev/null >/dev/null 2>&1 || break
			k=$(keeper_of "$D/k$v.pid")
			echo "$(vm "$k" VmRSS) $(vm "$k" VmHWM)" >>"$D/k$v.vm"
			r=$((r + 1))
		done
		if [ $r -lt "$KEEPER_N" ]; then
			echo "- - - - $opts" >"$D/k$v.out"
			continue
		fi
		echo "$k" >"$D/k$v.k"
		echo "$(awk 'NR == 1 || $1 < lo { lo = $1 } $1 > hi { hi = $1 } $2 > hw { hw = $2 }
			END { print lo, hi, hw }' "$D/k$v.vm") $(switches "$k") $opts" >"$D/k$v.out"
	done
	sleep 2
	for v in 1 2 3 4; do
		[ -s "$D/k$v.k" ] || continue
		k=$(cat "$D/k$v.k")
		echo "$(switches "$k")" "$(blocked_in "$k")" >>"$D/k$v.out"
		if command -v strace >/dev/null; then
			timeout -s INT 2 strace -c -f -p "$k" -o "$D/k$v.st" 2>"$D/k$v.err" &
		fi
	done
	wait
	# The keeper's system calls from stop's command until it exits.
	if command -v strace >/dev/null && [ -s "$D/k1.k" ]; then
		strace -c -f -p "$(cat "$D/k1.k")" -o "$D/ks.st" 2>"$D/ks.err" &
		i=0
		while ! grep -q attached "$D/ks.err" 2>/dev/null && [ $i -lt 3000 ]; do
			sleep 0.01
			i=$((i + 1))
		done
		set -- /proc/[0-9]*
		n=$#
		echo "$n" >"$D/ks.procs"
	fi
	for v in 1 2 3 4; do
		[ -s "$D/k$v.k" ] || continue
		"$B" stop "$D/k$v.pid" "$GD" stop -p "$D/k$v.pid" || true
		[ $v != 1 ] || wait
	done
	# daemon(1)'s supervising process, for comparison
	command -v daemon >/dev/null || return 0
	# shellcheck disable=SC2046,SC2091
	$(start_cmd daemon "$D/kd.pid" "$PROG 3600") </dev/null >/dev/null 2>&1 || return 0
	i=0
	while [ ! -s "$D/kd.pid" ] && [ $i -lt 1000 ]; do
		sleep 0.01
		i=$((i + 1))
	done
	kd=$(cat "$D/kd.pid" 2>/dev/null) || return 0
	echo "$(vm "$kd" VmRSS) $(vm "$kd" VmHWM)" >"$D/kd.out"
	"$B" stop "$D/kd.pid" kill || true
}

nofile=$(cat /proc/sys/fs/nr_open 2>/dev/null || echo 0)
( ulimit -n "$nofile" ) 2>/dev/null || nofile=$(ulimit -Hn)

rounds loop
( ulimit -n "$nofile" && rounds fds )
rounds exit exit_once "$resident"
for p in $peers; do
	calls "$p" >"$D/$p.calls"
done
keepers
sleep 0.3	# the strace runs' "sleep 0.2" daemons end by themselves

col() { [ -f "$1" ] && awk -v c="$2" '{ print $c }' "$1" || echo -; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b == 0) { print ""; exit }
		printf "(%.1fx)", a / b }'
}
# row LABEL FILE COLUMN [SHOW_RATIO [NOT_FOR]]: peers named in NOT_FOR get "-".
row() {
	label=$1 file=$2 c=$3 show_ratio=${4:-1} not_for=${5:-}
	base=$(col "$D/godaemon.$file" "$c")
	printf '%-38s' "$label"
	for p in $peers; do
		v=$(col "$D/$p.$file" "$c")
		case " $not_for " in *" $p "*) v=- ;; esac
		if [ "$p" = godaemon ] || [ "$show_ratio" = 0 ] || [ "$v" = - ]; then
			printf ' %15s' "$v"
		else
			printf ' %15s' "$v $(ratio "$v" "$base")"
		fi
	done
	echo
}
# Peers that are not resident, or stopped with kill: "-" in some rows.
not_resident=
killed=
for p in $peers; do
	case " $resident " in *" $p "*) ;; *) not_resident="$not_resident $p" ;; esac
	[ "$(stop_cmd "$p" F)" = kill ] && killed="$killed $p"
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "godaemon bench: N=$N rounds, one start+stop of $PROG 3600 by each per round; medians; $(date -u +%Y-%m-%d)"
echo "machine: $(uname -srm), $(nproc) cores, ${cpu:-?}, load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-38s' ""
for p in $peers; do printf ' %15s' "$p"; done
echo
row "start: caller returns (us)" loop 1
row "start: pidfile names it (us)" loop 2
row "stop: until gone (us)" loop 3
row "stop: command returns (us)" loop 5 1 "$killed"
row "stop: returns after gone (us)" loop 6 0 "$killed"
row "peak RSS of the starter (KiB)" loop 4
row "system calls per start" calls 1
row "start, ulimit -n $nofile (us)" fds 1
row "PROG exits: PROG gone (us)" exit 1 1 "$not_resident"
row "PROG exits: all final (us)" exit 2 1 "$not_resident"
row "PROG exits: final after PROG (us)" exit 3 0 "$not_resident"
row "failed runs (of $N)" loop 7 0
row "failed runs, ulimit -n $nofile" fds 7 0
row "failed runs, PROG exits" exit 4 0 "$not_resident"
echo "(ratios: the peer's median over godaemon's; s-s-d = busybox start-stop-daemon -S -b -m,"
echo " stopped with -K -R 5 (BusyBox ignores -R) then waited for; floor and daemonize stopped"
echo " with kill; daemon = libslack daemon; \"PROG exits\": PROG = gd_bench fifo FIFO ends on"
echo " a byte written to FIFO; final: the starter's resident process is gone and the pidfile"
echo " removed or unlocked)"
for p in $peers; do
	printf '%s: %s\n' "$p" "$(start_cmd "$p" F "PROG ARGS")"
done

echo
echo "keeper while PROG runs (godaemon start -p F ... -- $PROG 3600; VmRSS: min-max of $KEEPER_N starts)"
printf '%-38s %6s %6s %9s %9s  %s\n' "" "VmRSS" "VmHWM" "switches" "syscalls" "idle in"
printf '%-38s %6s %6s %9s %9s\n' "" "(KiB)" "(KiB)" "idle 2 s" "strace 2s"
rss_max=0
hwm_max=0
idle_calls=0
for v in 1 2 3 4; do
	[ -f "$D/k$v.out" ] || continue
	{
		read -r rss_lo rss hwm sw0 opts || true
		read -r sw1 blocked || true
	} <"$D/k$v.out"
	case $opts in -B) opts="-B -- sh -c 'sleep 3600 &'" ;; esac
	if [ "$rss" = - ]; then
		echo "start -p F $opts: failed"
		continue
	fi
	[ "$rss" -gt "$rss_max" ] && rss_max=$rss
	[ "$hwm" -gt "$hwm_max" ] && hwm_max=$hwm
	n=-
	if [ -f "$D/k$v.err" ] && grep -q attached "$D/k$v.err"; then
		n=$(st_calls total "$D/k$v.st")
		n=${n:-0}
		idle_calls=$((idle_calls + n))
	fi
	[ "$rss_lo" = "$rss" ] || rss="$rss_lo-$rss"
	printf '%-38s %6s %6s %9s %9s  %s\n' "start -p F $opts" "$rss" "$hwm" \
		"$((sw1 - sw0))" "$n" "$blocked"
done
if [ -f "$D/kd.out" ]; then
	read -r drss dhwm <"$D/kd.out" || true
	printf '%-38s %6s %6s\n' "libslack daemon's supervisor" "${drss:--}" "${dhwm:--}"
fi
if [ -f "$D/ks.st" ]; then
	echo "keeper's system calls from a stop until it exits: $(st_calls total "$D/ks.st")," \
		"$(st_calls openat "$D/ks.st") openat" \
		"(it reads /proc/PID/stat of each of the $(cat "$D/ks.procs") processes here)"
fi
[ -S /dev/log ] || echo "(no /dev/log here: -l's keeper sends nothing; its memory is measured as is)"

# summary: godaemon against its targets, from this run
get() { col "$D/$1.$2" "$3"; }
cmp_ratio() {
	awk -v a="$1" -v b="$2" -v t="$3" 'BEGIN {
		if (a == "-" || b == "-" || b == 0) { print "-"; exit }
		r = a / b; printf "%.3fx (target <= %sx: %s)", r, t, r <= t ? "met" : "OVER" }'
}
cmp_max() {
	awk -v a="$1" -v t="$2" -v u="$3" 'BEGIN {
		if (a == "-" || a == "") { print "-"; exit }
		printf "%s %s (target <= %s %s: %s)", a, u, t, u, a <= t ? "met" : "OVER" }'
}
gd_start=$(get godaemon loop 1)
echo
echo "godaemon against its targets (this run; not a test):"
echo "  start, caller returns / floor:        $(cmp_ratio "$gd_start" "$(get floor loop 1)" 1.15)"
case " $peers " in *" s-s-d "*)
	echo "  start -p / BusyBox s-s-d -S -b -m:    $(cmp_ratio "$gd_start" "$(get s-s-d loop 1)" 1)"
esac
echo "  keeper VmRSS, largest of the four:    $(cmp_max "$rss_max" 48 KiB) (VmHWM $hwm_max KiB)"
echo "  keeper system calls in 2 s idle:      $idle_calls (expected 0: blocked in one poll)"
echo "  stop returns after PROG gone:         $(cmp_max "$(get godaemon loop 6)" 5000 us)"
echo "  PROG's own exit: keeper gone, pidfile final after PROG: $(cmp_max "$(get godaemon exit 3)" 5000 us)"

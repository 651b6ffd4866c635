#!/bin/sh
# tests/bench.sh BUILD - start and stop a daemon N times (default 40) with
# godaemon and, in the same run, with the peers Debian ships: BusyBox
# start-stop-daemon, daemonize and libslack's daemon. Prints medians and
# their ratio to godaemon. A benchmark, not a test: it prints numbers and
# fails only when it cannot run at all. Run by `make bench [N=...]`.
#
#   start   until the starting command returns
#   named   until the pidfile names a live process (the daemon, or for
#           daemon(1) its supervising process)
#   stop    until that process is gone: `godaemon stop`, `start-stop-daemon
#           -K` then waiting, `kill` for daemonize (it has no stop),
#           `daemon --stop` then waiting
#   rss     peak RSS of the starting command and the children it reaped
#   calls   system calls per start, strace -f, from the starter's exec to
#           the daemon's exec of PROG (-b execve), PROG = sleep 0.2
#   fds     "start" again with ulimit -n raised to fs.nr_open (or the hard
#           limit): what closing every descriptor costs each of them
# ulimit -n and -H: dash and bash have them.
# shellcheck disable=SC3045
set -eu

BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
N=${N:-40}
CALLS_N=${CALLS_N:-5}
B=$BUILD/gd_bench
PROG=$(command -v sleep)
[ -x "$B" ] || { echo "bench: $B missing (make bench builds it)" >&2; exit 2; }
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
peers="godaemon"
command -v busybox >/dev/null && busybox start-stop-daemon --help >/dev/null 2>&1 &&
	peers="$peers s-s-d"
command -v daemonize >/dev/null && peers="$peers daemonize"
command -v daemon >/dev/null && peers="$peers daemon"

start_cmd() {
	case $1 in
	godaemon) echo "$GD start -p $2 -- $3" ;;
	s-s-d) echo "busybox start-stop-daemon -S -b -m -p $2 -x $3" | sed 's/ -x \([^ ]*\) / -x \1 -- /' ;;
	daemonize) echo "daemonize -p $2 $3" ;;
	daemon) echo "daemon -N --name=gdbench$$ --pidfile=$2 -- $3" ;;
	esac
}
stop_cmd() {
	case $1 in
	godaemon) echo "$GD stop -p $2" ;;
	s-s-d) echo "busybox start-stop-daemon -K -p $2" ;;
	daemonize) echo "kill" ;;
	daemon) echo "daemon -N --name=gdbench$$ --pidfile=$2 --stop" ;;
	esac
}

# once PEER: one start and stop, "ret_us pid_us stop_us rss_kb failures"
once() {
	# shellcheck disable=SC2046
	"$B" loop 1 "$D/$1.pid" $(start_cmd "$1" "$D/$1.pid" "$PROG 3600") \
		--stop $(stop_cmd "$1" "$D/$1.pid")
}

# rounds SUFFIX: N rounds, each peer once per round, so that a change of the
# machine's load during the run weighs on every peer alike.
rounds() {
	i=0
	while [ $i -lt "$N" ]; do
		for p in $peers; do
			once "$p" >>"$D/$p.$1.raw"
		done
		i=$((i + 1))
	done
	for p in $peers; do
		medians <"$D/$p.$1.raw" >"$D/$p.$1"
	done
}

# The median of each column of the successful runs, and the failures.
medians() {
	awk '$1 == "-" { f++; next }
	{ for (c = 1; c <= 4; c++) v[c, ++n[c]] = $c }
	END {
		for (c = 1; c <= 4; c++) {
			m = n[c]
			if (!m) { printf "- "; continue }
			# insertion sort: N is small
			for (i = 2; i <= m; i++)
				for (j = i; j > 1 && v[c, j - 1] > v[c, j]; j--) {
					t = v[c, j]; v[c, j] = v[c, j - 1]; v[c, j - 1] = t
				}
			printf "%d ", m % 2 ? v[c, (m + 1) / 2] : (v[c, m / 2] + v[c, m / 2 + 1]) / 2
		}
		print f + 0
	}'
}

# calls PEER: median system calls of a start, over CALLS_N starts.
calls() {
	command -v strace >/dev/null || { echo -; return; }
	i=0
	while [ $i -lt "$CALLS_N" ]; do
		# shellcheck disable=SC2046
		timeout 30 strace -f -qq -c -b execve -o "$D/st" \
			$(start_cmd "$1" "$D/st$i.pid" "$PROG 0.2") </dev/null >/dev/null 2>&1 || true
		awk '$NF == "total" { print $(NF - 2) }' "$D/st"
		i=$((i + 1))
	done | sort -n | awk '{ v[NR] = $1 } END { print NR ? v[int((NR + 1) / 2)] : "-" }'
}

nofile=$(cat /proc/sys/fs/nr_open 2>/dev/null || echo 0)
( ulimit -n "$nofile" ) 2>/dev/null || nofile=$(ulimit -Hn)

rounds loop
( ulimit -n "$nofile" && rounds fds )
for p in $peers; do
	calls "$p" >"$D/$p.calls"
done
sleep 0.3	# the strace runs' "sleep 0.2" daemons end by themselves

col() { awk -v c="$2" '{ print $c }' "$1"; }
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a == "-" || b == "-" || b == 0) { print ""; exit }
		printf "(%.1fx)", a / b }'
}
row() {
	label=$1 file=$2 c=$3 show_ratio=${4:-1}
	base=$(col "$D/godaemon.$file" "$c")
	printf '%-34s' "$label"
	for p in $peers; do
		v=$(col "$D/$p.$file" "$c")
		if [ "$p" = godaemon ] || [ "$show_ratio" = 0 ]; then
			printf ' %16s' "$v"
		else
			printf ' %16s' "$v $(ratio "$v" "$base")"
		fi
	done
	echo
}

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "godaemon bench: N=$N rounds, one start+stop of $PROG 3600 by each per round; medians; $(date -u +%Y-%m-%d)"
echo "machine: $(uname -srm), $(nproc) cores, ${cpu:-?}"
printf '%-34s' ""
for p in $peers; do printf ' %16s' "$p"; done
echo
row "start: caller returns (us)" loop 1
row "start: pidfile names it (us)" loop 2
row "stop: until gone (us)" loop 3
row "peak RSS of the starter (KiB)" loop 4
row "system calls per start" calls 1
row "start, ulimit -n $nofile (us)" fds 1
row "failed runs (of $N)" loop 5 0
row "failed runs, ulimit -n $nofile" fds 5 0
echo "(ratios: the peer's median over godaemon's; s-s-d = busybox start-stop-daemon -S -b -m,"
echo " stopped with -K then waited for; daemonize stopped with kill; daemon = libslack daemon)"
for p in $peers; do
	printf '%s: %s\n' "$p" "$(start_cmd "$p" F "PROG ARGS")"
done

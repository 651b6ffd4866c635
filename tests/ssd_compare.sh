#!/bin/sh
# tests/ssd_compare.sh BUILD - the init scripts of tests/initscripts (the
# shapes of Buildroot's) and the calls they make, run with each
# start-stop-daemon in turn: godaemon's (BUILD/godaemon under that name),
# BusyBox's (busybox start-stop-daemon) and dpkg's (/sbin/start-stop-daemon).
# Each tool in network, PID and mount namespaces of its own, on 127.0.0.1,
# with real daemons (busybox httpd, lighttpd); every process it leaves dies
# with its namespace. Prints a markdown table: one row per step, "yes" where
# the tool got the step right, "no" and why where not.
#
# A comparison, not a test: it exits 0 whatever the table says, and fails
# only when it cannot run (a tool's run broke, timed out or left a row
# empty). Run by `make bench-ssd` and `make bench`; CMP_TOOLS="godaemon
# busybox dpkg" (the default) picks the columns.
#
# The steps run as step_ID, the conditions of `within` through eval:
# shellcheck disable=SC2317,SC2016
BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
TESTS=$TOP/tests
RESULTS=/dev/null
export BUILD TESTS RESULTS
. "$TESTS/lib.sh"
[ -z "$RUN" ] || echo "bench-ssd: runs natively; RUN=$RUN ignored"
RUN=

# The steps: id, then what the row says.
STEPS='start	`-S -b -m -p` (S50bgm start): exit 0, the pidfile names the daemon, it answers
restart	restart (S50bgm: `-K -p`, its `--test` loop, `-S`): exactly one daemon, answering
reload	reload (`-K -s HUP -p`): the same daemon, still answering
kwait	`-K -p` returns only once the daemon is gone (it takes 1 s to exit on TERM; no `--test` loop)
ownpid	`-S -p` of lighttpd (backgrounds itself, writes the pidfile), then `-K -p`: it answers, then nothing left
exec	failed exec with `-b` (missing program; not executable; missing `#!` interpreter): failure exit status
twice	two concurrent starts (S50bgm, 5 tries): one daemon, the pidfile names it, stop ends it
reused	the daemon crashed, its PID reused by an unrelated process: stop (`-K -p`) signals nothing
reusedx	the daemon crashed, its PID reused by an httpd started by hand: stop (`-K -p -x`) signals nothing
byhand	another httpd started by hand beside the script'"'"'s: stop (`-K -p`) ends only the script'"'"'s
stale	stale pidfile (root'"'"'s, 0644, not written by the tool) naming a live unrelated process: `-K -p` signals nothing
foreign	pidfile owned by another user, or writable by others, naming a live unrelated process: `-K -p` signals nothing
retry	`-K -p --retry TERM/5/KILL/5`, the daemon ignoring TERM: it ends, exit 0'
TOOLS=${CMP_TOOLS:-godaemon busybox dpkg}

# tool_ok TOOL: is TOOL's start-stop-daemon here?
tool_ok() {
	case $1 in
	godaemon) feature SSD && [ -x "$BUILD/godaemon" ] ;;
	busybox) command -v busybox >/dev/null && busybox start-stop-daemon --help >/dev/null 2>&1 ;;
	dpkg) [ -x /sbin/start-stop-daemon ] ;;
	esac
}

# The outer run: each tool in fresh namespaces, then the table.
if [ -z "${CMP_TOOL:-}" ]; then
	if ! unshare -n -p -f --mount-proc --kill-child true 2>/dev/null; then
		echo "bench-ssd: skipped: no network, PID and mount namespaces (unshare)"
		exit 0
	fi
	broke=
	for tool in $TOOLS; do
		: >"$T/$tool"
		tool_ok "$tool" || continue
		# Every wait inside is bounded; this bounds the whole.
		t0=$(date +%s)
		CMP_TOOL=$tool CMP_OUT=$T/$tool timeout -k 5 100 \
			unshare -n -p -f --mount-proc --kill-child sh -c 'sh "$0" "$1" & wait $!' "$0" "$BUILD" ||
			broke="$broke $tool"
		echo "$tool: $(($(date +%s) - t0)) s" >>"$T/times"
	done
	bb=$(busybox 2>/dev/null | sed -n '1s/ multi-call binary.*//p')
	echo "start-stop-daemon compared, $(date -u +%Y-%m-%d), $(uname -srm):"
	echo "godaemon $(git -C "$TOP" describe --always --dirty 2>/dev/null || echo '?')" \
		"($BUILD/godaemon as start-stop-daemon); ${bb:-no BusyBox};" \
		"dpkg's $(/sbin/start-stop-daemon --version 2>/dev/null | sed -n '1s/ for Debian//p')"
	echo
	printf '| step'
	for tool in $TOOLS; do
		case $tool in godaemon) printf ' | godaemon' ;; busybox) printf ' | BusyBox' ;; dpkg) printf ' | dpkg' ;; esac
	done
	printf ' |\n| ---'
	for tool in $TOOLS; do printf ' | ---'; done
	echo ' |'
	echo "$STEPS" | while IFS='	' read -r id label; do
		printf '| %s' "$label"
		for tool in $TOOLS; do
			if ! tool_ok "$tool"; then
				cell="n/a (not installed)"
			else
				cell=$(awk -F '	' -v id="$id" '$1 == id { print $2; exit }' "$T/$tool")
				[ -n "$cell" ] || { cell="?"; echo "$tool: no result for $id" >>"$T/missing"; }
			fi
			printf ' | %s' "$cell"
		done
		echo ' |'
	done
	echo "(each tool in namespaces of its own: $(paste -s -d, "$T/times" 2>/dev/null | sed 's/,/, /g'))"
	[ -z "$broke" ] || echo "bench-ssd: the run of$broke broke or timed out" >&2
	[ ! -s "$T/missing" ] || { cat "$T/missing" >&2; broke=1; }
	[ -z "$broke" ]
	exit
fi

# The inner run, in the namespaces, for CMP_TOOL.
ip link set lo up 2>/dev/null || busybox ip link set lo up || exit 1
BB=$(command -v busybox)
INIT=$TESTS/initscripts
W=$T/www
R=$T/run
mkdir -p "$T/sbin" "$W" "$R"
echo hello >"$W/index.html"
case $CMP_TOOL in
godaemon) ln -s "$BUILD/godaemon" "$T/sbin/start-stop-daemon" ;;
busybox) ln -s "$BB" "$T/sbin/start-stop-daemon" ;;
dpkg) ln -s /sbin/start-stop-daemon "$T/sbin/start-stop-daemon" ;;
esac
PATH=$T/sbin:$PATH
export PATH

row() { printf '%s\t%s\n' "$1" "$2" >>"$CMP_OUT"; }

# within SECS COND: bounded wait until eval COND succeeds.
within() {
	_w=$(($1 * 10))
	shift
	until eval "$*"; do
		[ "$_w" -gt 0 ] || return 1
		sleep 0.1
		_w=$((_w - 1))
	done
}
cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline"; }
# count PAT: the live processes whose command line holds PAT, but for
# start-stop-daemon's own (godaemon's keepers carry the daemon's command line).
# every PAT: keepers too.
count() {
	for _p in $(pgrep -f -- "$1"); do
		case $(cmdline "$_p") in *start-stop-daemon*) ;; *) alive "$_p" && echo "$_p" ;; esac
	done | wc -l
}
every() {
	for _p in $(pgrep -f -- "$1"); do alive "$_p" && echo "$_p"; done | wc -l
}
# names PIDFILE PAT: PIDFILE names a live process whose command line holds PAT.
names() {
	_p=$(cat "$1" 2>/dev/null) && [ -n "$_p" ] && alive "$_p" &&
		case $(cmdline "$_p") in *"$2"*) true ;; *) false ;; esac
}
http() { timeout 5 "$BB" wget -q -O - "http://127.0.0.1:$1/index.html" 2>/dev/null | grep -q hello; }
script() { timeout 30 sh "$INIT/$1" "$2" >/dev/null 2>&1; }
ssd() { timeout 30 start-stop-daemon "$@" >/dev/null 2>&1; }

# others: does a live process other than PID 1 and this script run here?
others() {
	for _d in /proc/[0-9]*; do
		_p=${_d#/proc/}
		[ "$_p" -gt 1 ] && [ "$_p" != $$ ] && alive "$_p" && return 0
	done
	return 1
}
# sweep: SIGKILL what a step left (daemons, keepers, victims), reap this
# script's children, wait until they are gone (ports and PIDs free again).
sweep() {
	for _d in /proc/[0-9]*; do
		_p=${_d#/proc/}
		[ "$_p" -gt 1 ] && [ "$_p" != $$ ] && kill -9 "$_p" 2>/dev/null
	done
	wait
	within 10 '! others' || echo "bench-ssd: $CMP_TOOL: processes left after a step" >&2
}

# bgm PORT NAME: S50bgm's environment for busybox httpd on PORT.
bgm() {
	DAEMON=$BB NAME=$2 PIDFILE=$R/$2.pid DAEMON_ARGS="httpd -f -h $W -p 127.0.0.1:$1"
	STOP_EXEC='' RETRY=''
	export DAEMON NAME PIDFILE DAEMON_ARGS STOP_EXEC RETRY
}

# start, restart, reload: one httpd's life through S50bgm.
step_start() {
	bgm 8080 httpd
	script S50bgm start
	_rc=$?
	if [ "$_rc" != 0 ]; then row start "no (exit $_rc)"
	elif ! within 10 http 8080; then row start "no (it does not answer)"
	elif ! within 10 names "$PIDFILE" 127.0.0.1:8080; then row start "no (the pidfile does not name it)"
	else row start yes
	fi
}
step_restart() {
	bgm 8080 httpd
	script S50bgm restart
	_rc=$?
	if [ "$_rc" != 0 ]; then row restart "no (exit $_rc)"
	elif ! within 10 '[ "$(count 127.0.0.1:8080)" = 1 ]'; then
		row restart "no ($(count 127.0.0.1:8080) daemons)"
	elif ! within 10 http 8080; then row restart "no (it does not answer)"
	elif ! names "$PIDFILE" 127.0.0.1:8080; then row restart "no (the pidfile does not name it)"
	else row restart yes
	fi
}
step_reload() {
	bgm 8080 httpd
	_old=$(cat "$PIDFILE" 2>/dev/null)
	script S50bgm reload
	_rc=$?
	# A request: by its answer the signal has been handled.
	http 8080
	if [ "$_rc" != 0 ]; then row reload "no (exit $_rc)"
	elif ! alive "$_old"; then row reload "no (the daemon ended)"
	elif ! within 5 http 8080; then row reload "no (it does not answer)"
	elif [ "$(count 127.0.0.1:8080)" != 1 ]; then row reload "no ($(count 127.0.0.1:8080) daemons)"
	else row reload yes
	fi
	script S50bgm stop
}

# kwait: a daemon that takes 1 s to end on TERM, stopped as the scripts'
# first call does, without their --test loop.
step_kwait() {
	cat >"$T/slowd" <<-EOF
	#!/bin/sh
	trap 'kill \$!; sleep 1; exit 0' TERM
	: >"$T/slowd.ready"
	while :; do sleep 1000 & wait \$!; done
	EOF
	chmod 755 "$T/slowd"
	DAEMON=$T/slowd NAME=slowd PIDFILE=$R/slowd.pid DAEMON_ARGS=
	export DAEMON NAME PIDFILE DAEMON_ARGS
	script S50bgm start
	if ! within 10 '[ -e "$T/slowd.ready" ]' || ! within 10 names "$PIDFILE" slowd; then
		row kwait "no (it did not start)"
		return
	fi
	_p=$(cat "$PIDFILE")
	ssd -K -q -p "$PIDFILE"
	_rc=$?
	if alive "$_p"; then row kwait "no (exit $_rc at once, the daemon still running)"
	elif [ "$_rc" != 0 ]; then row kwait "no (it is gone, but exit $_rc)"
	else row kwait yes
	fi
}

# ownpid: lighttpd backgrounds itself and writes its pidfile (S50ownpid).
step_ownpid() {
	command -v lighttpd >/dev/null || { row ownpid "n/a (no lighttpd)"; return; }
	cat >"$T/lighttpd.conf" <<-EOF
	server.document-root = "$W"
	server.bind = "127.0.0.1"
	server.port = 8081
	server.pid-file = "$R/lighttpd.pid"
	server.errorlog = "$T/lighttpd.log"
	EOF
	DAEMON=$(command -v lighttpd) NAME=lighttpd PIDFILE=$R/lighttpd.pid
	DAEMON_ARGS="-f $T/lighttpd.conf" STOP_EXEC='' RETRY=''
	export DAEMON NAME PIDFILE DAEMON_ARGS STOP_EXEC RETRY
	script S50ownpid start
	_rc=$?
	if [ "$_rc" != 0 ]; then row ownpid "no (start: exit $_rc)"; return; fi
	if ! within 10 http 8081; then row ownpid "no (it does not answer)"; return; fi
	script S50ownpid stop
	_rc=$?
	_left=
	for _f in "$R"/lighttpd.pid*; do [ ! -e "$_f" ] || _left="$_left ${_f##*/}"; done
	if [ "$_rc" != 0 ]; then row ownpid "no (stop: exit $_rc)"
	elif ! within 10 '[ "$(every lighttpd.conf)" = 0 ]'; then
		row ownpid "no ($(every lighttpd.conf) processes left)"
	elif [ -n "$_left" ]; then row ownpid "no (left$_left)"
	else row ownpid yes
	fi
}

# exec: programs that cannot be run, with -b -m.
step_exec() {
	printf '#!/bin/sh\n' >"$T/noexec"
	chmod 644 "$T/noexec"
	printf '#!/nonexistent/sh\n' >"$T/badinterp"
	chmod 755 "$T/badinterp"
	_why=
	for _f in nosuch:missing noexec:"not executable" badinterp:"missing interpreter"; do
		ssd -S -q -b -m -p "$R/${_f%%:*}.pid" -x "$T/${_f%%:*}" -- x ||
			continue
		_why="$_why, ${_f#*:}"
	done
	if [ -z "$_why" ]; then row exec yes; else row exec "no (exit 0: ${_why#, })"; fi
}

# twice: two S50bgm starts at once, five tries. Both wait at a FIFO (its
# open blocks until a writer comes) and set off together when it is opened.
twice_once() {
	bgm 8082 "twice$1"
	rm -f "$T/go"
	mkfifo "$T/go"
	{ timeout 10 cat "$T/go" >/dev/null; script S50bgm start; } &
	_a=$!
	{ timeout 10 cat "$T/go" >/dev/null; script S50bgm start; } &
	_b=$!
	# Both readers are blocked in open() when this opens it (read-write: it
	# never blocks, even if they were gone).
	within 10 '[ "$(fifo_readers)" = 2 ]'
	: <>"$T/go"
	wait "$_a"
	_ra=$?
	wait "$_b"
	_rb=$?
	_how="exits $_ra and $_rb"
	[ "$_ra$_rb" != 00 ] || _how="both exit 0"
	if ! within 10 http 8082; then echo "none answers"
	elif ! within 5 '[ "$(count 127.0.0.1:8082)" = 1 ]'; then echo "$(count 127.0.0.1:8082) run, $_how"
	elif ! names "$PIDFILE" 127.0.0.1:8082; then echo "the pidfile names the one that died, $_how"
	else
		script S50bgm stop
		within 10 '[ "$(count 127.0.0.1:8082)" = 0 ]' || echo "stop leaves it running, $_how"
	fi
}
# fifo_readers: how many cat processes wait on $T/go.
fifo_readers() { pgrep -f -x -- "cat $T/go" | wc -l; }
step_twice() {
	_bad=0 _why=
	for _i in 1 2 3 4 5; do
		_r=$(twice_once "$_i")
		sweep
		[ -n "$_r" ] || continue
		_bad=$((_bad + 1))
		case "; $_why; " in *"; $_r; "*) ;; *) _why="$_why; $_r" ;; esac
	done
	if [ "$_bad" = 0 ]; then row twice yes; else row twice "no ($_bad of 5: ${_why#; })"; fi
}

# crash PORT: SIGKILL the httpd of S50bgm on PORT, wait until its PID is
# free and nothing of it (a keeper) runs; its PID in CRASHED.
crash() {
	script S50bgm start
	CRASHED=
	within 10 names "$PIDFILE" "127.0.0.1:$1" || return 1
	CRASHED=$(cat "$PIDFILE")
	kill -9 "$CRASHED"
	_port=$1
	within 10 '[ ! -d /proc/$CRASHED ] && [ "$(every 127.0.0.1:$_port)" = 0 ]'
}
# reused, reusedx: the PID of a crashed daemon taken by another process.
step_reused() {
	bgm 8083 reused
	crash 8083 || { row reused "no (it did not start)"; return; }
	place "$CRASHED" sleep 1000 || { row reused "n/a (no ns_last_pid here)"; return; }
	script S50bgm stop
	if untouched "$PLACED"; then row reused yes; else row reused "no (signalled it)"; fi
}
step_reusedx() {
	bgm 8084 reusedx
	STOP_EXEC="--exec $BB"
	crash 8084 || { row reusedx "no (it did not start)"; return; }
	place "$CRASHED" "$BB" httpd -f -h "$W" -p 127.0.0.1:8085 ||
		{ row reusedx "n/a (no ns_last_pid here)"; return; }
	script S50bgm stop
	if untouched "$PLACED"; then row reusedx yes; else row reusedx "no (signalled it)"; fi
}

# byhand: a second httpd started by hand, beside the script's.
step_byhand() {
	bgm 8086 byhand
	script S50bgm start
	within 10 names "$PIDFILE" 127.0.0.1:8086 || { row byhand "no (it did not start)"; return; }
	_p=$(cat "$PIDFILE")
	"$BB" httpd -f -h "$W" -p 127.0.0.1:8087 &
	_h=$!
	within 10 http 8087 || { row byhand "no (the one by hand did not start)"; return; }
	script S50bgm stop
	if ! untouched "$_h"; then row byhand "no (signalled the one by hand)"
	elif ! within 10 '! alive $_p'; then row byhand "no (the script's runs on)"
	else row byhand yes
	fi
}

# stale, foreign: pidfiles naming an unrelated process (sleep).
step_stale() {
	sleep 1000 &
	_v=$!
	echo "$_v" >"$R/stale.pid"
	chmod 644 "$R/stale.pid"
	ssd -K -q -p "$R/stale.pid"
	_rc=$?
	if untouched "$_v"; then row stale yes; else row stale "no (signalled it, exit $_rc)"; fi
}
step_foreign() {
	_why=
	for _c in "chown nobody":"another user's" "chmod 666":"writable by others"; do
		sleep 1000 &
		_v=$!
		echo "$_v" >"$R/foreign.pid"
		${_c%%:*} "$R/foreign.pid"
		ssd -K -q -p "$R/foreign.pid"
		untouched "$_v" || _why="$_why, ${_c#*:}"
		rm -f "$R/foreign.pid"
	done
	if [ -z "$_why" ]; then row foreign yes; else row foreign "no (signalled it: ${_why#, })"; fi
}

# retry: an httpd that ignores TERM (its shell set it so before exec).
step_retry() {
	printf '#!/bin/sh\ntrap "" TERM\nexec %s httpd -f -h %s -p 127.0.0.1:8088\n' "$BB" "$W" >"$T/stubborn"
	chmod 755 "$T/stubborn"
	DAEMON=$T/stubborn NAME=stubborn PIDFILE=$R/stubborn.pid DAEMON_ARGS='' STOP_EXEC='' RETRY=''
	export DAEMON NAME PIDFILE DAEMON_ARGS STOP_EXEC RETRY
	script S50bgm start
	if ! within 10 http 8088 || ! within 10 names "$PIDFILE" 127.0.0.1:8088; then
		row retry "no (it did not start)"
		return
	fi
	_p=$(cat "$PIDFILE")
	ssd -K -q -p "$PIDFILE" --retry TERM/5/KILL/5
	_rc=$?
	if alive "$_p"; then row retry "no (exit $_rc, still running)"
	elif [ "$_rc" != 0 ]; then row retry "no (it ended, but exit $_rc)"
	else row retry yes
	fi
}

for id in $(echo "$STEPS" | cut -f 1); do
	"step_$id"
	# start, restart and reload are one daemon's life.
	case $id in start | restart) ;; *) sweep ;; esac
done
exit 0

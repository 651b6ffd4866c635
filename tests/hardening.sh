# tests/hardening.sh - helpers of the fault_*.test and attack_*.test scripts,
# sourced after lib.sh.
#
#   SLEEP        a link to sleep(1) under $T: every process a test makes has
#                $T in its command line (starters, keepers, daemons)
#   ours         PIDs of live processes whose command line names $T, but
#                those listed in $KEEP (daemons a test keeps on purpose, and
#                their keepers: a keeper's command line is its start's)
#   keep PID...  set KEEP to these daemons and their keepers
#   settled [S]  bounded wait (default 10 s) until ours is empty
#   kill_ours    SIGKILL them all (the CLEANUP of these tests)
#   one_line F   F holds exactly one line, "godaemon: ..."
#   clean NAME P the pidfile P is gone (status exits 3), no process is left
#   as_user U CMD...  run CMD with real and effective uid and gid U, no groups
#
# Planted pidfiles (attack_*.test), at $P:
#   KINDS        dangling symlink-root symlink-user other-user fifo hardlink directory
#   plant KIND   put that at $P (and its target at $T/target)
#   state        what must not change: $P, its target, their contents and mtimes
#   errno_of KIND / reason_of KIND   the library's errno, the status reason

SLEEP=$T/gdsleep
KEEP=
ln -s "$(command -v sleep)" "$SLEEP"

ours() {
	for _d in /proc/[0-9]*; do
		case $(tr '\0' ' ' 2>/dev/null <"$_d/cmdline") in
		*"$T/"*)
			case " $KEEP " in *" ${_d#/proc/} "*) continue ;; esac
			alive "${_d#/proc/}" && echo "${_d#/proc/}" ;;
		esac
	done
	return 0
}

keep() {
	KEEP=
	for _p in "$@"; do
		KEEP="$KEEP $_p $(ppid "$_p")"
	done
}

settled() {
	_n=$(( ${1:-10} * 20 ))
	while [ -n "$(ours)" ] && [ $_n -gt 0 ]; do
		sleep 0.05
		_n=$((_n - 1))
	done
	[ -z "$(ours)" ]
}

kill_ours() {
	KEEP=
	for _p in $(ours); do
		kill -9 "$_p" 2>/dev/null
	done
	return 0
}
CLEANUP=kill_ours

one_line() {
	[ "$(wc -l <"$1")" -eq 1 ] && grep -q '^godaemon: ' "$1"
}

# What ours look like, for a failure message.
show_ours() {
	for _p in $(ours); do
		printf '%s: %s; ' "$_p" "$(tr '\0' ' ' 2>/dev/null <"/proc/$_p/cmdline")"
	done
}

clean() {
	if ! settled 10; then
		fail "$1: nothing left" "processes: $(show_ours)"
		kill_ours
	elif [ -e "$2" ] || [ -L "$2" ]; then
		fail "$1: nothing left" "pidfile left: $(ls -l "$2"; cat "$2" 2>/dev/null)"
	else
		pass "$1: nothing left"
	fi
	rm -f "$2"
}

as_user() {
	_u=$1
	shift
	setpriv --reuid "$_u" --regid "$_u" --clear-groups "$@"
}

KINDS="dangling symlink-root symlink-user other-user fifo hardlink directory"

# A target that must never change: old mtime, so any write would show.
make_target() {
	printf 'precious\n' >"$1"
	touch -d @1000000000 "$1"
}
# inode, size, links, owner, mtime, content of FILE
fingerprint() {
	stat -c '%i %s %h %U %.9Y %F' "$1" 2>&1
	# Never read a FIFO: that would block here.
	[ -f "$1" ] && od -c "$1" | head -5
	return 0
}

plant() {
	rm -rf "$P" "$T/target" "$T/nowhere"
	case $1 in
	dangling)
		ln -s "$T/nowhere" "$P" ;;
	symlink-root)
		make_target "$T/target"
		ln -s "$T/target" "$P" ;;
	symlink-user)
		make_target "$T/target"
		chown nobody "$T/target"
		ln -s "$T/target" "$P" ;;
	other-user)
		printf '4242\n' >"$P"
		touch -d @1000000000 "$P"
		chown nobody "$P" ;;
	fifo)
		mkfifo "$P" ;;
	hardlink)
		make_target "$T/target"
		ln "$T/target" "$P" ;;
	directory)
		mkdir "$P"
		make_target "$P/inside" ;;
	esac
}

# What a call answers for each plant, and gd_status_pid's reason.
errno_of() {
	case $1 in
	dangling|symlink-*) echo ELOOP ;;
	other-user) echo EPERM ;;
	fifo) echo EINVAL ;;
	hardlink) echo EMLINK ;;
	directory) echo EISDIR ;;
	esac
}
reason_of() {
	case $1 in
	dangling|symlink-*) echo "is a symlink" ;;
	other-user) echo "owned by another user" ;;
	fifo) echo "not a regular file" ;;
	hardlink) echo "has other hard links" ;;
	directory) echo "is a directory" ;;
	esac
}
# The planted object and what it points to, as they must stay.
state() {
	fingerprint "$P"
	readlink "$P"
	[ -e "$T/target" ] && fingerprint "$T/target"
	[ -d "$P" ] && fingerprint "$P/inside"
	[ -e "$T/nowhere" ] && echo "nowhere created"
	return 0
}


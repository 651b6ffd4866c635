#!/bin/sh
# tests/busybox.sh BUILD [test|sizes] - drop godaemon into a BusyBox source tree,
# build a minimal static BusyBox with it, and with "test" run the whole test
# suite against `busybox godaemon` (test programs from BUILD).
#
#   BUSYBOX_SRC=DIR   a BusyBox tree to use (copied, never modified); by
#                     default Debian's source of busybox, fetched with
#                     apt-get source through a private apt directory
#   CONFIG=FILE       the godaemon options to enable (config/defconfig)
#   BB_CC=CC          BusyBox's compiler (musl-gcc)
#   BB_BASE=TARGET    BusyBox's configuration under the applet: allnoconfig
#                     (the default), or defconfig, a realistic BusyBox, with
#                     its own start-stop-daemon off
#
# The drop-in is BusyBox's own mechanism: the sources go into miscutils/,
# whose Config.in and Kbuild BusyBox generates from the //config: and
# //kbuild: lines of its .c files, and include/applets.h and usage.h from
# //applet: and //usage:. No BusyBox file is edited.
set -eu

BUILD=${1:?usage: tests/busybox.sh BUILD [test]}
ACTION=${2:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case $BUILD in /*) ;; *) BUILD=$TOP/$BUILD ;; esac
CONFIG=${CONFIG:-config/defconfig}
case $CONFIG in /*) ;; *) CONFIG=$TOP/$CONFIG ;; esac
BB_CC=${BB_CC:-musl-gcc}
BB_BASE=${BB_BASE:-allnoconfig}
W=$BUILD/busybox
JOBS=$(nproc 2>/dev/null || echo 2)

# Our make's variables (ARCH, BUILD, CC...) must not leak into BusyBox's.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES ARCH CROSS_COMPILE CC CFLAGS LDFLAGS || true

say() { echo "busybox: $*"; }
die() { echo "busybox: $*" >&2; exit 1; }
case $BB_BASE in allnoconfig | defconfig) ;; *) die "BB_BASE is allnoconfig or defconfig" ;; esac

mkdir -p "$W"

# Debian's busybox source, with apt-get source and a deb-src list derived
# from the system's own at run time; every apt state file lives under $W/apt,
# so the system's apt configuration and lists are left as they are.
fetch_source() {
	dl=$W/dl
	for d in "$dl"/busybox-*/; do
		[ -f "$d/Makefile" ] && { echo "${d%/}"; return; }
	done
	apt=$W/apt
	rm -rf "$apt" "$dl"
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/parts" "$dl"
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources \
			>"$apt/src.sources"
		list=$apt/src.sources
	elif [ -f /etc/apt/sources.list ]; then
		sed -n 's/^deb[[:space:]]/deb-src /p' /etc/apt/sources.list >"$apt/src.list"
		list=$apt/src.list
	else
		die "no /etc/apt/sources.list.d/debian.sources nor /etc/apt/sources.list; give BUSYBOX_SRC=DIR"
	fi
	command -v dpkg-source >/dev/null || die "dpkg-source missing (apt-get install dpkg-dev)"
	set -- -q -o Dir::Etc::sourcelist="$list" -o Dir::Etc::sourceparts="$apt/parts" \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" \
		-o APT::Sandbox::User=root
	# A mirror caught mid-sync fails an index now and then: retry, then go
	# on with what came (apt-get source says so if busybox is not in it).
	i=0
	until apt-get "$@" update >"$apt/update.log" 2>&1; do
		i=$((i + 1))
		[ $i -lt 3 ] || { grep '^[EW]:' "$apt/update.log" >&2; break; }
		sleep 5
	done
	(cd "$dl" && apt-get "$@" source busybox) >"$apt/source.log" 2>&1 ||
		{ cat "$apt/source.log" >&2; die "apt-get source busybox failed"; }
	for d in "$dl"/busybox-*/; do
		[ -f "$d/Makefile" ] && { echo "${d%/}"; return; }
	done
	die "apt-get source busybox left no tree in $dl"
}

if [ -n "${BUSYBOX_SRC:-}" ]; then
	SRC=$(cd "$BUSYBOX_SRC" && pwd)
	{ [ -f "$SRC/Makefile" ] && [ -d "$SRC/miscutils" ]; } || die "$SRC is not a BusyBox tree"
else
	SRC=$(fetch_source)
fi
say "source $SRC"

# A fresh copy each time, so a stale applet or config never survives.
TREE=$W/tree
rm -rf "$TREE"
cp -a "$SRC" "$TREE"
# applet/standalone/ (main(), start-up, system calls) stays out: BusyBox has its own.
for f in "$TOP"/applet/*.c "$TOP"/applet/*.h; do
	[ ! -e "$TREE/miscutils/${f##*/}" ] || die "miscutils/${f##*/} exists in BusyBox"
	cp "$f" "$TREE/miscutils/"
done

# linux/, asm/, mtd/... of the system's headers in a directory of their own.
kernel_headers() {
	k=$W/kernel-headers
	rm -rf "$k"
	mkdir -p "$k"
	for d in linux asm-generic mtd sound rdma video; do
		[ ! -d "/usr/include/$d" ] || ln -s "/usr/include/$d" "$k/$d"
	done
	ln -s "/usr/include/$(gcc -dumpmachine)/asm" "$k/asm"
	echo "$k"
}

cd "$TREE"
make -s "$BB_BASE" >"$W/config.log" 2>&1 || { cat "$W/config.log" >&2; die "make $BB_BASE failed"; }
grep -Eq '^(# )?CONFIG_GODAEMON[= ]' .config ||
	die "CONFIG_GODAEMON not in BusyBox's config: no //config: block in applet/godaemon.c?"

# CONFIG_STATIC, usage texts and every godaemon symbol of $CONFIG (its features included),
# then oldconfig resolves the rest to their defaults.
{
	grep -E '^(# )?CONFIG_' "$CONFIG"
	echo CONFIG_STATIC=y
	echo CONFIG_BUSYBOX=y
	# --help prints the //usage: text, which the tests check.
	echo CONFIG_SHOW_USAGE=y
	echo CONFIG_FEATURE_VERBOSE_USAGE=y
	# godaemon stands in for it (and the sizes compare the two).
	echo '# CONFIG_START_STOP_DAEMON is not set'
	# defconfig's applets include the kernel's headers, which a musl
	# compiler does not search: only those, from the system's.
	[ "$BB_BASE" = allnoconfig ] || echo "CONFIG_EXTRA_CFLAGS=\"-idirafter $(kernel_headers)\""
} >"$W/fragment"
syms=$(sed -n 's/^\(# \)\{0,1\}\(CONFIG_[A-Z0-9_]*\).*/\2/p' "$W/fragment")
for s in $syms; do
	sed -i -e "/^$s=/d" -e "/^# $s is not set/d" .config
done
cat "$W/fragment" >>.config
yes '' | make -s oldconfig >>"$W/config.log" 2>&1 || { cat "$W/config.log" >&2; die "make oldconfig failed"; }
while IFS= read -r line; do
	case $line in
	CONFIG_*=*) grep -qxF -- "$line" .config || die "BusyBox's config lost '$line' (missing from the //config: block?)" ;;
	esac
done <"$W/fragment"

say "building with $BB_CC ($JOBS jobs)"
start=$(date +%s)
make -j"$JOBS" CC="$BB_CC" busybox >"$W/build.log" 2>&1 ||
	{ tail -n 40 "$W/build.log" >&2; die "BusyBox build failed (log: $W/build.log)"; }
end=$(date +%s)
cp busybox "$W/busybox"
say "built $W/busybox in $((end - start)) s, $(wc -c <"$W/busybox") bytes"
# BusyBox's warning flags are not ours (-funsigned-char, -Wmissing-prototypes...):
# show what they find in our files.
if grep -q '^miscutils/g[d_a-z]*\.[ch]:.*warning:' "$W/build.log"; then
	say "warnings in godaemon's files under BusyBox's flags:"
	grep '^miscutils/g[d_a-z]*\.[ch]:.*warning:' "$W/build.log" | sort -u
fi
"$W/busybox" --list | grep -qx godaemon || die "busybox --list has no godaemon"

# What the applet costs in BusyBox: the same tree rebuilt without it (only
# what depends on the changed symbols is recompiled), and with the peer
# start-stop-daemon instead.
bb_size() {
	# Its features too, which oldconfig then sets to their defaults.
	sed -i -e "/^# CONFIG_$1 is not set/d" -e "/^CONFIG_$1=/d" -e "/^# CONFIG_FEATURE_$1_[A-Z0-9_]* is not set/d" .config
	echo "CONFIG_$1=$2" | sed 's/^\(CONFIG_[A-Z_]*\)=n$/# \1 is not set/' >>.config
}
bb_rebuild() {
	yes '' | make -s oldconfig >>"$W/config.log" 2>&1 &&
	make -j"$JOBS" CC="$BB_CC" busybox >>"$W/build.log" 2>&1 && bb_bytes
}
# File bytes are page-rounded in BusyBox's link: the cost is text+data+bss.
bb_bytes() {
	echo "$(wc -c <busybox) $(size busybox | awk 'NR == 2 { print $4 }')"
}
if [ "$ACTION" = sizes ]; then
	with=$(bb_bytes)
	bb_size GODAEMON n
	without=$(bb_rebuild) || die "rebuild without godaemon failed"
	bb_size START_STOP_DAEMON y
	ssd=$(bb_rebuild) || die "rebuild with start-stop-daemon failed"
	# shellcheck disable=SC2086
	set -- $with $without $ssd
	echo "BusyBox $(basename "$SRC"), static $BB_CC, $BB_BASE + the busybox applet:"
	printf '  %-36s %8s %8s %8s\n' "" "file" "size" "cost"
	printf '  %-36s %8d %8d %+8d\n' "godaemon ($(basename "$CONFIG"))" "$1" "$2" $(($2 - $4)) \
		"start-stop-daemon (its defaults)" "$5" "$6" $(($6 - $4)) \
		"neither" "$3" "$4" 0
	echo "  (size = text+data+bss; cost = size minus that of neither)"
	exit 0
fi

[ "$ACTION" = test ] || exit 0
say "test suite against '$W/busybox godaemon'"
# The front end's tests (ssd.test) as BusyBox's applet of that name.
if "$W/busybox" --list | grep -qx start-stop-daemon; then
	say "and ssd.test against '$W/busybox start-stop-daemon'"
	SSD_CMD="$W/busybox start-stop-daemon"
	export SSD_CMD
fi
GD_CMD="$W/busybox godaemon" exec "$TOP/tests/run.sh" "$BUILD"

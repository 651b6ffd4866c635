#!/bin/sh
# tests/size.sh BUILD - what godaemon weighs: the static stripped applet for
# config/defconfig and for the smallest config (every FEATURE_ off), what
# each feature costs, and libgodaemon.a; the prompts for Config.in in
# BusyBox's style. Run by `make size`, which passes ARCH/CROSS_COMPILE on to
# the builds here. SIZE_STRICT=1 fails when an x86_64 build is over the
# limits of the issues (20 KiB defconfig with every feature, 10.5 KiB smallest).
# Word splitting of $features and of measure's output is meant.
# shellcheck disable=SC2046,SC2086
set -eu

BUILD=${1:-build}
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
OUT=$BUILD/size
SIZE=${GD_SIZE:-size}
DEFCONFIG=config/defconfig
LIMIT_DEF=20480
LIMIT_MIN=10752

mkdir -p "$OUT"
features=$(sed -n 's/^config \(FEATURE_[A-Z0-9_]*\)$/\1/p' config/Config.in)

# A config: defconfig with the given symbols turned off.
config_without() {
	cfg=$OUT/$1.config
	shift
	cp "$DEFCONFIG" "$cfg"
	for sym in "$@"; do
		sed -i "s/^CONFIG_$sym=y$/# CONFIG_$sym is not set/" "$cfg"
	done
	echo "$cfg"
}

# Build config NAME (file $OUT/NAME.config) into $OUT/NAME.
build() {
	make -s --no-print-directory BUILD="$OUT/$1" CONFIG="$OUT/$1.config" \
		"$OUT/$1/godaemon" "$OUT/$1/libgodaemon.a" >"$OUT/$1.log" 2>&1 ||
		{ cat "$OUT/$1.log" >&2; echo "size: build of $1 failed" >&2; exit 1; }
}

# "file text data bss" of a binary; of an archive, its members summed.
measure() {
	"$SIZE" -t "$1" | awk -v f="$(wc -c <"$1")" 'END { print f, $1, $2, $3 }'
}

# BusyBox's prompt style (size_single_applets.sh): kb are 1000 bytes.
kb() {
	n=$1 k=$(($1 / 1000)) d=$(($1 % 1000 / 100))
	if [ "$n" -lt 0 ]; then echo "(none)"
	elif [ $k -ge 10 ] || { [ $k -gt 0 ] && [ $d -eq 0 ]; }; then echo "($k kb)"
	elif [ $k -gt 0 ]; then echo "($k.$d kb)"
	elif [ "$n" -ge 200 ]; then echo "($n bytes)"
	else echo "(tiny)"
	fi
}

config_without defconfig >/dev/null
build defconfig
# shellcheck disable=SC2086
config_without smallest $features >/dev/null
build smallest
for f in $features; do
	config_without "no_$f" "$f" >/dev/null
	build "no_$f"
	# The same feature alone on the smallest config: shared code shows as
	# the difference between the two columns.
	others=$(echo $features | tr ' ' '\n' | grep -vx "$f" | tr '\n' ' ')
	# shellcheck disable=SC2086
	config_without "only_$f" $others >/dev/null
	build "only_$f"
done

set -- $(measure "$OUT/defconfig/godaemon")
def=$1
arch=$(file -b "$OUT/defconfig/godaemon" | cut -d, -f2 | sed 's/^ *//')
echo "godaemon sizes, bytes: static, stripped; $arch; $(date -u +%Y-%m-%d)"
echo "compiler: ${GD_CC:-?}"
printf '%-34s %7s %7s %7s %7s\n' "applet" file text data bss
printf '%-34s %7d %7d %7d %7d\n' "defconfig" "$@"
set -- $(measure "$OUT/smallest/godaemon")
small=$1
printf '%-34s %7d %7d %7d %7d\n' "smallest (every FEATURE_ off)" "$@"
set -- $(measure "$OUT/defconfig/libgodaemon.a")
printf '%-34s %7d %7d %7d %7d\n' "libgodaemon.a (defconfig, members)" "$@"
set -- $(measure "$OUT/smallest/libgodaemon.a")
printf '%-34s %7d %7d %7d %7d\n' "libgodaemon.a (smallest, members)" "$@"
echo
# Costs in text+data: file sizes also carry the alignment of sections.
td() { measure "$1" | awk '{ print $2 + $3 }'; }
app_def=$(td "$OUT/defconfig/godaemon")
app_small=$(td "$OUT/smallest/godaemon")
lib_def=$(td "$OUT/defconfig/libgodaemon.a")
printf '%-34s %10s %10s %10s  %s\n' "feature cost, bytes" "defconfig-" "smallest+" "library" "prompt"
stale=
# The prompt in config/Config.in ends with the cost, as measured here on x86_64.
check_prompt() {
	# The first prompt after "config $1", before the next config: the blocks
	# of several sources follow each other without an empty line between.
	said=$(awk -v c="config $1" '$0 == c { f = 1; next } /^config / { f = 0 }
		f && /^[[:space:]]*bool "/ { print; exit }' config/Config.in |
		sed -n 's/^[[:space:]]*bool ".* \(([^()]*)\)"$/\1/p')
	[ "$said" = "$2" ] || stale="$stale
  $1: Config.in says '${said:-nothing}', measured '$2'"
}
for f in $features; do
	cost=$((app_def - $(td "$OUT/no_$f/godaemon")))
	lib=$((lib_def - $(td "$OUT/no_$f/libgodaemon.a")))
	# A feature of the library alone: its cost there.
	# A library feature (REEXEC) costs the applet nothing, or a few bytes of
	# layout: its prompt gives the library's cost.
	prompt=$(kb $([ "$cost" -ge 64 ] || [ "$lib" -eq 0 ] && echo "$cost" || echo "$lib"))
	printf '%-34s %10d %10d %10d  %s\n' "$f" "$cost" \
		$(($(td "$OUT/only_$f/godaemon") - app_small)) "$lib" "$prompt"
	check_prompt "$f" "$prompt"
done
printf '%-34s %10s %10s %10s  %s\n' "GODAEMON (the applet, defconfig)" "$app_def" "" "" "$(kb "$app_def")"
check_prompt GODAEMON "$(kb "$app_def")"
echo "(text+data bytes. defconfig-: the applet, defconfig minus defconfig without"
echo " the feature; smallest+: the smallest config plus the feature alone, so"
echo " code it shares with another feature counts here only; library: the"
echo " members of libgodaemon.a, defconfig minus without it. File sizes also"
echo " carry the alignment of sections and are not used for costs.)"

case $arch in *x86-64*)
	if [ -n "$stale" ]; then
		echo "Config.in prompts to update:$stale"
	else
		echo "Config.in prompts: as measured"
	fi
	over=
	[ "$def" -le $LIMIT_DEF ] || over="$over defconfig $def > $LIMIT_DEF;"
	[ "$small" -le $LIMIT_MIN ] || over="$over smallest $small > $LIMIT_MIN;"
	if [ -n "$over" ]; then
		echo "OVER THE LIMIT:$over"
		[ "${SIZE_STRICT:-0}" = 0 ] || exit 1
	else
		echo "limits: defconfig <= $LIMIT_DEF, smallest <= $LIMIT_MIN: ok"
	fi
esac

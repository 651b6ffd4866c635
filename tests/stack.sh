#!/bin/sh
# tests/stack.sh BUILD - the most stack each call of libgodaemon.a can use,
# on x86_64 with musl: a static program taking every function of godaemon.h
# is linked with BUILD/libgodaemon.a, and its disassembly read. A function's
# frame is its return address, 8 bytes a push and every "sub $N,%rsp" (an
# upper bound: pops and adds are not subtracted); its stack is its frame
# plus the most stack of what it calls or jumps to, musl's functions
# included. The indirect calls are resolved by hand (INDIRECT); the vDSO's
# clock_gettime() is counted as VDSO bytes. Run by `make stack`;
# exits 1 when a call may use more than LIMIT bytes.
set -eu

BUILD=${1:-build}
LIMIT=${STACK_LIMIT:-24576}
# caller:callee of each indirect call: gd_spawn_with() calls fork_fn, which
# the library passes as fork(); gd_pidfile_get() calls borrow, set only to
# borrow_persisted(); musl's clock_gettime() calls cgt_init() the first
# time, which looks the vDSO up and jumps there (VDSO bytes).
INDIRECT="gd_spawn_with:fork gd_pidfile_get:borrow_persisted __clock_gettime:cgt_init"
VDSO=512
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
OUT=$BUILD/stack
mkdir -p "$OUT"

api=$(sed -n 's/^[a-z].*[ *]\(gd_[a-z_]*\)(.*/\1/p' applet/godaemon.h | sort -u)
{
	echo '#include "godaemon.h"'
	echo 'void *volatile gd_stack_probe[] = {'
	for f in $api; do echo "	(void *)$f,"; done
	echo '};'
	echo 'int main(void) { return gd_stack_probe[0] == 0; }'
} >"$OUT/probe.c"
${GD_CC:-musl-gcc} -std=c99 -Iapplet -static -o "$OUT/probe" "$OUT/probe.c" "$BUILD/libgodaemon.a"
file -b "$OUT/probe" | grep -q x86-64 || { echo "stack: x86_64 only" >&2; exit 2; }
objdump -d --no-show-raw-insn "$OUT/probe" >"$OUT/probe.dis"

awk -v api="$api" -v indirect="$INDIRECT" -v vdso=$VDSO -v limit=$LIMIT '
/^[0-9a-f]+ <[^>]*>:$/ {
	f = substr($2, 2, length($2) - 3); frame[f] = 8; next
}
f == "" { next }
$2 == "push" { frame[f] += 8 }
$2 == "sub" && $3 ~ /^\$0x[0-9a-f]+,%rsp$/ { frame[f] += hex(substr($3, 4, index($3, ",") - 4)) }
($2 == "call" || $2 == "jmp") && $4 ~ /^<[^+>]*>$/ {
	g = substr($4, 2, length($4) - 2)
	if (g != f) callees[f] = callees[f] " " g
}
($2 == "call" || $2 == "jmp") && $3 ~ /^\*/ { indir[f] = 1 }
function hex(s,   v, i) {
	for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
	return v
}
function depth(fn,   n, c, i, d, best, how) {
	if (fn == "vDSO") return 0
	if (fn in memo) return memo[fn]
	if (fn in busy) { cycle = cycle " " fn; return 0 }
	busy[fn] = 1
	best = 0; how = ""
	n = split(callees[fn] " " ((fn in extra) ? extra[fn] : ""), c, " ")
	for (i = 1; i <= n; i++) {
		if (c[i] == "") continue
		d = depth(c[i])
		if (d > best) { best = d; how = c[i] }
	}
	if (indir[fn] && !(fn in extra)) {
		if (fn == "cgt_init") { if (vdso > best) { best = vdso; how = "vDSO" } }
		else unknown = unknown " " fn
	}
	delete busy[fn]
	next_of[fn] = how
	return memo[fn] = frame[fn] + best
}
END {
	n = split(indirect, m, " ")
	for (i = 1; i <= n; i++) { split(m[i], p, ":"); extra[p[1]] = p[2] }
	n = split(api, a, "\n"); worst = 0
	for (i = 1; i <= n; i++) {
		d = depth(a[i]); path = a[i]; g = a[i]
		while (next_of[g] != "") { g = next_of[g]; path = path " > " g }
		printf "%6d  %s\n", d, path
		if (d > worst) worst = d
	}
	if (cycle != "") print "recursion, counted once:" cycle
	if (unknown != "") { print "unresolved indirect calls in:" unknown; exit 1 }
	printf "most: %d bytes (limit %d)\n", worst, limit
	exit worst > limit
}' "$OUT/probe.dis"

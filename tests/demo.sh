#!/bin/sh
# tests/demo.sh BUILD - what `make demo` shows: libgodaemon and the applet at work.
B=${1:-build}
D=$(mktemp -d /tmp/godaemon-demo.XXXXXX)
set -e
say() { printf '\n$ %s\n' "$*"; }
fifo_wait() {	# wait, bounded, until FILE has N lines
	n=200
	while [ "$(wc -l <"$1" 2>/dev/null || echo 0)" -lt "$2" ] && [ $n -gt 0 ]; do
		sleep 0.05; n=$((n-1))
	done
}

echo "== libgodaemon: a C program daemonizing itself (tests/example.c)"
say "$B/example $D/example.log $D/example.pid"
"$B/example" "$D/example.log" "$D/example.pid"
fifo_wait "$D/example.log" 2
say "cat $D/example.pid"; cat "$D/example.pid"
say "cat $D/example.log"; cat "$D/example.log"
say "kill \$(cat $D/example.pid)"
kill "$(cat "$D/example.pid")"
fifo_wait "$D/example.log" 3
tail -n 1 "$D/example.log"

echo
echo "== the applet: a shell script as a daemon"
say "$B/godaemon start -p $D/hello.pid -o $D/hello.log -- sh -c 'echo hello from \$\$; exec sleep 60'"
"$B/godaemon" start -p "$D/hello.pid" -o "$D/hello.log" -- sh -c 'echo hello from $$; exec sleep 60'
echo "exit $?"
say "$B/godaemon status -p $D/hello.pid"
"$B/godaemon" status -p "$D/hello.pid" || true
fifo_wait "$D/hello.log" 1
say "cat $D/hello.log"; cat "$D/hello.log"
say "$B/godaemon start -p $D/hello.pid -- sleep 60   # a second instance"
"$B/godaemon" start -p "$D/hello.pid" -- sleep 60 || echo "exit $?"
say "$B/godaemon stop -p $D/hello.pid"
"$B/godaemon" stop -p "$D/hello.pid"; echo "exit $?"
say "$B/godaemon status -p $D/hello.pid"
"$B/godaemon" status -p "$D/hello.pid" || echo "exit $?"
say "$B/godaemon start -- /no/such/program"
"$B/godaemon" start -- /no/such/program || echo "exit $?"
rm -rf "$D"

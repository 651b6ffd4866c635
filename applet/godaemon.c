/*
 * godaemon - start a program as a daemon, stop it, signal it, tell whether
 * it runs. This file is the entry point: the verbs, their options, the
 * messages and the usage text. Each verb lives in a file of its own:
 *
 *   godaemon_start.c   start: everything that can fail before the fork
 *   godaemon_keeper.c  the resident keeper: PROG's parent, holds the pidfile
 *   godaemon_stop.c    stop, signal and status, through the keeper
 *   godaemon_syslog.c  -l: PROG's output to /dev/log, sent by the keeper
 *   godaemon_user.c    -u: /etc/passwd and /etc/group, read without NSS
 *
 * Compat info: BusyBox start-stop-daemon -S -b -m -p F -x PROG writes the
 * pidfile after the fork and cannot tell a failed exec from a started PROG;
 * its -K signals whatever PID the file names. Here a keeper, PROG's parent,
 * holds the pidfile's lock for PROG's whole life and is the only process
 * that ever signals PROG (as s6-supervise, runit's runsv and procd do).
 */
//config:config GODAEMON
//config:	bool "godaemon (28 kb)"
//config:	default y
//config:	help
//config:	  godaemon start|stop|status: runs any program as a daemon with a
//config:	  pidfile that is locked for the daemon's whole life, reports a
//config:	  program that failed to start, and never signals a reused PID.
//config:	  Also builds libgodaemon, the C API of the Go package godaemon.
//config:
//config:config GODAEMON_PIDDIR
//config:	string "Default pidfile directory"
//config:	default "/tmp"
//config:	depends on GODAEMON
//config:	help
//config:	  Where gd_pid_filename() puts "<program>.pid" when no pidfile is
//config:	  named. /tmp as in the Go package; firmware usually wants /var/run.
//config:
//config:config FEATURE_GODAEMON_LOGFILE
//config:	bool "Append the program's output to a file (-o FILE) (520 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:
//config:config FEATURE_GODAEMON_READY
//config:	bool "Wait for the program to report readiness (-N FD, -T SECS) (664 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:
//config:config FEATURE_GODAEMON_FOREGROUND
//config:	bool "Foreground mode for supervisors (-f) (272 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:
//config:config FEATURE_GODAEMON_BACKGROUND
//config:	bool "Follow a program that backgrounds itself (-B, -W FILE) (824 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  For daemons that fork into the background on their own: the
//config:	  keeper follows the process they leave behind, or the one their
//config:	  own pidfile names.
//config:
//config:config FEATURE_GODAEMON_RESPAWN
//config:	bool "Restart the program when it fails (-r, -R N) (704 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  The keeper starts a program that failed again, after a delay
//config:	  that doubles from 1 s to 60 s, and gives up after N failures in
//config:	  a row (default 5).
//config:
//config:config FEATURE_GODAEMON_ERROR_TEXTS
//config:	bool "Say why a call failed in words, not as 'error 2' (816 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  Messages quote musl's text for an error: "No such file or
//config:	  directory" rather than "error 2". The pidfile's own reasons
//config:	  ("not a PID", "owned by another user") are always words.
//config:
//config:config FEATURE_GODAEMON_REEXEC
//config:	bool "Library: re-exec staging, as the Go package does (GD_REEXEC) (2.7 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  gd_make_daemon() with GD_REEXEC re-executes the program at each
//config:	  stage, which is safe in programs that already run threads. The
//config:	  applet does not use it: the size is that of libgodaemon.a.


//applet:IF_GODAEMON(APPLET(godaemon, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_GODAEMON) += godaemon.o godaemon_start.o godaemon_keeper.o godaemon_stop.o

//usage:#define godaemon_trivial_usage
//usage:       "start [OPTIONS] [--] PROG [ARG]...\n"
//usage:       "   or: godaemon stop [-s SIG] [-t SECS] -p PIDFILE\n"
//usage:       "   or: godaemon signal [-s SIG] -p PIDFILE\n"
//usage:       "   or: godaemon status -p PIDFILE"
//usage:#define godaemon_full_usage "\n\n"
//usage:       "Start PROG as a daemon, stop it, signal it, or tell whether it runs\n"
//usage:     "\nstart: PROG is looked up in PATH"
//usage:     "\n	-p FILE	Pidfile: a keeper, PROG's parent, holds it"
//usage:     "\n	-n NAME	PROG's argv[0]"
//usage:     "\n	-d DIR	Working directory (default /)"
//usage:     "\n	-m MASK	Umask (default 022)"
//usage:     "\n	-k FD	Keep FD open in PROG (repeatable)"
//usage:	IF_FEATURE_GODAEMON_USER(
//usage:     "\n	-u USER[:GROUP] Run as USER"
//usage:	)
//usage:	IF_FEATURE_GODAEMON_LOGFILE(
//usage:     "\n	-o FILE	Append PROG's stdout and stderr to FILE"
//usage:	)
//usage:	IF_FEATURE_GODAEMON_SYSLOG(
//usage:     "\n	-l	Log stdout (info) and stderr (err) to syslog"
//usage:	)
//usage:	IF_FEATURE_GODAEMON_READY(
//usage:     "\n	-N FD	Return once PROG writes a newline to FD"
//usage:     "\n	-T SECS	..or stop it after SECS (default 60)"
//usage:	)
//usage:	IF_FEATURE_GODAEMON_BACKGROUND(
//usage:     "\n	-B	PROG backgrounds itself: follow what it leaves"
//usage:     "\n	-W FILE	..the process PROG's own pidfile names"
//usage:	)
//usage:	IF_FEATURE_GODAEMON_RESPAWN(
//usage:     "\n	-r	Restart PROG when it fails (1 s, doubling to 60 s)"
//usage:     "\n	-R N	..give up after N failures in a row (default 5, 0 never)"
//usage:	)
//usage:	IF_FEATURE_GODAEMON_ATTRS(
//usage:     "\n	-C CAPS	Keep capabilities (net_raw,...)"
//usage:     "\n	-P N	Nice level"
//usage:     "\n	-L R=N	Limit nofile,core,... (N[:HARD]|unlimited)"
//usage:     "\n	-e V=X	Set V for PROG"
//usage:	)
//usage:	IF_FEATURE_GODAEMON_FOREGROUND(
//usage:     "\n	-f	Stay in the foreground, for supervisors"
//usage:	)
//usage:     "\nstop: signal PROG, wait until it and all it left are gone"
//usage:     "\n	-s SIG	Signal (default TERM)"
//usage:     "\n	-t SECS	Then SIGKILL after SECS (default 10)"
//usage:     "\nsignal: send PROG SIG (default HUP), e.g. to reload"
//usage:     "\nstatus: print PROG's state, exit 0 running, 1 dead,"
//usage:     "\n	3 stopped, 4 unknown"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>
#include "godaemon_applet.h"

/* The letter of each OPTBIT_. */
static const char opt_letters[] ALIGN1 = "pstkdmnouNTWRCPLelfBr";

/* The start-stop-daemon front end (godaemon_ssd.c) makes every exit code dpkg's. */
int (*gd_exit_hook)(int code);
const char *msg_tag;	/* in .bss: an initialised pointer would cost a .data section */

void gd_exit(int code)
{
	exit(gd_exit_hook ? gd_exit_hook(code) : code);
}

/*
 * --help: exit 0; a bad call: exit 2. libbb's usage inside BusyBox (its
 * compressed text, on stderr), so the text is in the binary once.
 */
static void __attribute__((noreturn)) show_usage(int help)
{
	int code = help ? EXIT_OK : EXIT_USAGE;

	xfunc_error_retval = (uint8_t)(gd_exit_hook ? gd_exit_hook(code) : code);
	bb_show_usage();
}

static void GD_NO_FP_ARGS say(const char *fmt, va_list ap)
{
	gd_vsay(2, msg_tag ? msg_tag : "godaemon: ", fmt, ap, "\n");
}

void GD_NO_FP_ARGS msg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
}

void GD_NO_FP_ARGS die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(fmt, ap);
	va_end(ap);
	if (code == EXIT_USAGE)
		show_usage(0);	/* a usage error: the synopsis follows */
	gd_exit(code);
}

unsigned long opt_num(const struct opts *o, int bit, unsigned base, unsigned long max,
		      unsigned long dflt)
{
	char opt[3] = { '-', opt_letters[bit], 0 };
	unsigned long v = dflt;

	if (o->arg[bit] && gd_parse_ulong(o->arg[bit], base, max, &v) < 0)
		bad_usage("bad %s '%s'", opt, o->arg[bit]);
	return v;
}

char *find_byte(const char *s, int c, size_t n)
{
	for (; n; s++, n--)
		if (*s == c)
			return (char *)s;
	return NULL;
}

/* -k FD, repeatable: a descriptor above 2. */
static void add_keep(struct opts *o, const char *val)
{
	unsigned long fd;

	if (gd_parse_ulong(val, 10, INT_MAX, &fd) < 0 || fd < 3)
		bad_usage("-k needs a descriptor above 2, not %s", val);
	if (o->nkeep == KEEP_MAX)
		bad_usage("too many -k");
	o->keep[o->nkeep++] = (int)fd;
}

/*
 * BusyBox-style options up to the first non-option: -abc, -pFILE, -p FILE,
 * "--" ends them. Options after PROG are PROG's.
 */
int parse_opts(char **argv, unsigned allowed, struct opts *o)
{
	int i;

	for (i = 1; argv[i] && argv[i][0] == '-' && argv[i][1]; i++) {
		char *a = argv[i] + 1;

		if (*a == '-') {
			if (!a[1])
				return i + 1;
			if (gd_streq(a, "-help"))
				show_usage(1);
			bad_usage("unknown option -%s", a);	/* the message of -x, a being argv[i] + 1 */
		}
		for (; *a; a++) {
			char opt[2] = { *a, 0 };
			/* A letter not in opt_letters gets a bit no option has. */
			unsigned bit = 1U << (gd_find_char(opt_letters, *a) - opt_letters) & allowed;
			char *val;

			if (!bit)
				bad_usage("unknown option -%s", opt);
			o->opt |= bit;
			if (!(bit & OPTS_WITH_ARG))
				continue;
			val = a[1] ? a + 1 : argv[++i];
			if (!val)
				bad_usage("missing argument of -%s", opt);
			if (bit == OPT_KEEP) {
				add_keep(o, val);
			} else if (bit & OPTS_ATTRS) {
				const char *why = attrs_option(o->attrs, *a, val);
				if (why)
					bad_usage("bad -%s '%s'%s", opt, val, why);
			} else {
				o->arg[__builtin_ctz(bit)] = val;
			}
			break;
		}
	}
	return i;
}

/* BusyBox defines it; the standalone build has its own. */
#ifndef UNUSED_PARAM
# define UNUSED_PARAM __attribute__((unused))
#endif
int godaemon_main(int argc, char **argv);
int godaemon_main(int argc UNUSED_PARAM, char **argv)
{
	const char *cmd = argv[0] ? argv[1] : NULL;	/* execve() may give no argv[0] */
	int fd;

	/*
	 * A caller may have closed stdin, stdout or stderr: /dev/null goes
	 * there first, so that no file of ours takes those numbers (the
	 * pidfile as 1 would get the daemon's /dev/null, a message as 2 would
	 * land in it). Without /dev/null (a chroot, an early initramfs) "/"
	 * holds the number. Not libbb's bb_sanitize_stdio(): out of
	 * descriptors (all three open), it dies where this goes on.
	 */
	do {
		fd = gd_open("/dev/null", O_RDWR, 0);
		if (fd < 0)
			fd = gd_open("/", O_RDONLY, 0);
	} while (fd >= 0 && fd <= 2);
	if (fd > 2)
		close(fd);
	if (!cmd)
		show_usage(0);
	argv++;
	if (gd_streq(cmd, "start"))
		return start_main(argv);
	if (gd_streq(cmd, "stop"))
		return stop_main(argv);
	if (gd_streq(cmd, "signal"))
		return signal_main(argv);
	if (gd_streq(cmd, "status"))
		return status_main(argv);
	if (gd_streq(cmd, "--help"))
		show_usage(1);
	bad_usage("unknown command %s", cmd);
}

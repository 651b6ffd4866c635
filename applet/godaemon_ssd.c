/*
 * start-stop-daemon - the init scripts' front end of godaemon.
 *
 * Options of BusyBox 1.35 and dpkg, short and long, dpkg's exit codes. What
 * a keeper can do goes to godaemon's verbs, called in this process:
 *   -S -b -m -p F        start -p F PROG        (F names PROG; the keeper holds it)
 *   -S -b -p F           start -p F.keeper PROG (PROG writes F itself)
 *   -S -p F              start -p F.keeper -W F PROG  (PROG backgrounds itself
 *                        and writes F; the keeper follows the PID F names)
 *   -S (no -p)           start -B PROG, or with -b: start PROG
 *   -K, -T               stop/signal/status through the keeper that holds F
 *                        or F.keeper
 * F.keeper is the companion: the keeper's own pidfile beside PROG's, which
 * godaemon never rewrites. A daemon no keeper holds (started by hand, by
 * another tool) is matched as dpkg does: the PID in -p, or every process,
 * must match each -x (device and inode of /proc/PID/exe), -n (comm, or
 * its first 15 characters for longer names) and -u (real uid). A pidfile
 * that no keeper holds is trusted alone only as dpkg trusts it: owned by
 * root or the caller and writable by nobody else; otherwise -K without -x,
 * -n or -u signals nothing there (exit 3). A keeper's file that its keeper
 * marked as it left (its daemon died: pidfile_mark()) names a dead PID,
 * whoever took it since: nothing runs there. Each process
 * is signalled through a pidfd opened before it was matched, so a PID
 * reused meanwhile is never hit; --retry waits on them.
 *
 * Compat info: --startas is the program run and --exec what is matched, as
 * in dpkg (BusyBox runs -x with -a as its argv[0]). -S without -b fails when
 * PROG's foreground process fails (both others return 0). -K of a keeper's
 * daemon waits until it is gone (godaemon stop: SIGKILL after 10 s or after
 * the first timeout of --retry); a -s signal other than TERM, INT, QUIT or
 * KILL is forwarded and the daemon keeps running (a reload). Trouble is
 * exit 3 (dpkg's fatal errors give 2, which is also its --retry failure).
 */
//config:config FEATURE_GODAEMON_SSD
//config:	bool "start-stop-daemon front end (5.5 kb)"
//config:	default y
//config:	depends on GODAEMON && !START_STOP_DAEMON
//config:	help
//config:	  The same binary answers to the name start-stop-daemon, with the
//config:	  options of BusyBox's and dpkg's, so that init scripts run
//config:	  unchanged: the daemons they start are held by a keeper, and
//config:	  stop never signals a process that only reused a PID.

//applet:IF_FEATURE_GODAEMON_SSD(APPLET_ODDNAME(start-stop-daemon, start_stop_daemon, BB_DIR_SBIN, BB_SUID_DROP, start_stop_daemon))

//kbuild:lib-$(CONFIG_FEATURE_GODAEMON_SSD) += godaemon_ssd.o

//usage:#define start_stop_daemon_trivial_usage
//usage:       "-S|-K|-T [-p FILE] [-x EXE] [-n NAME] [-u USER] [OPTIONS] [-- ARGS]"
//usage:#define start_stop_daemon_full_usage "\n\n"
//usage:       "Start a daemon unless it runs, stop it, or give its LSB status\n"
//usage:     "\n	-S: [-a PROG] [-b [-m]] [-c USER[:GROUP]] [-d DIR] [-N NICE] [-k MASK] [-O FILE]"
//usage:     "\n	-K: [-s SIG] [-R SECS|SIG/SECS/...] [--remove-pidfile]"
//usage:     "\n	-t test, -o exit 0 if nothing done, -q quiet, -v verbose"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "godaemon_applet.h"
#include "usage.h"
#ifndef ENABLE_FEATURE_VERBOSE_USAGE
# define ENABLE_FEATURE_VERBOSE_USAGE 1
#endif

#define COMPANION	".keeper"	/* the keeper's pidfile beside PROG's own */
#define PIDS_MAX	64	/* processes one -K may match */
#define SCHED_MAX	16	/* items of --retry */
#define SLICE_MS	100	/* waiting without a pidfd (Linux < 5.3) */

/* dpkg's exit codes. */
enum { SSD_OK, SSD_NOTHING, SSD_STUCK, SSD_TROUBLE };

/* Options with an argument first: their bit is their index in arg[]. */
enum {
	B_PIDFILE, B_EXEC, B_NAME, B_USER, B_STARTAS, B_SIGNAL, B_RETRY,
	B_CHUID, B_CHDIR, B_NICE, B_UMASK, B_OUTPUT, NARGS,
	B_START = NARGS, B_STOP, B_STATUS, B_BACKGROUND, B_MAKEPID, B_QUIET,
	B_TEST, B_OKNODO, B_VERBOSE,
	B_REMOVE, B_HELP	/* no short option */
};
#define OPT(b) (1U << (b))
static const char letters[] ALIGN1 = "pxnuasRcdNkOSKTbmqtovr";
/* The long names, in the order of letters[]: an option's bit is its index. */
static const char long_opts[] ALIGN1 =
	"pidfile\0exec\0name\0user\0startas\0signal\0retry\0chuid\0chdir\0nicelevel\0umask\0"
	"output\0start\0stop\0status\0background\0make-pidfile\0quiet\0test\0oknodo\0verbose\0"
	"remove-pidfile\0help\0";

static struct {
	unsigned opt;
	char *arg[NARGS];
	char **args;		/* PROG's arguments */
	int nargs;
	int sig;
	int nothing, stuck;	/* godaemon's codes for "nothing done", "would not die" */
	int nsched, repeat;
	int sched[SCHED_MAX];	/* a timeout in s, or -signal */
	struct stat exe;	/* of -x */
	uid_t uid;		/* of -u */
	pid_t dead;		/* the PID a keeper saw die (pidfile_mark()), or 0 */
	int npids;
	pid_t pid[PIDS_MAX];
	int pidfd[PIDS_MAX];	/* or -1: no pidfd in this kernel */
	char comp[PATH_MAX];	/* F.keeper */
	char *av[80];		/* godaemon start's argv */
} d;

#define STOPPING (GD_SIGBIT(SIGTERM) | GD_SIGBIT(SIGINT) | GD_SIGBIT(SIGQUIT) | GD_SIGBIT(SIGKILL))
#define has(b) (d.opt & OPT(b))
#define MATCHERS (OPT(B_EXEC) | OPT(B_NAME) | OPT(B_USER))

/* A line on stdout, unless -q (as dpkg). Errors: die() and msg() of godaemon.c. */
static void GD_NO_FP_ARGS __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	if (has(B_QUIET))
		return;
	va_start(ap, fmt);
	gd_vsay(1, "", fmt, ap, "\n");
	va_end(ap);
}

static int nothing_done(void)
{
	return has(B_OKNODO) ? SSD_OK : SSD_NOTHING;
}

/* godaemon's exit codes as dpkg's; also for godaemon's own exits (gd_exit_hook). */
static int ssd_code(int code)
{
	if (!code)
		return SSD_OK;
	if (code == d.nothing)
		return nothing_done();
	return code == d.stuck ? SSD_STUCK : SSD_TROUBLE;
}

/* A decimal number up to max, or -1. */
static int num(const char *s, unsigned long max)
{
	unsigned long n;

	return gd_parse_ulong(s, 10, max, &n) < 0 ? -1 : (int)n;
}

/* --retry: TIMEOUT (that is SIG/TIMEOUT/KILL/TIMEOUT), or [-]SIG/SECS/.../forever/... */
static void parse_retry(char *s)
{
	int n = 0, v;

	d.repeat = -1;
	for (;;) {
		char *e = gd_find_char(s, '/'), c = *e;

		*e = 0;
		if (n == SCHED_MAX)
			goto bad;
		if (gd_streq(s, "forever")) {
			if (d.repeat >= 0)
				goto bad;
			d.repeat = n;
		} else if (*s >= '0' && *s <= '9') {
			if ((v = num(s, INT_MAX / 1000)) < 0)
				goto bad;
			d.sched[n++] = v;
		} else {
			if (!(v = parse_signal(s + (*s == '-'), 0)))
				goto bad;
			d.sched[n++] = -v;
		}
		if (!c)
			break;
		*e = '/';
		s = e + 1;
	}
	if (n == 1 && d.sched[0] >= 0) {
		d.sched[2] = -SIGKILL;
		d.sched[3] = d.sched[1] = d.sched[0];
		d.sched[0] = -d.sig;
		n = 4;
	}
	d.nsched = n;
	if (d.repeat < n)
		return;
 bad:
	die(SSD_TROUBLE, "bad schedule '%s'", d.arg[B_RETRY]);
}

static void set_opt(int bit, char *val)
{
	d.opt |= OPT(bit);
	if (bit < NARGS) {
		if (!val)
			die(SSD_TROUBLE, "missing argument of -%s", (char[2]){ letters[bit], 0 });
		d.arg[bit] = val;
	}
}

static void __attribute__((noreturn)) show_usage(void)
{
	/* The full usage starts with the synopsis's line end: one write either way. */
	static const char text[] ALIGN1 = "Usage: start-stop-daemon " start_stop_daemon_trivial_usage
		start_stop_daemon_full_usage;
	static const char brief[] ALIGN1 = "Usage: start-stop-daemon " start_stop_daemon_trivial_usage "\n";

	if (ENABLE_FEATURE_VERBOSE_USAGE)
		gd_write_all(1, text, sizeof(text) - 1);
	else
		gd_write_all(1, brief, sizeof(brief) - 1);
	exit(SSD_OK);
}

/*
 * Options anywhere before "--", as getopt_long() permutes them: -abc,
 * -pFILE, -p FILE, --pidfile=FILE, --pidfile FILE. The other words are
 * PROG's arguments, gathered at the front of argv.
 */
static void parse_args(char **argv)
{
	char **out = argv, *a, *v;
	const char *p;
	int i, bit;

	for (i = 1; (a = argv[i]); i++) {
		if (a[0] != '-' || !a[1]) {
			*out++ = a;
			continue;
		}
		if (a[1] == '-') {
			if (!a[2]) {
				while ((a = argv[++i]))
					*out++ = a;
				break;
			}
			for (p = long_opts, bit = 0; *p; p += gd_strlen(p) + 1, bit++) {
				v = (char *)gd_skip(a + 2, p);
				if (v && (!*v || *v == '='))
					break;
			}
			if (!*p)
				goto bad;
			if (*v && bit >= NARGS)
				goto bad;
			if (bit == B_HELP)
				show_usage();
			set_opt(bit, *v ? v + 1 : bit < NARGS ? argv[++i] : NULL);
			continue;
		}
		while (*++a) {
			bit = (int)(gd_find_char(letters, *a) - letters);
			if (bit >= B_REMOVE)
				goto bad;
			if (bit < NARGS) {
				set_opt(bit, a[1] ? a + 1 : argv[++i]);
				break;
			}
			set_opt(bit, NULL);
		}
	}
	*out = NULL;
	d.args = argv;
	d.nargs = (int)(out - argv);
	return;
 bad:
	die(SSD_TROUBLE, "unknown option -%s", argv[i] + 1);
}

/* /proc/PID/what into path, which has room for it. */
static char *proc_path(pid_t pid, const char *what, char *path)
{
	char *p = path + 6;

	gd_strlcpy(path, "/proc/", 7);
	p += gd_utoa((unsigned long)pid, p);
	*p++ = '/';
	gd_strlcpy(p, what, 8);
	return path;
}

/*
 * path into buf, NUL-terminated: its length, or -1 and errno (EINVAL: not a
 * regular file). For the pidfile: never through a symlink, never blocking
 * on a FIFO planted there; the files of /proc pass, being regular files.
 */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	struct stat st;
	ssize_t n = -1;
	int fd = gd_open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);

	if (fd >= 0) {
		if (gd_fstat(fd, &st) == 0 && (errno = EINVAL, S_ISREG(st.st_mode)))
			n = gd_read(fd, buf, size - 1);
		gd_close(fd);
	}
	buf[n > 0 ? n : 0] = 0;
	return n;
}

/*
 * Does pid match every -x, -u and -n? As dpkg: the executable by device and
 * inode, the real uid, the name as the kernel's comm (/proc/PID/comm,
 * Linux 2.6.33), which keeps 15 characters: a longer name matches by those.
 */
static int matches(pid_t pid)
{
	char buf[512], path[32], *p;
	struct stat st;
	ssize_t n;

	if (has(B_EXEC) && (gd_stat(proc_path(pid, "exe", path), &st, 0) < 0
			    || st.st_dev != d.exe.st_dev || st.st_ino != d.exe.st_ino))
		return 0;
	if (has(B_USER)) {
		if (read_file(proc_path(pid, "status", path), buf, sizeof(buf)) < 0)
			return 0;
		for (p = buf; *p && !gd_skip(p, "\nUid:\t"); p++)
			;
		if (!*p)
			return 0;
		p += 6;
		*gd_find_char(p, '\t') = 0;
		if (num(p, INT_MAX) != (int)d.uid)
			return 0;
	}
	if (has(B_NAME)) {
		/* comm and its newline */
		n = read_file(proc_path(pid, "comm", path), buf, sizeof(buf));
		if (n <= 0)
			return 0;
		buf[n - 1] = 0;
		p = (char *)gd_skip(d.arg[B_NAME], buf);
		return p && (!*p || n == 16);
	}
	return 1;
}

/*
 * Add pid when it is alive and matches. Its pidfd is opened first: checked
 * after, a PID that another process took meanwhile cannot be the one
 * signalled. Without pidfds (Linux < 5.3) kill() is all there is.
 */
static void consider(pid_t pid)
{
	int fd;

	if (pid <= 1 || pid == getpid())
		return;
	fd = gd_pidfd_open(pid);
	if (fd < 0 && (errno != ENOSYS || (kill(pid, 0) < 0 && errno == ESRCH)))
		return;
	if (matches(pid)) {
		if (d.npids == PIDS_MAX)
			die(SSD_TROUBLE, "more than 64 processes match");
		d.pid[d.npids] = pid;
		d.pidfd[d.npids++] = fd;
	} else if (fd >= 0) {
		gd_close(fd);
	}
}

/* Every process of /proc, read with getdents64 (no readdir: no heap). */
static void scan_proc(void)
{
	long buf[256];
	char *p = (char *)buf;
	long n, off;
	int fd = gd_open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (fd < 0)
		die(SSD_TROUBLE, "can't open '%s': %m", "/proc");
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		/* struct linux_dirent64: d_reclen at 16, d_name at 19 */
		for (off = 0; off < n; off += *(unsigned short *)(p + off + 16))
			consider(num(p + off + 19, INT_MAX));
	gd_close(fd);
}

/* The PID that -p names: > 1; 0 no such file; -1 unreadable, not a PID (said). */
static pid_t pidfile_pid(void)
{
	const char *path = d.arg[B_PIDFILE];
	char buf[33];
	ssize_t n = read_file(path, buf, sizeof(buf));
	pid_t pid;

	if (n < 0 && errno == ENOENT)
		return 0;
	pid = n < 0 ? -1 : gd_parse_pid(buf, (size_t)n);
	if (pid < 0)
		msg("won't trust pidfile '%s': %s", path, gd_pidfile_reason(errno));
	return pid;
}

/*
 * Whatever -p and -x, -n, -u name, with their pidfds, into d.pid[]. Returns
 * what pidfile_pid() does (1 without -p).
 */
static pid_t collect(void)
{
	pid_t pid = 1;

	if (!has(B_PIDFILE))
		scan_proc();
	else if ((pid = pidfile_pid()) > 0 && pid != d.dead)
		consider(pid);
	return pid;
}

/*
 * The pidfile a keeper holds for -p F: F itself, or F.keeper; its state in
 * *st. A keeper's file left marked (pidfile_mark()) names a PID that died
 * under it: d.dead, which then no -p F names for a signal or a status.
 */
static const char *keeper_file(struct gd_pidstate *st)
{
	const char *path = d.arg[B_PIDFILE];
	struct stat sb;
	int i, fd, r;

	for (i = 0; path && i < 2; i++, path = d.comp) {
		fd = gd_pidfile_open(path, GD_PF_READ);
		if (fd < 0)
			continue;
		r = gd_pidfile_inspect(fd, st);
		if (r == 0 && (st->owner || st->claimed)) {
			gd_close(fd);
			return path;
		}
		if (r == 0 && gd_fstat(fd, &sb) == 0 && (sb.st_mode & S_ISVTX))
			d.dead = st->pid;	/* its keeper saw it die: never signalled */
		gd_close(fd);
	}
	return NULL;
}

static const char *what(void)
{
	const char *w = d.arg[B_EXEC] ? d.arg[B_EXEC] : d.arg[B_NAME];

	return w ? w : "process";
}

static int none_found(void)
{
	say("No %s found running; none killed.", what());
	return nothing_done();
}

int godaemon_main(int argc, char **argv);

/* Run godaemon's verb av[1] here, its exit codes dpkg's. */
static int run(char **av, int nothing, int stuck)
{
	int n = 0;

	while (av[n])
		n++;
	d.nothing = nothing;
	d.stuck = stuck;
	return ssd_code(godaemon_main(n, av));
}

/*
 * -K of a keeper's daemon: the keeper signals it. A stopping signal (TERM,
 * INT, QUIT, KILL, or any with --retry) is godaemon stop, which waits and
 * kills after the schedule's first timeout (10 s without one); another
 * signal is forwarded (a reload).
 */
static int keeper_stop(const char *path, struct gd_pidstate *st)
{
	char sig[GD_ULONG_DIGITS], secs[GD_ULONG_DIGITS];
	char *av[] = { (char *)"godaemon", (char *)"stop", (char *)"-s", sig,
		(char *)"-p", (char *)path, (char *)"-t", secs, NULL };
	int s = d.sig, t = 10, r;

	if (st->pid > 0 && (d.opt & MATCHERS) && !matches(st->pid))
		return none_found();
	if (has(B_TEST)) {
		say("Would stop %s.", what());
		return SSD_OK;
	}
	/* The schedule's first signal and timeout; then the keeper's SIGKILL. */
	if (d.sched[0] < 0)
		s = -d.sched[0];
	if (d.nsched > 1 && d.sched[1] >= 0)
		t = d.sched[1];
	gd_utoa((unsigned long)s, sig);
	gd_utoa((unsigned long)t, secs);
	if (!has(B_RETRY) && !(STOPPING & GD_SIGBIT(s))) {
		av[1] = (char *)"signal";
		av[6] = NULL;
		return run(av, 3, -1);
	}
	r = run(av, -1, 1);
	if (r == SSD_OK && has(B_REMOVE))
		unlink(d.arg[B_PIDFILE]);	/* PROG's own, beside the companion */
	return r;
}

/* Signal every matched process still alive. */
static void send_all(int sig)
{
	int i, fd;

	for (i = 0; i < d.npids; i++) {
		if (!d.pid[i])
			continue;
		fd = d.pidfd[i];
		if (syscall(fd >= 0 ? GD_SYS_PIDFD_SEND_SIGNAL : SYS_kill, fd >= 0 ? fd : d.pid[i],
			    sig, NULL, 0) < 0 && errno != ESRCH)
			msg("can't signal process %d: %m", d.pid[i]);
	}
}

/*
 * Wait up to secs for the matched processes to exit: how many are left.
 * Woken by a pidfd as its process exits (it polls readable); in slices,
 * for the kill(pid, 0) asked without pidfds (Linux < 5.3).
 */
static int wait_all(unsigned secs)
{
	struct pollfd p[PIDS_MAX];
	unsigned long t0 = gd_now_ms(), ms = secs * 1000UL, spent;
	int i, alive;

	for (;;) {
		alive = 0;
		for (i = 0; i < d.npids; i++) {
			p[i].fd = d.pidfd[i];
			p[i].events = POLLIN;
			if (d.pid[i] && (p[i].fd >= 0 ? poll(p + i, 1, 0) < 1
					 : kill(d.pid[i], 0) == 0 || errno != ESRCH)) {
				alive++;
				continue;
			}
			p[i].fd = -1;	/* gone: not polled */
			d.pid[i] = 0;
		}
		spent = gd_now_ms() - t0;
		if (!alive || spent >= ms)
			return alive;
		spent = ms - spent;
		poll(p, (nfds_t)d.npids, spent > SLICE_MS ? SLICE_MS : (int)spent);
	}
}

/* -K of daemons no keeper holds: signal what matched, then the --retry schedule. */
static int stop_matched(void)
{
	int i, pos = 0, v;

	if (!d.npids)
		return none_found();
	if (has(B_TEST)) {
		for (i = 0; i < d.npids; i++)
			say("Would send signal %d to %d.", d.sig, d.pid[i]);
		return SSD_OK;
	}
	if (!has(B_RETRY)) {
		send_all(d.sig);
		return SSD_OK;
	}
	for (;;) {
		if (pos == d.nsched) {
			if (d.repeat < 0)
				break;
			pos = d.repeat;
		}
		v = d.sched[pos++];
		if (v < 0)
			send_all(-v);
		else if (!wait_all((unsigned)v))
			return SSD_OK;
	}
	v = wait_all(0);
	if (!v)
		return SSD_OK;
	say("%d process(es) refused to die.", v);
	return SSD_STUCK;
}

/*
 * dpkg's rule (SPEC.md): a pidfile no keeper holds is trusted alone only
 * when root or the caller owns it and nobody else may write it.
 */
static int pidfile_trusted(void)
{
	struct stat st;

	return gd_stat(d.arg[B_PIDFILE], &st, AT_SYMLINK_NOFOLLOW) == 0
		&& (st.st_uid == 0 || st.st_uid == getuid()) && !(st.st_mode & S_IWOTH);
}

/* -K: k, the keeper's pidfile, with its state st; or what collect() found. */
static int do_stop(const char *k, struct gd_pidstate *st)
{
	int r;

	if (k)
		return keeper_stop(k, st);
	/*
	 * A pidfile no keeper holds is stale: the live PID it names may be a
	 * reused one. Only -x, -n or -u can tell (godaemon stop's rule).
	 */
	if (d.npids && !(d.opt & MATCHERS) && !pidfile_trusted())
		die(SSD_TROUBLE, "won't trust pidfile '%s': %s", d.arg[B_PIDFILE],
		    "others may write it, need -x, -n or -u");
	r = stop_matched();
	if (r == SSD_OK && d.npids && d.arg[B_PIDFILE] && has(B_REMOVE) && !has(B_TEST))
		unlink(d.arg[B_PIDFILE]);
	return r;
}

/*
 * -T, LSB codes (k, st, pid: as for do_stop(), pid what collect() returned).
 * A keeper's daemon runs. Otherwise, as dpkg with -x, -n or -u; a live PID
 * in a pidfile alone is 4 (unknown): it may be a reused one.
 */
static int do_status(const char *k, struct gd_pidstate *st, pid_t pid)
{
	if (k)
		return st->owner > 0 && st->pid > 0 && (!(d.opt & MATCHERS) || matches(st->pid)) ? 0 : 4;
	if (pid < 0)
		return 4;
	if (!pid)
		return 3;
	if (has(B_PIDFILE) && !(d.opt & MATCHERS))
		return d.npids ? 4 : 1;
	return d.npids ? 0 : has(B_PIDFILE) ? 1 : 3;
}

/* -S, unless k (a keeper's pidfile) or d.pid[] says it runs: see the table at the top. */
static int do_start(const char *k)
{
	char *prog = d.arg[B_STARTAS] ? d.arg[B_STARTAS] : d.arg[B_EXEC];
	char **a = d.av;
	int i;

	if (k || d.npids) {
		say("%s already running.", what());
		return nothing_done();
	}
	if (has(B_TEST)) {
		say("Would start %s.", prog);
		return SSD_OK;
	}
	*a++ = (char *)"godaemon";
	*a++ = (char *)"start";
	if (has(B_PIDFILE)) {
		*a++ = (char *)"-p";
		*a++ = has(B_MAKEPID) ? d.arg[B_PIDFILE] : d.comp;
	}
	if (!has(B_BACKGROUND)) {
		if (has(B_MAKEPID)) {
			*a++ = (char *)"-f";
		} else if (has(B_PIDFILE)) {
			*a++ = (char *)"-W";
			*a++ = d.arg[B_PIDFILE];
		} else {
			*a++ = (char *)"-B";
		}
	}
	/* -c, -d, -k, -N, -O as godaemon's -u, -d, -m, -P, -o */
	for (i = B_CHUID; i < NARGS; i++)
		if (d.arg[i]) {
			*a++ = (char *)(&"-u\0-d\0-P\0-m\0-o"[(i - B_CHUID) * 3]);
			*a++ = d.arg[i];
		}
	*a++ = (char *)"--";
	*a++ = prog;
	if (d.nargs > 60)
		die(SSD_TROUBLE, "too many arguments for %s", prog);
	for (i = 0; i <= d.nargs; i++)
		*a++ = d.args[i];
	return run(d.av, 1, -1);
}

/*
 * -u USER: a name or a number, as godaemon start's -u (godaemon_user.c).
 * Built without it, a number only.
 */
static uid_t user_id(char *name)
{
	struct prog p;
	int v;

	if (ENABLE_FEATURE_GODAEMON_USER) {
		resolve_user(&p, name);
		return p.uid;
	}
	v = num(name, INT_MAX);
	if (v < 0)
		die(SSD_TROUBLE, "unknown user '%s'", name);
	return (uid_t)v;
}

/* BusyBox defines it; the standalone build has its own. */
#ifndef UNUSED_PARAM
# define UNUSED_PARAM __attribute__((unused))
#endif
int start_stop_daemon_main(int argc, char **argv);
int start_stop_daemon_main(int argc UNUSED_PARAM, char **argv)
{
	struct gd_pidstate st;
	const char *k;
	char *p;
	unsigned cmd;
	pid_t pid = 0;

	/* godaemon's own exits (die(), the verbs run here): dpkg's codes, 3 for trouble. */
	gd_exit_hook = ssd_code;
	msg_tag = "start-stop-daemon: ";
	parse_args(argv);
	p = d.arg[B_PIDFILE];
	cmd = d.opt & (OPT(B_START) | OPT(B_STOP) | OPT(B_STATUS));
	if (!cmd || (cmd & (cmd - 1)))
		die(SSD_TROUBLE, "need one of -S, -K or -T");
	d.sig = SIGTERM;
	if (has(B_SIGNAL) && !(d.sig = parse_signal(d.arg[B_SIGNAL], 0)))
		die(SSD_TROUBLE, "unknown signal %s", d.arg[B_SIGNAL]);
	if (has(B_RETRY))
		parse_retry(d.arg[B_RETRY]);
	if (has(B_MAKEPID) && !p)
		die(SSD_TROUBLE, "%s needs %s", "-m", "-p");
	if (has(B_REMOVE) && !p)
		die(SSD_TROUBLE, "%s needs %s", "--remove-pidfile", "-p");	/* as dpkg */
	if (p) {
		ssize_t n = gd_strlcpy(d.comp, p, sizeof(d.comp) - sizeof(COMPANION));

		if (n < 0) {
			errno = ENAMETOOLONG;	/* the companion's name */
			die(SSD_TROUBLE, "can't open '%s': %m", p);
		}
		gd_strlcpy(d.comp + n, COMPANION, sizeof(COMPANION));
	}
	if (has(B_EXEC) && gd_stat(d.arg[B_EXEC], &d.exe, 0) < 0)
		die(SSD_TROUBLE, "can't stat '%s': %m", d.arg[B_EXEC]);
	if (has(B_USER))
		d.uid = user_id(d.arg[B_USER]);
	if (cmd == OPT(B_START)) {
		if (!(d.opt & (OPT(B_EXEC) | OPT(B_STARTAS))))
			die(SSD_TROUBLE, "%s needs %s", "-S", "-x or -a");
	} else if (!(d.opt & (MATCHERS | OPT(B_PIDFILE)))) {
		die(SSD_TROUBLE, "need -x, -p, -n or -u");
	}
	/* What runs: the keeper of -p, else (-S: only with -x, -n, -u) what matches. */
	k = keeper_file(&st);
	if (!k && (cmd != OPT(B_START) || (d.opt & MATCHERS)))
		pid = collect();
	if (cmd == OPT(B_START))
		return do_start(k);
	return cmd == OPT(B_STOP) ? do_stop(k, &st) : do_status(k, &st, pid);
}

/*
 * godaemon - start a program as a daemon, stop it, tell whether it runs.
 *
 * start does everything that can fail for a reason the user can fix before
 * it forks (options, PATH lookup, user lookup, opening -o, -d, the pidfile),
 * then lets gd_spawn() make the daemon, which takes the pidfile's owner lock,
 * sets itself up and execs PROG. Failures of the daemon come back through
 * gd_spawn()'s report pipe, so start exits 0 only once PROG runs and exits
 * non-zero with nothing left behind otherwise.
 *
 * Compat info: BusyBox start-stop-daemon -S -b -m -p F -x PROG writes the
 * pidfile after the fork and cannot tell a failed exec from a started PROG;
 * its -K signals whatever PID the file names. Here the pidfile is locked by
 * PROG itself for its whole life, and stop signals only the lock's owner.
 */
//config:config GODAEMON
//config:	bool "godaemon (15 kb)"
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
//config:	bool "Append the program's output to a file (-o FILE) (319 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:
//config:config FEATURE_GODAEMON_SYSLOG
//config:	bool "Send the program's output to syslog (-l) (1.1 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  A small logger process writes each line to /dev/log, stdout at
//config:	  info and stderr at err, facility daemon.
//config:
//config:config FEATURE_GODAEMON_USER
//config:	bool "Run the program as another user (-u USER[:GROUP]) (1.4 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  Reads /etc/passwd and /etc/group itself, without getpwnam().
//config:
//config:config FEATURE_GODAEMON_READY
//config:	bool "Wait for the program to report readiness (-N FD, -T SECS) (1.2 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:
//config:config FEATURE_GODAEMON_FOREGROUND
//config:	bool "Foreground mode for supervisors (-f) (312 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:
//config:config FEATURE_GODAEMON_ERROR_TEXTS
//config:	bool "Say why a call failed in words, not as 'error 2' (808 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  Messages quote musl's text for an error: "No such file or
//config:	  directory" rather than "error 2". The pidfile's own reasons
//config:	  ("not a PID", "owned by another user") are always words.
//config:
//config:config FEATURE_GODAEMON_REEXEC
//config:	bool "Library: re-exec staging, as the Go package does (GD_REEXEC) (2.9 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  gd_make_daemon() with GD_REEXEC re-executes the program at each
//config:	  stage, which is safe in programs that already run threads. The
//config:	  applet does not use it: the size is that of libgodaemon.a.

//applet:IF_GODAEMON(APPLET(godaemon, BB_DIR_SBIN, BB_SUID_DROP))

//kbuild:lib-$(CONFIG_GODAEMON) += godaemon.o

//usage:#define godaemon_trivial_usage
//usage:       "start [OPTIONS] [--] PROG [ARG]...\n"
//usage:       "   or: godaemon stop [-s SIG] [-t SECS] -p PIDFILE\n"
//usage:       "   or: godaemon status -p PIDFILE"
//usage:#define godaemon_full_usage "\n\n"
//usage:       "Start PROG as a daemon, stop it, or tell whether it runs\n"
//usage:     "\nstart: PROG is looked up in PATH"
//usage:     "\n	-p FILE	Pidfile, locked by PROG while it runs"
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
//usage:	IF_FEATURE_GODAEMON_FOREGROUND(
//usage:     "\n	-f	Exec PROG in place, for supervisors"
//usage:	)
//usage:     "\nstop: signal PROG and wait for it to exit"
//usage:     "\n	-s SIG	Signal (default TERM)"
//usage:     "\n	-t SECS	Then SIGKILL after SECS (default 10)"
//usage:     "\nstatus: print PROG's state, exit 0 running, 1 dead,"
//usage:     "\n	3 stopped, 4 unknown"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>
#include "gd_internal.h"
#include "usage.h"
/* A .config from before the standalone build had it: the options shown, as BusyBox's default. */
#ifndef ENABLE_FEATURE_VERBOSE_USAGE
# define ENABLE_FEATURE_VERBOSE_USAGE 1
#endif

/* Exit codes: the one place they are defined (SPEC.md, "The applet"). */
enum {
	EXIT_OK = 0,		/* start: "PROG was executed (and, with -N, reported ready)";
				   stop: "stopped, or was not running" */
	EXIT_RUNNING = 1,	/* start: "already running, or PROG died before ready" */
	EXIT_STOP_FAILED = 1,	/* stop: "it would not die (after -t ... SIGKILL; 1 if even that fails)" */
	EXIT_USAGE = 2,		/* "2 usage" */
	EXIT_UNTRUSTED = 4,	/* stop: "the pidfile cannot be trusted (bad contents,
				   unsafe file): nothing is signalled" */
	EXIT_NOT_READY = 124,	/* start: "124 readiness timeout" */
	EXIT_FAILED = 125,	/* start: "125 godaemon itself failed (unsafe pidfile included)" */
	EXIT_NOEXEC = 126,	/* start: "126 PROG not executable" */
	EXIT_NOTFOUND = 127	/* start: "127 PROG not found" */
	/* status exits with gd_status_pid()'s LSB code: "0 running, 1 dead but
	   pidfile exists, 3 not running (no pidfile), 4 unknown". */
};

#define STOP_SECS	10	/* stop -t default */
#define READY_SECS	60	/* start -T default */
#define KILL_GRACE_MS	5000	/* a PROG not ready in time: SIGTERM, this long, SIGKILL */
#define POLL_SLICE_MS	50	/* waiting for a child without a pidfd */
#define KEEP_MAX	16	/* -k options */
#define GROUPS_MAX	64	/* supplementary groups of -u */
#define DB_LINE		1024	/* longest /etc/passwd or /etc/group line */
#define LOG_LINE	480	/* longer output lines go to syslog in pieces */
#define TAG_MAX		32	/* syslog TAG, as RFC 3164 has it */
#define DEFAULT_PATH	"/sbin:/usr/sbin:/bin:/usr/bin"

/*
 * Raw system calls where libc's wrapper costs more than the call: musl's
 * setuid() family synchronises every thread (a single-threaded daemon has
 * none), its getcwd() can allocate, its fchdir() falls back to /proc, its
 * socket() and dup3() carry fallbacks for kernels older than 2.6.27, and
 * prctl() is variadic. 32-bit ARM and i386 have 32-bit ids only in the *32
 * calls.
 */
#ifdef SYS_setuid32
# define SYS_SETUID SYS_setuid32
# define SYS_SETGID SYS_setgid32
# define SYS_SETGROUPS SYS_setgroups32
#else
# define SYS_SETUID SYS_setuid
# define SYS_SETGID SYS_setgid
# define SYS_SETGROUPS SYS_setgroups
#endif
#ifndef SYS_pidfd_open
# define SYS_pidfd_open 434
#endif

/*
 * One bit per option; the bit of a feature that is built out is 0, so its
 * letter is refused and every test of it folds away. Options up to
 * OPTBIT_SYSLOG take an argument.
 */
enum {
	OPTBIT_PIDFILE,		/* -p FILE */
	OPTBIT_SIGNAL,		/* -s SIG (stop) */
	OPTBIT_WAIT,		/* -t SECS (stop) */
	OPTBIT_KEEP,		/* -k FD */
	OPTBIT_DIR,		/* -d DIR */
	OPTBIT_UMASK,		/* -m UMASK */
	OPTBIT_NAME,		/* -n NAME */
	OPTBIT_LOGFILE,		/* -o FILE */
	OPTBIT_USER,		/* -u USER[:GROUP] */
	OPTBIT_READY,		/* -N FD */
	OPTBIT_READY_WAIT,	/* -T SECS */
	OPTBIT_SYSLOG,		/* -l */
	OPTBIT_FOREGROUND	/* -f */
};
enum {
	OPT_PIDFILE = 1 << OPTBIT_PIDFILE,
	OPT_SIGNAL = 1 << OPTBIT_SIGNAL,
	OPT_WAIT = 1 << OPTBIT_WAIT,
	OPT_KEEP = 1 << OPTBIT_KEEP,
	OPT_DIR = 1 << OPTBIT_DIR,
	OPT_UMASK = 1 << OPTBIT_UMASK,
	OPT_NAME = 1 << OPTBIT_NAME,
	OPT_LOGFILE = (1 << OPTBIT_LOGFILE) * ENABLE_FEATURE_GODAEMON_LOGFILE,
	OPT_USER = (1 << OPTBIT_USER) * ENABLE_FEATURE_GODAEMON_USER,
	OPT_READY = (1 << OPTBIT_READY) * ENABLE_FEATURE_GODAEMON_READY,
	OPT_READY_WAIT = (1 << OPTBIT_READY_WAIT) * ENABLE_FEATURE_GODAEMON_READY,
	OPT_SYSLOG = (1 << OPTBIT_SYSLOG) * ENABLE_FEATURE_GODAEMON_SYSLOG,
	OPT_FOREGROUND = (1 << OPTBIT_FOREGROUND) * ENABLE_FEATURE_GODAEMON_FOREGROUND,
	OPTS_WITH_ARG = (1 << OPTBIT_SYSLOG) - 1,
	OPTS_STOP = OPT_PIDFILE | OPT_SIGNAL | OPT_WAIT,
	OPTS_START = OPT_PIDFILE | OPT_KEEP | OPT_DIR | OPT_UMASK | OPT_NAME | OPT_LOGFILE
		| OPT_USER | OPT_READY | OPT_READY_WAIT | OPT_SYSLOG | OPT_FOREGROUND
};

/* The letter of each OPTBIT_. */
static const char opt_letters[] ALIGN1 = "pstkdmnouNTlf";

/* What the daemon reports failing, after the library's own steps. */
enum {
	STEP_PIDFILE = GD_STEP_USER_BASE,
	STEP_KEEP,
	STEP_DIR,
	STEP_USER,
	STEP_LOGGER,
	STEP_OUTPUT,
	STEP_EXEC
};

struct start {
	unsigned opt;
	char *arg[OPTBIT_SYSLOG];	/* argument of each option */
	const char *prog;		/* PROG as given, for messages */
	char **argv;			/* PROG's argv */
	int ninherit;			/* files[0..ninherit): -k FDs and -N FD, for PROG */
	int nfiles;
	int files[KEEP_MAX + 5];	/* ... then godaemon's own, kept until exec */
	int pidfile, logfile, dir;	/* descriptors, or -1 */
	mode_t umask;
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[GROUPS_MAX];
	char path[PATH_MAX];		/* PROG found in PATH, absolute */
};


/* The start-stop-daemon front end (godaemon_ssd.c) makes every exit code dpkg's. */
int (*gd_exit_hook)(int code);
#define EXIT(code) exit(gd_exit_hook ? gd_exit_hook(code) : (code))

/*
 * One line "godaemon: ...\n" on stderr, fmt as gd_vsay() has it (%s, %d,
 * %m). Then code < 0 returns, SAY_USAGE adds the synopsis and exits 2,
 * other codes exit with that code. Callers use msg(), die(), bad_usage().
 */
#define SAY_RETURN (-1)
#define SAY_USAGE (-2)
static void __attribute__((noreturn)) show_usage(int help);

static void GD_NO_FP_ARGS __attribute__((format(printf, 2, 3))) say(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gd_vsay(2, "godaemon: ", fmt, ap, "\n");
	va_end(ap);
	if (code == SAY_USAGE)
		show_usage(0);
	if (code >= 0)
		EXIT(code);
}
#define msg(...) say(SAY_RETURN, __VA_ARGS__)
#ifdef __CPPCHECK__
/* cppcheck does not know that __builtin_unreachable() ends a path. */
void die(int code, const char *fmt, ...) __attribute__((noreturn));
void bad_usage(const char *fmt, ...) __attribute__((noreturn));
#else
# define die(code, ...) (say(code, __VA_ARGS__), __builtin_unreachable())
# define bad_usage(...) (say(SAY_USAGE, __VA_ARGS__), __builtin_unreachable())
#endif

/* --help: the whole text on stdout, exit 0; a bad call: the synopsis on stderr, exit 2. */
static void __attribute__((noreturn)) show_usage(int help)
{
	static const char text[] ALIGN1 = "Usage: godaemon " godaemon_trivial_usage "\n";
	int fd = help ? 1 : 2;

	gd_write_all(fd, text, sizeof(text) - 2);
	if (ENABLE_FEATURE_VERBOSE_USAGE && help)
		gd_write_all(fd, godaemon_full_usage, sizeof(godaemon_full_usage) - 1);
	gd_write_all(fd, "\n", 1);
	EXIT(help ? EXIT_OK : EXIT_USAGE);
}

/* s as a number in base, at most max: 0, or -1 when it is not one. */
static int parse_num(const char *s, unsigned base, unsigned long max, unsigned long *v)
{
	unsigned long n = 0;

	if (!*s)
		return -1;
	do {
		unsigned d = (unsigned)(*s - '0');
		if (d >= base || n > (max - d) / base)
			return -1;
		n = n * base + d;
	} while (*++s);
	*v = n;
	return 0;
}

/* The number given to option bit, or dflt without the option; bad: usage. */
static unsigned long opt_num(char *const *arg, int bit, unsigned base, unsigned long max,
			     unsigned long dflt)
{
	char opt[3] = { '-', opt_letters[bit], 0 };
	unsigned long v = dflt;

	if (arg[bit] && parse_num(arg[bit], base, max, &v) < 0) {
		bad_usage("bad %s '%s'", opt, arg[bit]);
	}
	return v;
}

/*
 * BusyBox-style options up to the first non-option: -abc, -pFILE, -p FILE,
 * "--" ends them. Options after PROG are PROG's. Returns that index.
 */
static int parse_opts(char **argv, unsigned allowed, struct start *s)
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
			unsigned long fd;
			char *val;

			if (!bit)
				bad_usage("unknown option -%s", opt);
			s->opt |= bit;
			if (!(bit & OPTS_WITH_ARG))
				continue;
			val = a[1] ? a + 1 : argv[++i];
			if (!val)
				bad_usage("missing argument of -%s", opt);
			if (bit == OPT_KEEP) {
				if (parse_num(val, 10, INT_MAX, &fd) < 0 || fd < 3)
					bad_usage("-k needs a descriptor above 2, not %s", val);
				if (s->ninherit == KEEP_MAX)
					bad_usage("too many -k");
				s->files[s->ninherit++] = (int)fd;
			} else {
				s->arg[__builtin_ctz(bit)] = val;
			}
			break;
		}
	}
	return i;
}

/* Let PROG inherit fd. */
static int inherit(int fd)
{
	return gd_fcntl(fd, F_SETFD, 0);
}

/* [dir/]name into s->path, made absolute with the cwd: 0 or -1 and errno. */
static int make_path(struct start *s, const char *dir, size_t dlen, const char *name)
{
	char *p = s->path;
	size_t n = gd_strlen(name), room = sizeof(s->path);

	if (*(dlen ? dir : name) != '/') {
		if (syscall(SYS_getcwd, p, room) < 0)
			return -1;
		if (*p != '/') {
			errno = ENOENT;	/* "(unreachable)": cwd outside our root */
			return -1;
		}
		p += gd_strlen(p);
		if (p[-1] != '/')
			*p++ = '/';
		room -= (size_t)(p - s->path);
	}
	if (dlen + n + 2 > room) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (dlen) {
		memcpy(p, dir, dlen);
		p += dlen;
		*p++ = '/';
	}
	memcpy(p, name, n + 1);
	return 0;
}


static char *find_byte(const char *s, int c, size_t n)
{
	for (; n; s++, n--)
		if (*s == c)
			return (char *)s;
	return NULL;
}

/* getenv(), whose musl version also links strncmp(). */
static const char *env_path(void)
{
	char **e;

	for (e = environ; *e; e++)
		if (gd_skip(*e, "PATH="))
			return *e + 5;
	return NULL;
}

/*
 * execvp()'s search, done before the fork so that a PROG that cannot run is
 * told at once: the first regular, executable file. errno ENOENT when none
 * exists, else why the last one found is not executable.
 */
static int find_prog(struct start *s)
{
	const char *path = env_path(), *name = s->prog, *end;
	struct stat st;
	int err = ENOENT;

	if (*gd_find_char(name, '/')) {
		path = "";
	} else if (!path) {
		path = DEFAULT_PATH;
	}
	for (;; path = end + 1) {
		end = gd_find_char(path, ':');
		if (make_path(s, path, (size_t)(end - path), name) == 0) {
			if (gd_stat(s->path, &st, 0) == 0) {
				if (!S_ISREG(st.st_mode))
					errno = EACCES;
				else if (access(s->path, X_OK) == 0)
					return 0;
			}
			if (errno != ENOENT && errno != ENOTDIR)
				err = errno;
		}
		if (!*end)
			break;
	}
	errno = err;
	return -1;
}

struct db {
	int fd;
	int skip;		/* inside a line longer than buf */
	size_t pos, len;	/* unread bytes: buf[pos..len) */
	char buf[DB_LINE];
};

/* The next line of an /etc file split at ':' into f[0..3]: 1, or 0 at its end. */
static int db_next(struct db *db, char **f)
{
	char *line, *nl;
	ssize_t n;
	int i;

	for (;;) {
		line = db->buf + db->pos;
		nl = find_byte(line, '\n', db->len - db->pos);
		if (nl) {
			*nl = '\0';
			db->pos = (size_t)(nl + 1 - db->buf);
			if (!db->skip)
				break;
			db->skip = 0;
			continue;
		}
		db->len -= db->pos;
		memmove(db->buf, line, db->len);
		db->pos = 0;
		if (db->len == sizeof(db->buf) - 1) {
			db->len = 0;	/* no entry we look for is that long: skip it */
			db->skip = 1;
		}
		n = gd_read(db->fd, db->buf + db->len, sizeof(db->buf) - 1 - db->len);
		if (n <= 0) {
			if (n < 0 || !db->len)
				return 0;
			n = 1;		/* a last line without its newline */
			db->buf[db->len] = '\n';
		}
		db->len += (size_t)n;
	}
	for (i = 0; i < 4; i++) {
		f[i] = line;
		line = gd_find_char(line, ':');
		if (*line)
			*line++ = '\0';
	}
	return 1;
}

static int db_open(struct db *db, const char *file)
{
	db->fd = gd_open(file, O_RDONLY | O_CLOEXEC, 0);
	db->skip = 0;
	db->pos = db->len = 0;
	return db->fd;
}

/* The entry of file named key, or numbered key (field 2): 1 with f set, or 0. */
static int db_find(struct db *db, const char *file, const char *key, char **f)
{
	unsigned long want, id;
	int numeric = parse_num(key, 10, INT_MAX, &want) == 0, found = 0;

	if (db_open(db, file) < 0)
		return 0;
	while (!found && db_next(db, f))
		found = gd_streq(f[0], key)
			|| (numeric && parse_num(f[2], 10, INT_MAX, &id) == 0 && id == want);
	close(db->fd);
	return found;
}

static unsigned long db_id(const char *field, const char *entry, const char *file)
{
	unsigned long id;

	if (parse_num(field, 10, INT_MAX, &id) < 0)
		die(EXIT_FAILED, "bad entry '%s' in %s", entry, file);
	return id;
}

static int in_list(const char *list, const char *name)
{
	for (;;) {
		const char *end = gd_find_char(list, ',');
		if (gd_skip(list, name) == end)
			return 1;
		if (!*end)
			return 0;
		list = end + 1;
	}
}

/*
 * -u USER[:GROUP], numbers allowed, resolved before the fork from the files
 * themselves (getpwnam() would pull in stdio and NSS). Without GROUP: USER's
 * group and every group of /etc/group that lists USER, as initgroups() does;
 * with GROUP: that group only, as runit's chpst -u does. A number that
 * /etc/passwd lacks is used as is, with the same number as its group.
 */
static void resolve_user(struct start *s, char *spec)
{
	static const char passwd[] ALIGN1 = "/etc/passwd", group_file[] ALIGN1 = "/etc/group";
	char name[TAG_MAX * 2] = "", *f[4], *group = gd_find_char(spec, ':');
	struct db db;
	unsigned long id;

	if (*group)
		*group++ = '\0';
	else
		group = NULL;
	if (db_find(&db, passwd, spec, f)) {
		s->uid = (uid_t)db_id(f[2], f[0], passwd);
		s->gid = (gid_t)db_id(f[3], f[0], passwd);
		if (gd_strlcpy(name, f[0], sizeof(name)) < 0)
			name[0] = '\0';
	} else if (parse_num(spec, 10, INT_MAX, &id) == 0) {
		s->uid = (uid_t)id;
		s->gid = (gid_t)id;
	} else {
		die(EXIT_FAILED, "unknown user '%s'", spec);
	}
	if (group) {
		if (db_find(&db, group_file, group, f))
			s->gid = (gid_t)db_id(f[2], f[0], group_file);
		else if (parse_num(group, 10, INT_MAX, &id) == 0)
			s->gid = (gid_t)id;
		else
			die(EXIT_FAILED, "unknown group '%s'", group);
	}
	s->groups[0] = s->gid;
	s->ngroups = 1;
	if (group || !name[0] || db_open(&db, group_file) < 0)
		return;
	while (db_next(&db, f)) {
		if (!in_list(f[3], name) || (id = db_id(f[2], f[0], group_file)) == s->gid)
			continue;
		if (s->ngroups == GROUPS_MAX)
			die(EXIT_FAILED, "user '%s' is in too many groups", spec);
		s->groups[s->ngroups++] = (gid_t)id;
	}
	close(db.fd);
}

/*
 * The applet's fork(), for gd_spawn_with() and the logger: the bare system
 * call. Every child of godaemon makes only async-signal-safe system calls
 * until it execs or exits, so the bookkeeping of musl's _Fork() (thread
 * list, robust list, cached TID, its locks) has nothing to mend there; that
 * is 0.5 KB of a static binary. Architectures without fork have clone.
 */
static pid_t raw_fork(void)
{
#ifdef SYS_fork
	return (pid_t)syscall(SYS_fork);
#else
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0L, 0L, 0L, 0L);
#endif
}

/*
 * The logger of -l: reads PROG's stdout and stderr and sends each line to
 * /dev/log as "<PRI>TAG[PID]: line", one datagram per line, as BusyBox
 * syslogd and every syslog daemon read them. A line longer than its buffer
 * goes out in pieces rather than being cut. A syslogd that is not there (yet,
 * or any more) only costs the lines sent meanwhile: each line connects again.
 */
struct logstream {
	int fd;
	size_t hlen, len;
	char hdr[TAG_MAX + GD_ULONG_DIGITS * 2 + 8];
	char buf[LOG_LINE];
};

static size_t log_header(char *h, int pri, const char *tag, pid_t pid)
{
	size_t n = 1, t = gd_strlen(tag);

	h[0] = '<';
	n += gd_utoa((unsigned long)pri, h + n);
	h[n++] = '>';
	if (t > TAG_MAX)
		t = TAG_MAX;
	while (t--)
		h[n++] = *tag++;
	h[n++] = '[';
	n += gd_utoa((unsigned long)pid, h + n);
	h[n++] = ']';
	h[n++] = ':';
	h[n++] = ' ';
	return n;
}

static void log_send(int *sock, struct logstream *ls, const char *line, size_t len)
{
	static const struct {
		sa_family_t family;
		char path[sizeof("/dev/log")];
	} addr = { AF_UNIX, "/dev/log" };
	struct iovec iov[2] = { { ls->hdr, ls->hlen }, { (void *)line, len } };
	int tries;

	if (!len)
		return;
	for (tries = 0; tries < 2; tries++) {
		if (*sock < 0) {
			*sock = (int)syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
			if (*sock < 0)
				return;
			if (connect(*sock, (const struct sockaddr *)&addr, sizeof(addr)) < 0) {
				close(*sock);
				*sock = -1;
				return;
			}
		}
		/* One writev() on a datagram socket is one datagram. */
		while (writev(*sock, iov, 2) < 0) {
			if (errno != EINTR) {
				close(*sock);	/* syslogd restarted: connect again */
				*sock = -1;
				break;
			}
		}
		if (*sock >= 0)
			return;
	}
}

static void __attribute__((noreturn)) run_logger(const char *tag, pid_t pid, int out, int err)
{
	int fds[2] = { out, err };
	struct gd_attr keep = { .files = fds, .nfiles = 2 };
	struct logstream ls[2];
	struct pollfd p[2];
	int sock = -1, i;

	gd_keep_only(&keep, -1);
	gd_reset_signals();	/* with -f, godaemon's own handlers are still set */
	for (i = 0; i < 2; i++) {
		ls[i].fd = p[i].fd = fds[i];
		p[i].events = POLLIN;
		ls[i].len = 0;
		ls[i].hlen = log_header(ls[i].hdr, LOG_DAEMON | (i ? LOG_ERR : LOG_INFO), tag, pid);
	}
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0)
			continue;
		for (i = 0; i < 2; i++) {
			struct logstream *l = &ls[i];
			char *start = l->buf, *nl;
			ssize_t n;

			if (!p[i].revents)
				continue;
			n = read(l->fd, l->buf + l->len, sizeof(l->buf) - l->len);
			if (n <= 0) {
				if (n < 0 && errno == EINTR)
					continue;
				log_send(&sock, l, l->buf, l->len);	/* a last line without newline */
				close(l->fd);
				p[i].fd = -1;
				continue;
			}
			l->len += (size_t)n;
			while ((nl = find_byte(start, '\n', l->len - (size_t)(start - l->buf)))) {
				log_send(&sock, l, start, (size_t)(nl - start));
				start = nl + 1;
			}
			l->len -= (size_t)(start - l->buf);
			memmove(l->buf, start, l->len);
			if (l->len == sizeof(l->buf)) {
				log_send(&sock, l, l->buf, l->len);
				l->len = 0;
			}
		}
	}
	_exit(0);
}

/*
 * Make stdout and stderr pipes to a new logger. The logger is a grandchild,
 * not PROG's child, so that PROG never sees a child it did not make (a shell
 * that waits for all its children would wait for it); the middle process is
 * reaped here. The logger outlives PROG until every writer is gone.
 */
static int start_logger(struct start *s)
{
	const char *tag = s->arg[OPTBIT_NAME] ? s->arg[OPTBIT_NAME] : s->prog, *slash = NULL, *p;
	int out[2], err[2], status;
	pid_t pid, me = getpid();

	for (p = tag; *p; p++)	/* strrchr(), without musl's memrchr() */
		if (*p == '/')
			slash = p;
	if (slash && slash[1])
		tag = slash + 1;
	if (gd_pipe(out) < 0)
		return -1;
	if (gd_pipe(err) < 0)
		return -1;
	pid = raw_fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		pid = raw_fork();
		if (pid == 0)
			run_logger(tag, me, out[0], err[0]);
		_exit(pid < 0);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			status = 0;	/* SIGCHLD ignored by our parent: reaped already */
			break;
		}
	}
	if (status) {
		errno = EAGAIN;
		return -1;
	}
	close(out[0]);
	close(err[0]);
	return gd_dup2(out[1], 1) < 0 || gd_dup2(err[1], 2) < 0 ? -1 : 0;
}

/*
 * The last steps before exec, in the process that becomes PROG: the daemon
 * made by gd_spawn(), or godaemon itself with -f. Only async-signal-safe
 * calls. The pidfile is owned already. Returns 0, or the failed step with
 * errno set.
 */
static int prepare_prog(struct start *s)
{
	int i;

	/* The owner lock lasts while PROG keeps this descriptor: let exec keep it. */
	if (s->pidfile >= 0 && inherit(s->pidfile) < 0)
		return STEP_PIDFILE;
	for (i = 0; i < s->ninherit; i++)
		if (inherit(s->files[i]) < 0)
			return STEP_KEEP;
	/* gd_spawn()'s daemon is in "/" already; -f is where the caller was. */
	if (s->dir >= 0 ? syscall(SYS_fchdir, s->dir) < 0
	    : (s->opt & OPT_FOREGROUND) && chdir("/") < 0)
		return STEP_DIR;
	umask(s->umask);
	if (ENABLE_FEATURE_GODAEMON_USER && (s->opt & OPT_USER)
	    && (syscall(SYS_SETGROUPS, s->ngroups, s->groups) < 0
		|| syscall(SYS_SETGID, s->gid) < 0 || syscall(SYS_SETUID, s->uid) < 0))
		return STEP_USER;
	/* The logger is started last but one, so that it runs as the user too. */
	if (ENABLE_FEATURE_GODAEMON_SYSLOG && (s->opt & OPT_SYSLOG) && start_logger(s) < 0)
		return STEP_LOGGER;
	if (ENABLE_FEATURE_GODAEMON_LOGFILE && s->logfile >= 0
	    && (gd_dup2(s->logfile, 1) < 0 || gd_dup2(s->logfile, 2) < 0))
		return STEP_OUTPUT;
	return 0;
}

/* Remove the pidfile we claimed, once the daemon that owned it is gone. */
static void drop_pidfile(struct start *s)
{
	struct gd_pidstate st;

	if (s->pidfile < 0)
		return;
	/*
	 * A daemon that reported its failure may not have exited yet. We hold
	 * the claim lock, so no other daemon can take the owner lock meanwhile.
	 */
	if (gd_pidfile_inspect(s->pidfile, &st) == 0 && st.owner)
		gd_wait_gone(s->pidfile, st.owner, -1, KILL_GRACE_MS);
	/*
	 * Our descriptor goes first, claim lock and all: removing takes a
	 * descriptor of its own, and we may have run out (EMFILE is one way
	 * to fail here). A starter that claims the file meanwhile holds its
	 * lock, and gd_pidfile_remove() then leaves the file to it.
	 */
	close(s->pidfile);
	s->pidfile = -1;
	gd_pidfile_remove(s->arg[OPTBIT_PIDFILE]);
}

/*
 * SIGTERM, SIGINT or SIGHUP during a start: the start is undone at the next
 * step rather than leaving a claimed pidfile or a daemon behind. They are
 * blocked, not caught (no handler, no libc sigaction machinery): each step
 * looks for one pending, and the readiness wait polls a signalfd. A signal
 * the caller ignores (nohup) or blocks is left alone. gd_spawn() gives the
 * daemon an empty mask; PROG of -f gets the caller's back just before exec.
 */
#define INTERRUPTS (GD_SIGBIT(SIGTERM) | GD_SIGBIT(SIGINT) | GD_SIGBIT(SIGHUP))
static gd_sigset caught, caller_mask;

static void catch_interrupts(void)
{
	static const unsigned char sigs[] = { SIGTERM, SIGINT, SIGHUP };
	size_t i;

	for (i = 0; i < sizeof(sigs); i++)
		if (!gd_sig_ignored(sigs[i]))
			caught.w[0] |= GD_SIGBIT(sigs[i]);
	gd_sigmask(SIG_BLOCK, &caught, &caller_mask);
	caught.w[0] &= ~caller_mask.w[0];
}

/* The lowest of the caught signals that is pending, or 0. */
static int interrupted(void)
{
	gd_sigset p;

	if (syscall(SYS_rt_sigpending, &p, _NSIG / 8) < 0)
		return 0;
	p.w[0] &= caught.w[0];
	return p.w[0] ? __builtin_ctzl(p.w[0]) + 1 : 0;
}

/* Tell why start failed at step, remove the pidfile, give the exit code. */
static int start_failed(struct start *s, int step, int err)
{
	const char *what = "can't start the daemon: %m", *obj = NULL;
	int code = EXIT_FAILED;

	/* An if chain, not a switch, so that the steps of features built out fold away. */
	if (step == STEP_EXEC) {
		what = "can't execute '%s': %m";
		obj = s->prog;
		code = err == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
	} else if (step == STEP_PIDFILE) {
		what = "can't lock pidfile '%s': %m";
		obj = s->arg[OPTBIT_PIDFILE];
	} else if (step == STEP_DIR) {
		what = "can't change directory to '%s': %m";
		obj = s->arg[OPTBIT_DIR] ? s->arg[OPTBIT_DIR] : "/";
	} else if (ENABLE_FEATURE_GODAEMON_USER && step == STEP_USER) {
		what = "can't change user to '%s': %m";
		obj = s->arg[OPTBIT_USER];
	} else if (ENABLE_FEATURE_GODAEMON_SYSLOG && step == STEP_LOGGER) {
		what = "can't start the logger: %m";
	} else if (ENABLE_FEATURE_GODAEMON_LOGFILE && step == STEP_OUTPUT) {
		what = "can't redirect output to '%s': %m";
		obj = s->arg[OPTBIT_LOGFILE];
	}
	errno = err;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
	msg(what, obj);
#pragma GCC diagnostic pop
	drop_pidfile(s);
	return code;
}

enum { PROG_READY, PROG_EXITED, PROG_LATE };

/*
 * Wait up to ms for PROG, our child, to exit or, when ready >= 0, to write a
 * newline there (a signal that interrupts the start ends that wait too). A
 * pidfd wakes us when PROG exits; kernels before 5.3 have none, so the wait
 * is cut into slices that check with waitpid. PROG not our child (no
 * subreaper) counts as exited: we could neither reap nor safely signal it.
 */
/* Without -N (built out, or stop_child()) only PROG's exit is waited for. */
#define READINESS(ready) (ENABLE_FEATURE_GODAEMON_READY && (ready) >= 0)
static int wait_prog(pid_t pid, int pidfd, int ready, long ms, int *status)
{
	struct pollfd p[3] = { { ready, POLLIN, 0 }, { pidfd, POLLIN, 0 }, { -1, POLLIN, 0 } };
	unsigned long t0 = gd_now_ms();
	char buf[64];
	long left = ms;
	int res, slice;

	/* A caught signal ends a readiness wait; without a signalfd, slices see it. */
	if (READINESS(ready))
		p[2].fd = (int)syscall(SYS_signalfd4, -1, &caught, _NSIG / 8, SFD_CLOEXEC);
	slice = pidfd < 0 || (READINESS(ready) && p[2].fd < 0);
	for (;;) {
		int r = poll(p, 3, slice && left > POLL_SLICE_MS ? POLL_SLICE_MS : (int)left);

		if (READINESS(ready) && r > 0 && p[0].revents) {
			ssize_t n = gd_read(ready, buf, sizeof(buf));
			if (n > 0 && find_byte(buf, '\n', (size_t)n)) {
				res = PROG_READY;
				break;
			}
			if (n <= 0)
				p[0].fd = -1;	/* closed without a newline: never ready */
		}
		if (waitpid(pid, status, WNOHANG) != 0) {
			res = PROG_EXITED;
			break;
		}
		left = ms - (long)(gd_now_ms() - t0);
		if ((READINESS(ready) && interrupted()) || left <= 0) {
			res = PROG_LATE;
			break;
		}
	}
	if (p[2].fd >= 0)
		close(p[2].fd);
	return res;
}

/* Stop PROG, our unreaped child, so that kill() cannot reach another process. */
static void stop_child(pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), status;

	if (waitpid(pid, &status, WNOHANG) != 0)
		return;
	kill(pid, SIGTERM);
	if (wait_prog(pid, pidfd, -1, KILL_GRACE_MS, &status) != PROG_EXITED) {
		kill(pid, SIGKILL);
		wait_prog(pid, pidfd, -1, KILL_GRACE_MS, &status);
	}
	if (pidfd >= 0)
		close(pidfd);
}

/* A start interrupted by a signal is undone: PROG stopped, pidfile removed. */
static void __attribute__((noreturn)) start_interrupted(struct start *s, pid_t pid)
{
	int sig = interrupted();

	if (pid > 0)
		stop_child(pid);
	drop_pidfile(s);
	die(128 + sig, "start interrupted by signal %d: undone", sig);
}

/*
 * -N: start succeeds only once PROG says it is ready. PROG is our child
 * (we are its subreaper and have not reaped it), so its PID cannot name
 * another process until we reap it: plain kill() is exact here.
 */
static int await_ready(struct start *s, pid_t pid, int ready)
{
	unsigned long wait = opt_num(s->arg, OPTBIT_READY_WAIT, 10, INT_MAX / 1000, READY_SECS);
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0), status = 0, r;

	r = wait_prog(pid, pidfd, ready, (long)wait * 1000, &status);
	if (pidfd >= 0)
		close(pidfd);
	switch (r) {
	case PROG_READY:
		return EXIT_OK;
	case PROG_EXITED:
		if (WIFSIGNALED(status))
			msg("'%s' was killed by signal %d before it was ready", s->prog,
			    WTERMSIG(status));
		else
			msg("'%s' exited with status %d before it was ready", s->prog,
			    WEXITSTATUS(status));
		drop_pidfile(s);
		return EXIT_RUNNING;
	}
	if (interrupted())
		start_interrupted(s, pid);
	stop_child(pid);
	msg("'%s' not ready after %d s: stopped", s->prog, (int)wait);
	drop_pidfile(s);
	return EXIT_NOT_READY;
}

/*
 * Open an fd for the daemon: every one is close-on-exec until PROG must have
 * it. fmt is the message of a failure, with path its '%s'.
 */
static int open_kept(struct start *s, const char *path, int flags, const char *fmt)
{
	int fd = gd_open(path, flags | O_CLOEXEC | O_NOCTTY, 0644);

	if (fd < 0) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
		die(EXIT_FAILED, fmt, path);
#pragma GCC diagnostic pop
	}
	s->files[s->nfiles++] = fd;
	return fd;
}

static int start_main(struct start *s, char **argv)
{
	struct gd_attr attr;
	int i, ready = -1, report = -1, step;
	pid_t pid;

	s->pidfile = s->logfile = s->dir = -1;
	catch_interrupts();
	i = parse_opts(argv, OPTS_START, s);
	if (!argv[i])
		bad_usage("start needs PROG");
	s->prog = argv[i];
	s->argv = argv + i;
	if (s->opt & OPT_NAME)
		s->argv[0] = s->arg[OPTBIT_NAME];
	s->umask = (mode_t)opt_num(s->arg, OPTBIT_UMASK, 8, 0777, 022);
	if ((s->opt & OPT_READY_WAIT) && !(s->opt & OPT_READY))
		bad_usage("-T needs -N");
	if ((s->opt & OPT_LOGFILE) && (s->opt & OPT_SYSLOG))
		bad_usage("-o and -l exclude each other");
	if (s->opt & OPT_READY) {
		unsigned long fd = opt_num(s->arg, OPTBIT_READY, 10, INT_MAX, 0);
		if (fd < 3 || (s->opt & OPT_FOREGROUND))
			bad_usage("-N needs a descriptor above 2, and no -f");
		for (i = 0; i < s->ninherit; i++)
			if (s->files[i] == (int)fd)
				bad_usage("-N FD is a -k FD");
		opt_num(s->arg, OPTBIT_READY_WAIT, 10, INT_MAX / 1000, 0);
		s->files[s->ninherit] = (int)fd;	/* after the -k checks below */
	}

	if (find_prog(s) < 0)
		return start_failed(s, STEP_EXEC, errno);	/* no pidfile yet: the message and code only */
	if (s->opt & OPT_USER)
		resolve_user(s, s->arg[OPTBIT_USER]);
	/* Before any descriptor of ours is opened, which could take a closed FD's number. */
	for (i = 0; i < s->ninherit; i++)
		if (gd_fcntl(s->files[i], F_GETFD, 0) < 0)
			die(EXIT_FAILED, "can't keep descriptor %d: %m", s->files[i]);
	if (s->opt & OPT_READY) {
		int fd = s->files[s->ninherit++], p[2];

		/*
		 * Its write end goes to number FD here already, so that none of
		 * the descriptors opened next can take that number.
		 */
		if (gd_pipe(p) < 0)
			die(EXIT_FAILED, "can't make the readiness pipe: %m");
		ready = p[0];
		if (p[1] != fd) {
			if (ready == fd)
				ready = gd_fcntl(ready, F_DUPFD_CLOEXEC, 3);
			if (ready < 0 || syscall(SYS_dup3, p[1], fd, O_CLOEXEC) < 0)
				die(EXIT_FAILED, "can't make the readiness pipe: %m");
			close(p[1]);
		}
	}
	/*
	 * PROG is reparented to us when the first child exits: we get its
	 * status, and until we reap it its PID is its own, so a start undone
	 * can signal it by PID. Required for -N (Linux >= 3.4).
	 */
	if (!(s->opt & OPT_FOREGROUND)
	    && syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) < 0
	    && (s->opt & OPT_READY))
		die(EXIT_FAILED, "can't wait for readiness: %m");
	s->nfiles = s->ninherit;
	/* Relative paths are the caller's: opened here, before the daemon changes directory. */
	if (s->opt & OPT_DIR)
		s->dir = open_kept(s, s->arg[OPTBIT_DIR], O_PATH | O_DIRECTORY,
				  "can't change directory to '%s': %m");
	if (s->opt & OPT_LOGFILE)
		s->logfile = open_kept(s, s->arg[OPTBIT_LOGFILE], O_WRONLY | O_CREAT | O_APPEND,
				      "can't open '%s': %m");
	/* Last: from here on a failure must remove the pidfile. */
	if (s->opt & OPT_PIDFILE) {
		const char *path = s->arg[OPTBIT_PIDFILE];

		s->pidfile = gd_pidfile_claim(path);
		if (s->pidfile < 0) {
			pid_t running;

			if (errno != EEXIST)
				die(EXIT_FAILED, "can't use pidfile '%s': %s", path,
				    gd_pidfile_reason(errno));
			running = gd_read_pid_path(path, NULL);
			if (running <= 0)
				die(EXIT_RUNNING, "already running: pidfile '%s' is locked", path);
			die(EXIT_RUNNING, "already running: pidfile '%s' has PID %d", path, running);
		}
		s->files[s->nfiles++] = s->pidfile;
	}
	if (interrupted())
		start_interrupted(s, 0);

	if (ENABLE_FEATURE_GODAEMON_FOREGROUND && (s->opt & OPT_FOREGROUND)) {
		/* Same PID: this process owns the pidfile and becomes PROG. */
		int err_fd = gd_fcntl(2, F_DUPFD_CLOEXEC, 3), e;

		if (s->pidfile >= 0
		    && (gd_pidfile_own(s->pidfile) < 0 || gd_pidfile_unclaim(s->pidfile) < 0))
			step = STEP_PIDFILE;
		else
			step = prepare_prog(s);
		if (!step && interrupted()) {
			gd_dup2(err_fd, 2);
			start_interrupted(s, 0);
		}
		if (!step) {
			gd_sigmask(SIG_SETMASK, &caller_mask, NULL);
			execve(s->path, s->argv, environ);
			gd_sigmask(SIG_BLOCK, &caught, NULL);
			step = STEP_EXEC;
		}
		e = errno;
		if (err_fd >= 0)
			gd_dup2(err_fd, 2);	/* -o or -l took stderr: the message is the caller's */
		return start_failed(s, step, e);
	}

	memset(&attr, 0, sizeof(attr));
	attr.files = s->files;
	attr.nfiles = (size_t)s->nfiles;
	attr.flags = GD_KEEP_UMASK;
	pid = gd_spawn_with(&attr, &report, &step, raw_fork);
	if (pid == 0) {
		/* The daemon: a grandchild, in its own session, fds and signals clean. */
		if (s->pidfile >= 0 && gd_pidfile_own(s->pidfile) < 0)
			step = STEP_PIDFILE;
		else
			step = prepare_prog(s);
		if (!step) {
			execve(s->path, s->argv, environ);
			step = STEP_EXEC;
		}
		gd_report(report, step, errno);
		_exit(EXIT_FAILED);
	}
	if (pid < 0)
		return start_failed(s, step, errno);
	if (s->opt & OPT_READY)
		close(s->files[s->ninherit - 1]);	/* PROG has the write end now */
	/* EOF: exec closed the report pipe, PROG runs. */
	if (gd_spawn_wait(report, &step) < 0)
		return start_failed(s, step, errno);
	if (s->opt & OPT_READY) {
		i = await_ready(s, pid, ready);
		if (i != EXIT_OK)
			return i;
	}
	if (interrupted())
		start_interrupted(s, pid);
	if (s->pidfile >= 0)
		gd_pidfile_unclaim(s->pidfile);
	return EXIT_OK;
}

/* Signal names that stop may be given, each with its number (they differ between architectures). */
static const unsigned char signal_nums[] ALIGN1 = {
	SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGKILL, SIGUSR1, SIGUSR2, SIGALRM,
	SIGTERM, SIGCONT, SIGSTOP, SIGWINCH, SIGPWR
};
static const char signal_names[] ALIGN1 =
	"HUP\0INT\0QUIT\0ABRT\0KILL\0USR1\0USR2\0ALRM\0TERM\0CONT\0STOP\0WINCH\0PWR";

/* If s starts with name (upper case) in any case, the rest of s; else NULL. */
static const char *match_upper(const char *s, const char *name)
{
	for (; *name; s++, name++)
		if (*s != *name && (*s ^ 0x20) != *name)
			return NULL;
	return s;
}

/* -s TERM, -s SIGTERM, -s term or -s 15. */
static int parse_signal(const char *arg)
{
	const char *name = match_upper(arg, "SIG"), *end, *p = signal_names;
	unsigned long n;
	size_t i;

	if (parse_num(arg, 10, _NSIG - 1, &n) == 0 && n > 0)
		return (int)n;
	if (!name)
		name = arg;
	for (i = 0; i < sizeof(signal_nums); i++, p += gd_strlen(p) + 1) {
		end = match_upper(name, p);
		if (end && !*end)
			return signal_nums[i];
	}
	bad_usage("unknown signal %s", arg);
}

/* stop and status: options, then nothing but -p FILE. */
static const char *pidfile_cmd(char **argv, unsigned allowed, struct start *s)
{
	int i = parse_opts(argv, allowed, s);
	const char *path = s->arg[OPTBIT_PIDFILE];

	if (argv[i])
		bad_usage("unexpected argument %s", argv[i]);
	if (!path || !*path)
		bad_usage("%s needs -p PIDFILE", argv[0]);
	return path;
}

static int stop_main(struct start *s, char **argv)
{
	const char *path;
	unsigned long secs;
	gd_sigset block = { { INTERRUPTS } };
	int sig = SIGTERM, e;

	path = pidfile_cmd(argv, OPTS_STOP, s);
	if (s->arg[OPTBIT_SIGNAL])
		sig = parse_signal(s->arg[OPTBIT_SIGNAL]);
	secs = opt_num(s->arg, OPTBIT_WAIT, 10, UINT_MAX / 1000, STOP_SECS);
	/*
	 * Once begun, a stop finishes (it is bounded by -t and the SIGKILL
	 * wait): never a daemon signalled and its pidfile left naming nothing.
	 * A signal meanwhile stays pending and dies with us.
	 */
	gd_sigmask(SIG_BLOCK, &block, NULL);
	if (gd_stop_path(path, sig, (unsigned)secs * 1000) >= 0)
		return EXIT_OK;
	e = errno;
	if (e == ETIMEDOUT)
		die(EXIT_STOP_FAILED, "the process of pidfile '%s' would not die", path);
	if (gd_pidfile_untrusted(e))
		die(EXIT_UNTRUSTED, "won't trust pidfile '%s': %s", path, gd_pidfile_reason(e));
	die(EXIT_STOP_FAILED, "can't stop the process of pidfile '%s': %m", path);
}

/* BusyBox defines it; the standalone build has its own. */
#ifndef UNUSED_PARAM
# define UNUSED_PARAM __attribute__((unused))
#endif
int godaemon_main(int argc, char **argv);
int godaemon_main(int argc UNUSED_PARAM, char **argv)
{
	const char *cmd = argv[0] ? argv[1] : NULL;	/* execve() may give no argv[0] */
	struct start s;
	int fd;

	/*
	 * A caller may have closed stdin, stdout or stderr: /dev/null goes
	 * there first, as BusyBox's bb_sanitize_stdio() does, so that no file
	 * of ours takes those numbers (the pidfile as 1 would get the
	 * daemon's /dev/null, a message as 2 would land in it). Without
	 * /dev/null (a chroot, an early initramfs) "/" holds the number.
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
	memset(&s, 0, sizeof(s));
	argv++;
	if (gd_streq(cmd, "start"))
		return start_main(&s, argv);
	if (gd_streq(cmd, "stop"))
		return stop_main(&s, argv);
	if (gd_streq(cmd, "status"))
		return gd_status_path(pidfile_cmd(argv, OPT_PIDFILE, &s));
	if (gd_streq(cmd, "--help"))
		show_usage(1);
	bad_usage("unknown command %s", cmd);
}

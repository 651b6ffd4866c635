/*
 * godaemon_applet.h - what the applet's files share: options, exit codes,
 * messages, and the start's description of PROG that the keeper runs.
 * The library (gd_*.c) never includes it.
 */
#ifndef GODAEMON_APPLET_H
#define GODAEMON_APPLET_H 1
#include <limits.h>
#include <sys/types.h>
#include "gd_internal.h"
#include "godaemon_attrs.h"
#include "godaemon_libbb.h"

/* A .config from before these options: on, as in config/defconfig. */
#ifndef ENABLE_FEATURE_GODAEMON_BACKGROUND
# define ENABLE_FEATURE_GODAEMON_BACKGROUND 1
#endif
#ifndef ENABLE_FEATURE_GODAEMON_ATTRS
# define ENABLE_FEATURE_GODAEMON_ATTRS 1
#endif
#ifndef ENABLE_FEATURE_GODAEMON_RESPAWN
# define ENABLE_FEATURE_GODAEMON_RESPAWN 1
#endif

/* Exit codes: the one place they are defined (SPEC.md, "Exit codes"). */
enum {
	EXIT_OK = 0,		/* start: "PROG runs (and reported ready)"; stop: "stopped, or not running";
				   signal: "delivered" */
	EXIT_RUNNING = 1,	/* start: "already running (only that)" */
	EXIT_STOP_FAILED = 1,	/* stop: "it would not die" */
	EXIT_USAGE = 2,		/* "2 usage" */
	EXIT_NOT_RUNNING = 3,	/* signal: "3 not running" */
	EXIT_UNTRUSTED = 4,	/* stop, signal: "the pidfile cannot be trusted (bad contents, unsafe
				   file, unlocked with a live PID): nothing signalled" */
	EXIT_PROG_FAILED = 7,	/* start: "PROG exited before it was ready, or its foreground
				   process failed (-B)" */
	EXIT_NOT_READY = 124,	/* start: "not ready in time" */
	EXIT_FAILED = 125,	/* start: "godaemon itself failed (unsafe pidfile included)" */
	EXIT_NOEXEC = 126,	/* start: "PROG not executable" */
	EXIT_NOTFOUND = 127	/* start: "PROG not found" */
	/* status exits with gd_status_path()'s LSB code (GD_LSB_* of gd_internal.h). */
};

#define STOP_SECS	10	/* stop -t default */
#define READY_SECS	60	/* start -T default, and -W's wait */
#define RESPAWN_MAX	5	/* start -R default: failures in a row before giving up */
#define KEEP_MAX	16	/* -k options */
#define GROUPS_MAX	64	/* supplementary groups of -u */
#define TAG_MAX		32	/* syslog TAG, as RFC 3164 has it */

/*
 * One bit per option; the bit of a feature that is built out is 0, so its
 * letter is refused and every test of it folds away. Options before
 * OPTBIT_SYSLOG take an argument.
 */
enum {
	OPTBIT_PIDFILE,		/* -p FILE */
	OPTBIT_SIGNAL,		/* -s SIG (stop, signal) */
	OPTBIT_WAIT,		/* -t SECS (stop) */
	OPTBIT_KEEP,		/* -k FD */
	OPTBIT_DIR,		/* -d DIR */
	OPTBIT_UMASK,		/* -m UMASK */
	OPTBIT_NAME,		/* -n NAME */
	OPTBIT_LOGFILE,		/* -o FILE */
	OPTBIT_USER,		/* -u USER[:GROUP] */
	OPTBIT_READY,		/* -N FD */
	OPTBIT_READY_WAIT,	/* -T SECS */
	OPTBIT_WATCH,		/* -W FILE */
	OPTBIT_RESPAWN_MAX,	/* -R N */
	OPTBIT_CAPS,		/* -C CAP[,CAP] */
	OPTBIT_NICE,		/* -P NICE */
	OPTBIT_LIMIT,		/* -L RES=N */
	OPTBIT_ENV,		/* -e NAME=VALUE */
	OPTBIT_SYSLOG,		/* -l */
	OPTBIT_FOREGROUND,	/* -f */
	OPTBIT_BACKGROUND,	/* -B */
	OPTBIT_RESPAWN		/* -r */
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
	OPT_WATCH = (1 << OPTBIT_WATCH) * ENABLE_FEATURE_GODAEMON_BACKGROUND,
	OPT_SYSLOG = (1 << OPTBIT_SYSLOG) * ENABLE_FEATURE_GODAEMON_SYSLOG,
	OPT_FOREGROUND = (1 << OPTBIT_FOREGROUND) * ENABLE_FEATURE_GODAEMON_FOREGROUND,
	OPT_BACKGROUND = (1 << OPTBIT_BACKGROUND) * ENABLE_FEATURE_GODAEMON_BACKGROUND,
	OPT_RESPAWN = (1 << OPTBIT_RESPAWN) * ENABLE_FEATURE_GODAEMON_RESPAWN,
	OPT_RESPAWN_MAX = (1 << OPTBIT_RESPAWN_MAX) * ENABLE_FEATURE_GODAEMON_RESPAWN,
	/* Repeatable, parsed and kept by attrs_option(). */
	OPTS_ATTRS = ((1 << OPTBIT_CAPS) | (1 << OPTBIT_NICE) | (1 << OPTBIT_LIMIT) | (1 << OPTBIT_ENV))
		* ENABLE_FEATURE_GODAEMON_ATTRS,
	OPTS_WITH_ARG = (1 << OPTBIT_SYSLOG) - 1,
	OPTS_STOP = OPT_PIDFILE | OPT_SIGNAL | OPT_WAIT,
	OPTS_SIGNAL = OPT_PIDFILE | OPT_SIGNAL,
	OPTS_START = OPT_PIDFILE | OPT_KEEP | OPT_DIR | OPT_UMASK | OPT_NAME | OPT_LOGFILE
		| OPT_USER | OPT_READY | OPT_READY_WAIT | OPT_WATCH | OPT_SYSLOG
		| OPT_FOREGROUND | OPT_BACKGROUND | OPT_RESPAWN | OPT_RESPAWN_MAX | OPTS_ATTRS,
	/* What makes start leave a keeper (SPEC.md, "the keeper"). */
	OPTS_KEEPER = OPT_PIDFILE | OPT_BACKGROUND | OPT_WATCH | OPT_SYSLOG | OPT_RESPAWN
};

/* The options of one command line, as parse_opts() leaves them. */
struct opts {
	unsigned opt;
	char *arg[OPTBIT_SYSLOG];	/* argument of each option */
	int nkeep;
	int keep[KEEP_MAX];		/* -k FDs */
	struct prog_attrs *attrs;	/* start's -C, -P, -L, -e; NULL for the other verbs */
};

/* What the forked PROG needs, all of it resolved before any fork. */
struct prog {
	unsigned opt;			/* the start's OPT_ bits */
	const char *name;		/* PROG as given, for messages */
	char **argv;
	int ninherit;			/* inherit[]: -k FDs, then -N's write end */
	int inherit[KEEP_MAX + 1];
	int dir, logfile;		/* descriptors, or -1 */
	int out[2];			/* -l: PROG's stdout and stderr (write ends), or -1 */
	mode_t umask;
	uid_t uid;
	gid_t gid;
	int ngroups;
	gid_t groups[GROUPS_MAX];
	char **envp;			/* PROG's environment */
	struct prog_attrs attrs;		/* -C, -P, -L, -e (FEATURE_GODAEMON_ATTRS) */
	char path[PATH_MAX];		/* PROG found in PATH, absolute */
};

/* What failed, reported by the keeper to start (struct gd_report's step). */
enum {
	STEP_PIDFILE = GD_STEP_USER_BASE,
	STEP_KEEP,
	STEP_DIR,
	STEP_USER,
	STEP_LOGGER,
	STEP_OUTPUT,
	STEP_EXEC,
	STEP_EXITED,		/* value: PROG's wait status, before it was ready */
	STEP_FOREGROUND,	/* -B: value: the foreground's wait status, not 0 */
	STEP_LEFT_NOTHING,	/* -B: the foreground exited 0 and left no process */
	STEP_NOT_WATCHED,	/* -W: the file named no process of PROG's in time */
	STEP_NOT_READY,		/* -N: no newline in time */
	STEP_KEEPER,		/* the keeper died before it reported */
	STEP_SUBREAPER,		/* no PR_SET_CHILD_SUBREAPER (Linux < 3.4) for -B, -W */
	STEP_INTERRUPTED,	/* value: the signal that undid the start */
	STEP_ATTRS		/* + attrs_apply_*()'s fail (below ATTRS_FAIL_END): the last */
};

/*
 * The keeper's commands, sent by stop and signal as GD_SIG_COMMAND queued
 * with a value: the operation, the signal for PROG and stop's -t. A fixed
 * real-time number, not SIGRTMIN (34 with glibc, 35 with musl): the keeper
 * and the stop may come from different builds.
 */
#define GD_SIG_COMMAND	40
enum { CMD_STOP = 1, CMD_FORWARD = 2 };
#define CMD_VALUE(op, sig, secs) ((int)((op) | (sig) << 2 | (secs) << 10))
#define CMD_OP(v)	((v) & 3)
#define CMD_SIG(v)	((v) >> 2 & 0xff)
#define CMD_SECS(v)	((unsigned)(v) >> 10)
#define CMD_SECS_MAX	((INT_MAX >> 10) - 1)

/* Set by the start-stop-daemon front end: godaemon.c exits with gd_exit_hook(code). */
extern int (*gd_exit_hook)(int code);
/* What msg() and die() put before a message: the front end's name, NULL for "godaemon: ". */
extern const char *msg_tag;
/* godaemon.c: exit(code), through gd_exit_hook when the start-stop-daemon front end set it. */
void __attribute__((noreturn)) gd_exit(int code);
/* godaemon.c: messages, one line on stderr, "godaemon: " first (fmt as gd_vsay()). */
void msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The message, then exit(code); EXIT_USAGE: the synopsis follows the message. */
void __attribute__((noreturn, format(printf, 2, 3))) die(int code, const char *fmt, ...);
/* A usage error: one variadic function fewer than a bad_usage() of its own (64 bytes). */
#define bad_usage(...) die(EXIT_USAGE, __VA_ARGS__)
/* godaemon.c: BusyBox-style options; returns the index of the first non-option. */
int parse_opts(char **argv, unsigned allowed, struct opts *o);
/* The number given to option bit, or dflt without the option; bad: usage error. */
unsigned long opt_num(const struct opts *o, int bit, unsigned base, unsigned long max,
		      unsigned long dflt);
char *find_byte(const char *s, int c, size_t n);

/* godaemon_start.c */
int start_main(char **argv);
/* godaemon_stop.c */
int stop_main(char **argv);
int signal_main(char **argv);
int status_main(char **argv);
/*
 * -s TERM, SIGTERM, term or 15: the number; dflt without -s. Unknown: a
 * usage error, or with dflt 0 (the start-stop-daemon front end) 0.
 */
int parse_signal(const char *arg, int dflt);

/* godaemon_keeper.c: the keeper (SPEC.md, "the keeper"). */
struct keeper_args {
	struct prog *prog;
	int pidfile;		/* claimed pidfile, or -1 */
	int report;		/* to start, or -1 (-f) */
	const char *path;	/* -p FILE, or NULL */
	const char *watch;	/* -W FILE, or NULL */
	unsigned ready_secs;	/* -T, the bound of -N's and -W's wait */
	unsigned respawn_max;	/* -R: failures in a row before giving up, 0 never */
};
/*
 * Become the keeper, run PROG and keep it: exits with PROG's status (128 + N
 * for signal N). Returns the failed step, with errno, if PROG never ran.
 */
int run_keeper(const struct keeper_args *k);
/*
 * The mark of a pidfile whose daemon died under its keeper (dead 1), taken
 * off as start claims the file (dead 0): the sticky bit, which Linux
 * ignores on a regular file. The PID the marked file names is dead, whoever
 * has it now; start-stop-daemon -K and -T read the mark (godaemon_ssd.c).
 * Only built with the front end.
 */
void pidfile_mark(int fd, int dead);
/* The steps in PROG's process before exec: 0, or the failed STEP_ with errno. */
int prepare_prog(const struct prog *p);

/* godaemon_user.c: -u USER[:GROUP] into p's uid, gid and groups, or die. */
void resolve_user(struct prog *p, char *spec);

/* godaemon_syslog.c: -l, PROG's output sent to /dev/log by the keeper. */
struct logstream {
	int fd;			/* the read end, or -1 once at its end */
	size_t hlen, len;
	char hdr[TAG_MAX + GD_ULONG_DIGITS * 2 + 8];
	char buf[480];		/* longer lines go out in pieces */
};
void log_open(struct logstream ls[2], const int fds[2], const char *tag, pid_t pid);
/* Read what came on ls and send each whole line: 1, 0 when nothing came, -1 at its end. */
int log_read(struct logstream *ls, int *sock);
/* One line of godaemon's own, at level err. */
void log_line(struct logstream *ls, int *sock, const char *line, size_t len);

#endif

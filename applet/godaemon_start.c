/*
 * godaemon_start.c - start: does everything that can fail for a reason the
 * user can fix before it forks (options, PATH lookup, user lookup, opening
 * -d, -o and the pidfile), then forks the keeper, which runs PROG and
 * reports. start exits 0 only once PROG runs (and, with -N, said it is
 * ready), and otherwise leaves nothing behind: no keeper, no PROG, no
 * pidfile. The steps, in the order start_main() takes them:
 *
 *   parse and check the options        check_options()
 *   find PROG, resolve -u              find_prog(), resolve_user()
 *   open what PROG inherits            open_files(), make_ready_pipe()
 *   claim the pidfile                  claim_pidfile()
 *   fork the keeper, wait for it       spawn_keeper(), await_keeper()
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "godaemon_applet.h"

#define DEFAULT_PATH	"/sbin:/usr/sbin:/bin:/usr/bin"

/*
 * A start's state: the options, PROG, the keeper's arguments (filled in as
 * the options are checked: the keeper reads them in place), and what must
 * be undone on failure.
 */
struct start {
	struct opts o;
	struct keeper_args k;	/* k.pidfile: claimed, or -1 */
	int ready;		/* -N: the read end (open with OPT_READY), or -1 */
	pid_t keeper;		/* forked, or 0 */
	struct prog p;		/* last: its large buffers at the end (see start_main()) */
};

/*
 * SIGTERM, SIGINT or SIGHUP during a start: the start is undone rather than
 * leaving a claimed pidfile or a daemon behind. They are blocked, not caught
 * (no handler, no libc sigaction machinery): each step looks for one
 * pending, and the wait for the keeper polls a signalfd. A signal the caller
 * ignores (nohup) or blocks is left alone. SIGPIPE is blocked too, so that
 * a caller's broken stdout or stderr costs a message, never the start.
 * The keeper and PROG get default signals; PROG of -f gets the caller's mask.
 */
static gd_sigset caught, caller_mask;

static void catch_interrupts(void)
{
	static const unsigned char sigs[] = { SIGTERM, SIGINT, SIGHUP };
	gd_sigset pipe = { { GD_SIGBIT(SIGPIPE) } };
	size_t i;

	for (i = 0; i < sizeof(sigs); i++)
		if (!gd_sig_ignored(sigs[i]))
			caught.w[0] |= GD_SIGBIT(sigs[i]);
	gd_sigmask(SIG_BLOCK, &caught, &caller_mask);
	gd_sigmask(SIG_BLOCK, &pipe, NULL);
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

/* [dir/]name into p->path, made absolute with the cwd: 0 or -1 and errno. */
static int make_path(struct prog *p, const char *dir, size_t dlen, const char *name)
{
	char *s = p->path;
	size_t n = gd_strlen(name), room = sizeof(p->path);

	if (*(dlen ? dir : name) != '/') {
		if (syscall(SYS_getcwd, s, room) < 0)
			return -1;
		if (*s != '/') {
			errno = ENOENT;	/* "(unreachable)": cwd outside our root */
			return -1;
		}
		s += gd_strlen(s);
		if (s[-1] != '/')
			*s++ = '/';
		room -= (size_t)(s - p->path);
	}
	if (dlen + n + 2 > room) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (dlen) {
		memcpy(s, dir, dlen);
		s += dlen;
		*s++ = '/';
	}
	memcpy(s, name, n + 1);
	return 0;
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
static int find_prog(struct prog *p)
{
	const char *path = env_path(), *name = p->name, *end;
	struct stat st;
	int err = ENOENT;

	if (*gd_find_char(name, '/') || !*name) {
		path = "";
	} else if (!path) {
		path = DEFAULT_PATH;
	}
	for (;; path = end + 1) {
		end = gd_find_char(path, ':');
		if (*name && make_path(p, path, (size_t)(end - path), name) == 0) {
			if (gd_stat(p->path, &st, 0) == 0) {
				if (!S_ISREG(st.st_mode))
					errno = EACCES;
				else if (access(p->path, X_OK) == 0)
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

/* Remove the pidfile we claimed, once the keeper that owned it is gone. */
static void drop_pidfile(struct start *s)
{
	if (s->k.pidfile < 0)
		return;
	/*
	 * Our descriptor goes first, claim lock and all: removing takes a
	 * descriptor of its own, and we may have run out (EMFILE is one way
	 * to fail here). A starter that claims the file meanwhile holds its
	 * lock, and gd_pidfile_remove() then leaves the file to it.
	 */
	close(s->k.pidfile);
	s->k.pidfile = -1;
	gd_pidfile_remove(s->k.path);
}

/* Tell why start failed at step, remove the pidfile, give the exit code. */
static int start_failed(struct start *s, int step, int value)
{
	const char *prog = s->p.name;
	int code = EXIT_FAILED;

	errno = value;
	/* An if chain, not a switch, so that the steps of features built out fold away. */
	if (step == STEP_EXEC) {
		msg("can't execute '%s': %m", prog);
		code = value == ENOENT ? EXIT_NOTFOUND : EXIT_NOEXEC;
	} else if (step == STEP_PIDFILE) {
		msg("can't write pidfile '%s': %m", s->k.path);
	} else if (step == STEP_DIR) {
		msg("can't change directory to '%s': %m",
		    s->o.arg[OPTBIT_DIR] ? s->o.arg[OPTBIT_DIR] : "/");
	} else if (ENABLE_FEATURE_GODAEMON_USER && step == STEP_USER) {
		msg("can't change user to '%s': %m", s->o.arg[OPTBIT_USER]);
	} else if (ENABLE_FEATURE_GODAEMON_SYSLOG && step == STEP_LOGGER) {
		msg("can't start the logger: %m");
	} else if (ENABLE_FEATURE_GODAEMON_LOGFILE && step == STEP_OUTPUT) {
		msg("can't redirect output to '%s': %m", s->o.arg[OPTBIT_LOGFILE]);
	} else if (step == STEP_SUBREAPER) {
		msg("can't follow what '%s' leaves behind (a child subreaper): %m", prog);
	} else if (step == GD_STEP_STDIO) {
		msg("can't open /dev/null: %m");
	} else if (step == STEP_EXITED || (ENABLE_FEATURE_GODAEMON_BACKGROUND
					     && (step == STEP_FOREGROUND || step == STEP_LEFT_NOTHING))) {
		/* value: the wait status, 0 for STEP_LEFT_NOTHING; the keeper's words for it. */
		const char *when = step == STEP_EXITED ? "before it was ready"
			: step == STEP_FOREGROUND ? "in the foreground" : "but left no process behind";
		code = EXIT_PROG_FAILED;
		msg("'%s' %s %d %s", prog, WIFSIGNALED(value) ? "was killed by signal" : "exited with status",
		    WIFSIGNALED(value) ? WTERMSIG(value) : WEXITSTATUS(value), when);
	} else if (ENABLE_FEATURE_GODAEMON_BACKGROUND && step == STEP_NOT_WATCHED) {
		code = EXIT_NOT_READY;
		msg("'%s' names no process of '%s' after %d s: stopped", s->k.watch, prog,
		    (int)s->k.ready_secs);
	} else if (ENABLE_FEATURE_GODAEMON_READY && step == STEP_NOT_READY) {
		code = EXIT_NOT_READY;
		msg("'%s' not ready after %d s: stopped", prog, (int)s->k.ready_secs);
	} else if (step == STEP_INTERRUPTED) {
		code = 128 + value;
		msg("start interrupted by signal %d: undone", value);
	} else if (ENABLE_FEATURE_GODAEMON_ATTRS && step >= STEP_ATTRS) {
		const char *obj, *fmt = attrs_failure(step - STEP_ATTRS, &obj);
		msg(fmt, obj);	/* fmt: one of attrs_failure()'s literals, at most one %s */
	} else {
		msg("can't start the daemon: %m");
	}
	drop_pidfile(s);
	return code;
}

/* Usage errors, told before anything is opened; the numbers of -T and -R kept. */
static void check_options(struct start *s)
{
	unsigned opt = s->o.opt;
	int i;

	if ((opt & OPT_READY_WAIT) && !(opt & (OPT_READY | OPT_WATCH)))
		bad_usage("-T needs -N or -W");
	if ((opt & OPT_RESPAWN_MAX) && !(opt & OPT_RESPAWN))
		bad_usage("-R needs -r");
	if (ENABLE_FEATURE_GODAEMON_RESPAWN)
		s->k.respawn_max = (unsigned)opt_num(&s->o, OPTBIT_RESPAWN_MAX, 10, INT_MAX, RESPAWN_MAX);
	if ((opt & OPT_LOGFILE) && (opt & OPT_SYSLOG))
		bad_usage("-o and -l exclude each other");
	if (s->k.path && !*s->k.path)
		bad_usage("-p needs a file name");
	/* Needed by -N and -W alone; -T without them was refused above. */
	if (opt & (OPT_READY | OPT_WATCH)) {
		s->k.ready_secs = (unsigned)opt_num(&s->o, OPTBIT_READY_WAIT, 10, CMD_SECS_MAX, READY_SECS);
		if (!s->k.ready_secs)
			bad_usage("-T needs at least 1 second");
	}
	if ((opt & OPT_WATCH) && (opt & OPT_PIDFILE) && gd_streq(s->k.watch, s->k.path))
		bad_usage("-p must not be PROG's own pidfile (-W)");
	s->p.umask = (mode_t)opt_num(&s->o, OPTBIT_UMASK, 8, 0777, 022);
	memcpy(s->p.inherit, s->o.keep, sizeof(s->o.keep));
	s->p.ninherit = s->o.nkeep;
	if (opt & OPT_READY) {
		unsigned long fd = opt_num(&s->o, OPTBIT_READY, 10, INT_MAX, 0);
		if (fd < 3 || (opt & OPT_FOREGROUND))
			bad_usage("-N needs a descriptor above 2, and no -f");
		for (i = 0; i < s->o.nkeep; i++)
			if (s->o.keep[i] == (int)fd)
				bad_usage("-N FD is a -k FD");
		s->p.inherit[s->p.ninherit] = (int)fd;	/* counted once the pipe is there */
	}
}

/*
 * -N: a pipe whose write end PROG gets as number FD. That number is taken
 * here already, so that none of the descriptors opened next can take it.
 */
static void make_ready_pipe(struct start *s)
{
	int fd = s->p.inherit[s->p.ninherit], p[2];

	if (gd_pipe(p) < 0)
		die(EXIT_FAILED, "can't make the readiness pipe: %m");
	s->ready = p[0];
	if (p[1] != fd) {
		if (s->ready == fd)
			s->ready = gd_fcntl(s->ready, F_DUPFD_CLOEXEC, 3);
		if (s->ready < 0 || syscall(SYS_dup3, p[1], fd, O_CLOEXEC) < 0)
			die(EXIT_FAILED, "can't make the readiness pipe: %m");
		close(p[1]);
	}
	s->p.ninherit++;
}

/*
 * -o FILE: opened without blocking (a FIFO would hang us), and only a
 * regular file or a character device (a console, /dev/null), never the
 * pidfile: PROG's output would overwrite the PID.
 */
static int open_logfile(const char *path, const char *pidfile)
{
	struct stat st, pf;
	int fd = gd_open(path, O_WRONLY | O_CREAT | O_APPEND | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0644);

	if (fd < 0)
		die(EXIT_FAILED, "can't open '%s': %m", path);
	if (gd_fstat(fd, &st) < 0)
		die(EXIT_FAILED, "can't open '%s': %m", path);
	if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode))
		die(EXIT_FAILED, "can't use '%s' for output: not a regular file", path);
	if (pidfile && gd_stat(pidfile, &pf, 0) == 0 && pf.st_dev == st.st_dev
	    && pf.st_ino == st.st_ino)
		die(EXIT_FAILED, "can't use '%s' for output: it is the pidfile", path);
	if (gd_fcntl(fd, F_SETFL, O_WRONLY | O_APPEND) < 0)
		die(EXIT_FAILED, "can't open '%s': %m", path);
	return fd;
}

/* What PROG inherits and the keeper uses: -k checked, -N, -d, -o, -l. */
static void open_files(struct start *s)
{
	unsigned opt = s->o.opt;
	int i;

	/* Before any descriptor of ours is opened, which could take a closed FD's number. */
	for (i = 0; i < s->o.nkeep; i++)
		if (gd_fcntl(s->o.keep[i], F_GETFD, 0) < 0)
			die(EXIT_FAILED, "can't keep descriptor %d: %m", s->o.keep[i]);
	if (opt & OPT_READY)
		make_ready_pipe(s);
	/* Relative paths are the caller's: opened here, before the keeper changes directory. */
	if (opt & OPT_DIR) {
		s->p.dir = gd_open(s->o.arg[OPTBIT_DIR], O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
		if (s->p.dir < 0)
			die(EXIT_FAILED, "can't change directory to '%s': %m", s->o.arg[OPTBIT_DIR]);
	}
	if (opt & OPT_LOGFILE)
		s->p.logfile = open_logfile(s->o.arg[OPTBIT_LOGFILE], s->o.arg[OPTBIT_PIDFILE]);
}

/* Last before the fork: from here on a failure must remove the pidfile. */
static void claim_pidfile(struct start *s)
{
	const char *path = s->o.arg[OPTBIT_PIDFILE];
	pid_t running;

	s->k.pidfile = gd_pidfile_claim(path);
	if (s->k.pidfile >= 0) {
		pidfile_mark(s->k.pidfile, 0);
		return;
	}
	if (errno != EEXIST)
		die(EXIT_FAILED, "can't use pidfile '%s': %s", path, gd_pidfile_reason(errno));
	running = gd_read_pid_path(path, NULL);
	if (running <= 0)
		die(EXIT_RUNNING, "already running: pidfile '%s' is locked", path);
	die(EXIT_RUNNING, "already running: pidfile '%s' has PID %d", path, running);
}

/*
 * Fork the keeper with every signal blocked (it reads its signals from a
 * signalfd, and no handler of ours may run in it); it runs PROG and reports
 * through the report pipe. Returns the read end.
 */
static int spawn_keeper(struct start *s)
{
	gd_sigset all;
	int report[2], step;

	if (gd_pipe(report) < 0)
		return -1;
	memset(&all, 0xff, sizeof(all));
	gd_sigmask(SIG_BLOCK, &all, NULL);
	s->keeper = gd_raw_fork();
	if (s->keeper == 0) {
		close(report[0]);
		if (s->o.opt & OPT_READY)
			close(s->ready);
		s->k.report = report[1];
		step = run_keeper(&s->k);	/* returns only when PROG never ran */
		gd_report(report[1], step, errno);
		_exit(EXIT_FAILED);
	}
	gd_sigmask(SIG_SETMASK, &caught, NULL);	/* ours: the caller's and the caught ones */
	gd_sigmask(SIG_BLOCK, &caller_mask, NULL);
	close(report[1]);
	if (s->keeper < 0) {
		gd_close(report[0]);
		return -1;
	}
	return report[0];
}

/* Undo a start: the keeper, our unreaped child, stops PROG and exits. */
static void stop_keeper(struct start *s, int report)
{
	struct gd_report r;

	if (s->keeper > 0)
		kill(s->keeper, SIGTERM);
	while (gd_read(report, &r, sizeof(r)) > 0)
		continue;	/* EOF: the keeper is gone */
}

/*
 * Wait for the keeper's report: PROG's PID once it runs, then with -N its
 * newline on the readiness pipe; or the step that failed. Returns 0 with
 * PROG running, or the failed step with *value.
 */
static int await_keeper(struct start *s, int report, int *value)
{
	unsigned long wait = 1000UL * s->k.ready_secs;
	struct pollfd p[3] = { { report, POLLIN, 0 }, { -1, POLLIN, 0 }, { -1, POLLIN, 0 } };
	unsigned long t0 = gd_now_ms();
	struct gd_report r;
	char buf[64];
	int running = 0;

	p[2].fd = (int)syscall(SYS_signalfd4, -1, &caught, _NSIG / 8, SFD_CLOEXEC);
	for (;;) {
		long left = (long)(wait - (gd_now_ms() - t0));

		*value = interrupted();
		if (*value)
			return STEP_INTERRUPTED;
		if (running && left <= 0)
			return STEP_NOT_READY;
		/* Without a signalfd, slices of 50 ms see a pending signal. */
		if (poll(p, 3, running ? (int)left : p[2].fd < 0 ? 50 : -1) < 0)
			continue;
		if (p[0].revents) {
			ssize_t n = gd_read(report, &r, sizeof(r));
			if (n != (ssize_t)sizeof(r)) {
				*value = n < 0 ? errno : ECHILD;	/* EOF: the keeper died */
				return STEP_KEEPER;
			}
			if (r.step != GD_STEP_PID) {
				*value = r.value;
				return r.step;
			}
			if (!(s->o.opt & OPT_READY))
				return 0;
			running = 1;
			p[1].fd = s->ready;
			t0 = gd_now_ms();
		}
		if (p[1].revents) {
			ssize_t n = gd_read(s->ready, buf, sizeof(buf));
			if (n > 0 && find_byte(buf, '\n', (size_t)n))
				return 0;
			if (n <= 0)
				p[1].fd = -1;	/* closed without a newline: never ready */
		}
	}
}

/* -f without anything to keep: PROG replaces godaemon, same PID. */
static int exec_in_place(struct start *s)
{
	int err_fd = gd_fcntl(2, F_DUPFD_CLOEXEC, 3), step, e;

	step = prepare_prog(&s->p);
	if (!step && interrupted())
		step = STEP_INTERRUPTED;
	if (!step) {
		/* The caller's dispositions stay, as with exec: nohup's SIG_IGN of SIGHUP. */
		gd_sigmask(SIG_SETMASK, &caller_mask, NULL);
		execve(s->p.path, s->p.argv, s->p.envp);
		gd_sigmask(SIG_BLOCK, &caught, NULL);
		step = STEP_EXEC;
	}
	e = step == STEP_INTERRUPTED ? interrupted() : errno;
	if (err_fd >= 0)
		gd_dup2(err_fd, 2);	/* -o took stderr: the message is the caller's */
	return start_failed(s, step, e);
}

/* Parse, find PROG, open its files: everything that may fail before the fork. */
static void prepare_start(struct start *s, char **argv)
{
	int i;

	s->k.pidfile = s->ready = s->p.dir = s->p.logfile = s->p.out[0] = s->p.out[1] = -1;
	s->o.attrs = &s->p.attrs;
	i = parse_opts(argv, OPTS_START, &s->o);
	if (!argv[i])
		bad_usage("start needs PROG");
	s->p.opt = s->o.opt;
	s->p.name = argv[i];
	s->k.prog = &s->p;
	s->k.path = s->o.arg[OPTBIT_PIDFILE];
	s->k.watch = s->o.arg[OPTBIT_WATCH];
	s->p.argv = argv + i;
	if (s->o.opt & OPT_NAME)
		s->p.argv[0] = s->o.arg[OPTBIT_NAME];
	check_options(s);
	s->p.envp = environ;
	if (ENABLE_FEATURE_GODAEMON_ATTRS) {
		s->p.envp = attrs_environ(&s->p.attrs, environ);
		if (!s->p.envp)
			bad_usage("environment too big for -e");
	}
	if (find_prog(&s->p) < 0)
		gd_exit(start_failed(s, STEP_EXEC, errno));	/* nothing claimed yet */
	if (s->o.opt & OPT_USER)
		resolve_user(&s->p, s->o.arg[OPTBIT_USER]);
	open_files(s);
}

int start_main(char **argv)
{
	/*
	 * Static, so zeroed by exec, and out of the stack: the keeper is forked
	 * from here, and each page of the stack start has touched would stay
	 * resident in it (4 KiB more). Only the pages written are in memory:
	 * the small fields first, then p's buffers, of which few bytes are
	 * used (the end of its attrs.envp[], the start of its path[]).
	 * start_main() runs once per process.
	 */
	static struct start s;
	int report, step, value = 0;

	catch_interrupts();
	prepare_start(&s, argv);
	if (s.o.opt & OPT_PIDFILE)
		claim_pidfile(&s);
	if (interrupted())
		return start_failed(&s, STEP_INTERRUPTED, interrupted());
	if (ENABLE_FEATURE_GODAEMON_FOREGROUND && (s.o.opt & OPT_FOREGROUND)) {
		if (!(s.o.opt & OPTS_KEEPER))
			return exec_in_place(&s);
		/* This process is the keeper, under the supervisor's PID. */
		s.k.report = -1;
		step = run_keeper(&s.k);
		return start_failed(&s, step, errno);
	}
	report = spawn_keeper(&s);
	if (report < 0)
		return start_failed(&s, 0, errno);
	if (s.o.opt & OPT_READY)
		close(s.p.inherit[s.p.ninherit - 1]);	/* PROG has the write end now */
	step = await_keeper(&s, report, &value);
	if (step) {
		stop_keeper(&s, report);
		return start_failed(&s, step, value);
	}
	if (s.k.pidfile >= 0)
		gd_pidfile_unclaim(s.k.pidfile);
	return EXIT_OK;
}

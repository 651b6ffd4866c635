/*
 * godaemon_keeper.c - the keeper: the small resident process that start
 * leaves whenever there is something to keep (SPEC.md, "the keeper").
 *
 * It is the first child of start, which no longer exits: the session leader
 * (stdio on /dev/null, cwd /), PROG's parent and child subreaper. It holds
 * the pidfile's owner lock (byte 1) and the keeper lock (byte 2) for PROG's
 * whole life and writes PROG's PID into the file. Only a parent cannot be
 * wrong about its child: until the keeper reaps PROG, PROG's PID is PROG's,
 * so the keeper alone signals it, with plain kill(). PROG inherits nothing
 * of ours, so it may close or reuse any descriptor, fork or clone.
 *
 * While PROG runs the keeper is blocked in one poll() with no timeout: a
 * signalfd (SIGCHLD, stop's and signal's commands, the signals it forwards)
 * and, with -l, PROG's output. It is a loop over a few named actions, as
 * s6-supervise and runit's runsv are:
 *
 *   reap()          a child exited: PROG, or something PROG left behind
 *   begin_stop()    stop's command, SIGTERM or SIGINT: signal PROG
 *   escalate()      -t passed: SIGKILL to PROG and all it left
 *   end_leftovers() PROG is gone: every process it left is ended
 *   finish()        nothing is left: remove the pidfile (stop) and exit
 *
 * Without anything to keep (no -p, -B, -W, -l), the same process runs PROG
 * and reports, then exits as soon as start has its answer: the classic
 * fork, setsid, fork, with start told the truth.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "godaemon_applet.h"

#define KILL_WAIT_MS	5000	/* after SIGKILL, how long the keeper waits for the rest */
#define WATCH_SLICE_MS	20	/* -W: how often PROG's own pidfile is read while starting */
#define RESPAWN_DELAY_MAX 60	/* -r: the longest delay, in seconds */
#define RESPAWN_RESET_SECS 60	/* -r: a run longer than this starts the delays again */

/* Signals the keeper reads from its signalfd; every other one stays blocked. */
#define KEEPER_SIGS (GD_SIGBIT(SIGCHLD) | GD_SIGBIT(SIGTERM) | GD_SIGBIT(SIGINT) \
	| GD_SIGBIT(SIGHUP) | GD_SIGBIT(SIGQUIT) | GD_SIGBIT(SIGUSR1) | GD_SIGBIT(SIGUSR2) \
	| GD_SIGBIT(SIGALRM))

enum { PFD_SIG, PFD_REPORT, PFD_OUT, PFD_ERR, PFD_N };

struct keeper {
	const struct keeper_args *a;
	struct pollfd pfd[PFD_N];
	pid_t main;		/* PROG, or with -B the process it left; 0 when gone */
	int status;		/* main's wait status, once it exited */
	int settled;		/* -B: the foreground exited and the daemon is known */
	int stopping;		/* a stop is under way */
	int killed;		/* SIGKILL was sent */
	int remove;		/* remove the pidfile at the end (stop), else leave it */
	unsigned long deadline;	/* gd_now_ms() of the next escalation, or 0 */
	unsigned long started;	/* -r: gd_now_ms() of PROG's last start */
	unsigned long restart_at; /* -r: gd_now_ms() of the next start, or 0 */
	unsigned delay;		/* -r: the last delay, in seconds */
	unsigned failures;	/* -r: failures in a row */
	int sock;		/* -l: the /dev/log socket */
	struct logstream ls[2];	/* -l: PROG's stdout and stderr */
	const char *tag;	/* -l: syslog's TAG */
};

/* Let PROG inherit fd. */
static int inherit(int fd)
{
	return gd_fcntl(fd, F_SETFD, 0);
}

int prepare_prog(const struct prog *p)
{
	int i;

	for (i = 0; i < p->ninherit; i++)
		if (inherit(p->inherit[i]) < 0)
			return STEP_KEEP;
	if (p->dir >= 0 ? syscall(SYS_fchdir, p->dir) < 0 : chdir("/") < 0)
		return STEP_DIR;
	umask(p->umask);
	/* Limits and nice as root still; -C's capabilities kept across the setuid. */
	if (ENABLE_FEATURE_GODAEMON_ATTRS
	    && attrs_apply_before_user(&p->attrs, &i) < 0)
		return STEP_ATTRS + i;
	if (ENABLE_FEATURE_GODAEMON_USER && (p->opt & OPT_USER)
	    && (syscall(GD_SYS_SETGROUPS, p->ngroups, p->groups) < 0
		|| syscall(GD_SYS_SETGID, p->gid) < 0 || syscall(GD_SYS_SETUID, p->uid) < 0))
		return STEP_USER;
	/* Right after the user change: until then, -C holds all of root's permitted set. */
	if (ENABLE_FEATURE_GODAEMON_ATTRS
	    && attrs_apply_after_user(&p->attrs, &i) < 0)
		return STEP_ATTRS + i;
	if (ENABLE_FEATURE_GODAEMON_SYSLOG && p->out[0] >= 0
	    && (gd_dup2(p->out[0], 1) < 0 || gd_dup2(p->out[1], 2) < 0))
		return STEP_LOGGER;
	if (ENABLE_FEATURE_GODAEMON_LOGFILE && p->logfile >= 0
	    && (gd_dup2(p->logfile, 1) < 0 || gd_dup2(p->logfile, 2) < 0))
		return STEP_OUTPUT;
	return 0;
}

/*
 * Fork and exec PROG: its PID once exec succeeded (the close-on-exec pipe
 * closed without a word), or -1 with *step and errno. PROG gets default
 * signals and an empty mask; it is not a session leader.
 */
static pid_t spawn_prog(const struct prog *p, int *step)
{
	struct gd_report r;
	int fds[2];
	pid_t pid;
	ssize_t n;

	*step = GD_STEP_PIPE;
	if (gd_pipe(fds) < 0)
		return -1;
	pid = gd_raw_fork();
	if (pid == 0) {
		int s = prepare_prog(p);
		if (!s) {
			/* The keeper's dispositions are the defaults already: only the mask. */
			gd_sigset none = { { 0 } };
			gd_sigmask(SIG_SETMASK, &none, NULL);
			execve(p->path, p->argv, p->envp);
			s = STEP_EXEC;
		}
		gd_report(fds[1], s, errno);
		_exit(EXIT_FAILED);
	}
	close(fds[1]);
	*step = GD_STEP_FORK2;
	if (pid < 0) {
		gd_close(fds[0]);
		return -1;
	}
	n = gd_read(fds[0], &r, sizeof(r));
	close(fds[0]);
	if (n == 0)
		return pid;
	/* PROG's process failed before exec, and exits: reaped by the loop. */
	*step = n == (ssize_t)sizeof(r) ? r.step : GD_STEP_PIPE;
	errno = n == (ssize_t)sizeof(r) ? r.value : EIO;
	waitpid(pid, NULL, 0);
	return -1;
}

/* Tell start (still waiting) how it went; errors ignored: it may be gone. */
static void report(struct keeper *kp, int step, int value)
{
	if (kp->pfd[PFD_REPORT].fd >= 0)
		gd_report(kp->pfd[PFD_REPORT].fd, step, value);
}

/*
 * One line of the keeper's own, "godaemon: 'PROG' WHAT N TAIL", to PROG's
 * -o file or syslog (-l), else nowhere (SPEC.md: "stderr of nobody").
 */
static void keeper_line(struct keeper *kp, const char *what, int n, const char *tail)
{
	char line[TAG_MAX + 3 * 40 + GD_ULONG_DIGITS];
	const char *name = kp->a->prog->name;
	size_t len = 11, t = gd_strlen(name);

#if !ENABLE_FEATURE_GODAEMON_SYSLOG && !ENABLE_FEATURE_GODAEMON_LOGFILE
	return;	/* no -o, no -l: the line would go nowhere */
#endif
	if (t > TAG_MAX)
		t = TAG_MAX;
	memcpy(line, "godaemon: '", len);
	memcpy(line + len, name, t);
	len += t;
	line[len++] = '\'';
	line[len++] = ' ';
	len += (size_t)gd_strlcpy(line + len, what, 40);
	line[len++] = ' ';
	len += gd_utoa((unsigned long)n, line + len);
	len += (size_t)gd_strlcpy(line + len, tail, 40);
	line[len++] = '\n';
	if (ENABLE_FEATURE_GODAEMON_SYSLOG && kp->ls[1].fd >= 0)
		log_line(&kp->ls[1], &kp->sock, line, len - 1);
	else if (ENABLE_FEATURE_GODAEMON_LOGFILE && kp->a->prog->logfile >= 0)
		gd_write_all(kp->a->prog->logfile, line, len);
}

/* Why PROG ended, in PROG's output: the words of start's message (one copy of them, merged by the linker). */
static void say_exit(struct keeper *kp, int status)
{
	if (WIFSIGNALED(status))
		keeper_line(kp, "was killed by signal", WTERMSIG(status), "");
	else
		keeper_line(kp, "exited with status", WEXITSTATUS(status), "");
}

/*
 * Is pid a child of ours (P_PID), or have we any child at all (P_ALL), a
 * zombie included? waitid() answers without reaping (WNOWAIT) or waiting
 * (WNOHANG): 0 for a child that runs or has exited, ECHILD for any other
 * process. __WALL: also a child whose exit signal is not SIGCHLD.
 */
static int waitable(idtype_t type, pid_t pid)
{
	siginfo_t si;

	return syscall(SYS_waitid, type, pid, &si, WEXITED | WNOHANG | WNOWAIT | __WALL, NULL) == 0;
}

/*
 * Send sig to every child of ours: what PROG left behind (we are their
 * subreaper) and PROG itself. They are our unreaped children, so their PIDs
 * are theirs. Found in /proc, each PID that waitid() says is our child (the
 * kernel's /proc/PID/task/TID/children needs CONFIG_PROC_CHILDREN, which
 * routers often lack; the parent in /proc/PID/stat costs an open and a
 * parse a process). sig 0 only looks. Returns how many there are, and the first
 * one found in *first.
 */
static int children(int sig, pid_t *first)
{
	long buf[512 / sizeof(long)];	/* struct linux_dirent64 records, 8-byte aligned */
	int dir = gd_open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0), found = 0;
	long n, off;

	*first = 0;
	if (dir < 0)
		return 0;
	while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n; off += *(unsigned short *)((char *)buf + off + 16)) {
			const char *name = (char *)buf + off + 19;	/* d_reclen at 16, d_name at 19 */
			unsigned long pid;

			if (gd_parse_ulong(name, 10, INT_MAX, &pid) < 0 || !waitable(P_PID, (pid_t)pid))
				continue;
			if (!found++)
				*first = (pid_t)pid;
			if (sig)
				kill((pid_t)pid, sig);
		}
	}
	close(dir);
	return found;
}

/*
 * PROG (or the daemon it left) is pid: the pidfile says so, and syslog's
 * lines carry that PID. 0, or -1 and errno when the pidfile cannot say it.
 */
static int set_main(struct keeper *kp, pid_t pid)
{
	int fds[2] = { kp->pfd[PFD_OUT].fd, kp->pfd[PFD_ERR].fd };

	kp->main = pid;
	if (ENABLE_FEATURE_GODAEMON_SYSLOG && kp->tag)
		log_open(kp->ls, fds, kp->tag, pid);
	return kp->a->pidfile >= 0 ? gd_pidfile_write(kp->a->pidfile, pid) : 0;
}

/* -l: what PROG wrote last, a line without its newline included. */
static void log_flush(struct keeper *kp)
{
	int i;

	if (!ENABLE_FEATURE_GODAEMON_SYSLOG)
		return;
	while ((log_read(&kp->ls[0], &kp->sock) > 0) + (log_read(&kp->ls[1], &kp->sock) > 0))
		continue;
	for (i = 0; i < 2; i++) {
		log_line(&kp->ls[i], &kp->sock, kp->ls[i].buf, kp->ls[i].len);
		kp->ls[i].len = 0;
	}
}

void pidfile_mark(int fd, int dead)
{
	struct stat st;
	mode_t mode;

	if (!ENABLE_FEATURE_GODAEMON_SSD || gd_fstat(fd, &st) < 0)
		return;
	mode = (st.st_mode & 07777 & ~S_ISVTX) | (dead ? S_ISVTX : 0);
	/* Not marked: the front end trusts the file as dpkg would. Nothing worse. */
	if (mode != (st.st_mode & 07777))
		(void)syscall(SYS_fchmod, fd, mode);
}

/* The whole stop is over: the pidfile goes (a stop), or stays unlocked (PROG ended). */
static void __attribute__((noreturn)) finish(struct keeper *kp)
{
	int st = kp->status;

	log_flush(kp);
	if (kp->remove && kp->a->path) {
		/*
		 * Our descriptor goes first: closing any descriptor of the file
		 * drops our locks, and gd_pidfile_remove() opens one of its own.
		 */
		close(kp->a->pidfile);
		gd_pidfile_remove(kp->a->path);
	} else if (kp->a->pidfile >= 0) {
		pidfile_mark(kp->a->pidfile, 1);	/* PROG ended: its PID is free */
	}
	_exit(WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
}

/* Stop PROG with sig, SIGKILL after secs; then what it left is ended too. */
static void begin_stop(struct keeper *kp, int sig, unsigned secs)
{
	if (!kp->stopping)
		kp->deadline = gd_now_ms() + 1000UL * secs;
	kp->stopping = 1;
	if (kp->main > 0)
		kill(kp->main, sig);
}

/* -t passed: SIGKILL to PROG and every process it left, then a last wait. */
static void escalate(struct keeper *kp)
{
	pid_t first;

	if (kp->killed)
		finish(kp);	/* unkillable (D state): we leave it to init */
	kp->killed = 1;
	if (kp->main > 0)
		kill(kp->main, SIGKILL);
	children(SIGKILL, &first);
	kp->deadline = gd_now_ms() + KILL_WAIT_MS;
}

/*
 * PROG is gone and a stop is under way: end what it left; nothing left:
 * finish. Mostly nothing is left, which waitid() tells without reading /proc.
 */
static void end_leftovers(struct keeper *kp)
{
	pid_t first;

	if (!waitable(P_ALL, 0) || !children(kp->killed ? SIGKILL : SIGTERM, &first))
		finish(kp);
}

/*
 * -W FILE: the PID that PROG's own pidfile names, or -1. Its owner may be
 * PROG's user (-u): what makes the PID trusted is that it is our child.
 */
static pid_t read_watched(const char *path)
{
	char buf[24];
	int fd = gd_open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = gd_read(fd, buf, sizeof(buf));
	close(fd);
	return n > 0 ? gd_parse_pid(buf, (size_t)n) : -1;
}

/*
 * -B: the foreground process exited 0. The daemon is the process that FILE
 * (-W) names once it appears, which must be a child of ours by then (its
 * parent exited: we are its subreaper), or else the process PROG left.
 * Waited for in slices, bounded by -T: only while starting.
 */
static pid_t find_daemon(struct keeper *kp, int *step)
{
	unsigned long t0 = gd_now_ms(), ms = 1000UL * kp->a->ready_secs;
	pid_t pid, first;

	*step = STEP_NOT_WATCHED;
	do {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			continue;	/* the intermediate processes of its double fork */
		if (!kp->a->watch) {
			*step = STEP_LEFT_NOTHING;
			return children(0, &first) ? first : 0;
		}
		pid = read_watched(kp->a->watch);
		if (pid > 0 && waitable(P_PID, pid))
			return pid;
		/* PROG left no process: none will ever write FILE. */
		if (!waitable(P_ALL, 0)) {
			*step = STEP_LEFT_NOTHING;
			return 0;
		}
	} while (poll(NULL, 0, WATCH_SLICE_MS) >= 0 && gd_now_ms() - t0 < ms);
	return 0;
}

/*
 * -r: PROG failed (non-zero exit or a signal; exit 0 means done). Start it
 * again after a delay that doubles from 1 s up to 60 s while PROG keeps
 * failing within 60 s of its start, and starts at 1 s again after a longer
 * run; give up after -R failures in a row. Returns 1 when a start is due.
 * Meanwhile the pidfile is empty: it names no process, and status says
 * "Restarting.".
 */
static int schedule_restart(struct keeper *kp, int st)
{
	unsigned long now = gd_now_ms();

	if (!ENABLE_FEATURE_GODAEMON_RESPAWN || !(kp->a->prog->opt & OPT_RESPAWN) || st == 0)
		return 0;
	if (now - kp->started > 1000UL * RESPAWN_RESET_SECS)
		kp->failures = kp->delay = 0;
	if (++kp->failures == kp->a->respawn_max) {
		keeper_line(kp, "failed", (int)kp->failures, " times in a row: given up");
		return 0;
	}
	kp->delay = !kp->delay ? 1 : kp->delay >= RESPAWN_DELAY_MAX / 2 ? RESPAWN_DELAY_MAX
		: kp->delay * 2;
	kp->restart_at = now + 1000UL * kp->delay;
	keeper_line(kp, "restarts in", (int)kp->delay, " s");
	if (kp->a->pidfile >= 0)
		gd_pidfile_write(kp->a->pidfile, 0);
	return 1;
}

/* main exited with status st (reaped already); during a stop, that was expected. */
static void main_exited(struct keeper *kp, int st)
{
	pid_t first;
	int step = STEP_EXITED, value = st;	/* start still waiting: -N */

	kp->main = 0;
	kp->status = st;
	log_flush(kp);
	if (kp->stopping)
		return;
	if (ENABLE_FEATURE_GODAEMON_BACKGROUND && !kp->settled) {
		kp->settled = 1;
		step = STEP_FOREGROUND;
		if (st == 0) {
			first = find_daemon(kp, &step);
			if (first > 0 && set_main(kp, first) == 0) {
				report(kp, GD_STEP_PID, first);
				return;
			}
			if (first > 0) {
				step = STEP_PIDFILE;
				value = errno;
			}
			st = 1 << 8;	/* counts as a failure */
		}
	} else if (ENABLE_FEATURE_GODAEMON_BACKGROUND && (kp->a->prog->opt & OPT_BACKGROUND)
		   && st == 0 && children(0, &first)) {
		/* -B: a daemon whose own double fork we followed at its middle. */
		(void)set_main(kp, first);	/* the file holds bytes already: no ENOSPC now */
		return;
	}
	say_exit(kp, st);
	report(kp, step, value);
	if (!schedule_restart(kp, st))
		begin_stop(kp, SIGTERM, STOP_SECS);	/* what it left, if anything */
}

/*
 * Run PROG (again, with -r) and name it in the pidfile: 0, or the failed
 * step with errno, and then no PROG.
 */
static int run_prog(struct keeper *kp)
{
	pid_t pid;
	int step;

	if (ENABLE_FEATURE_GODAEMON_RESPAWN)
		kp->started = gd_now_ms();	/* only -r reads it */
	kp->settled = !(kp->a->prog->opt & (OPT_BACKGROUND | OPT_WATCH));
	pid = spawn_prog(kp->a->prog, &step);
	if (pid < 0)
		return step;
	if (set_main(kp, pid) < 0) {
		step = errno;
		kill(pid, SIGKILL);	/* our unreaped child, which the pidfile cannot name */
		waitpid(pid, NULL, 0);
		kp->main = 0;
		errno = step;
		return STEP_PIDFILE;
	}
	return 0;
}

/* -r: the delay is over: PROG again (with -B, its foreground again). */
static void restart(struct keeper *kp)
{
	int step;

	kp->restart_at = 0;
	step = run_prog(kp);
	if (!step) {
		keeper_line(kp, "restarted as PID", kp->main, "");
		return;
	}
	keeper_line(kp, "could not be restarted: step", step, "");
	if (!schedule_restart(kp, 1 << 8))
		begin_stop(kp, SIGTERM, STOP_SECS);
}

/* Reap every child that exited; PROG's exit is acted on. */
static void reap(struct keeper *kp)
{
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		if (pid == kp->main)
			main_exited(kp, st);
}

/* Act on each signal read from the signalfd. */
static void read_signals(struct keeper *kp)
{
	struct signalfd_siginfo si;

	while (gd_read(kp->pfd[PFD_SIG].fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		int sig = (int)si.ssi_signo, v = si.ssi_int;

		if (sig == SIGCHLD) {
			reap(kp);
		} else if (sig == GD_SIG_COMMAND) {
			if (si.ssi_code != SI_QUEUE || !CMD_SIG(v) || CMD_SIG(v) >= _NSIG)
				continue;
			if (CMD_OP(v) == CMD_STOP) {
				kp->remove = 1;
				begin_stop(kp, CMD_SIG(v), CMD_SECS(v));
			} else if (kp->main > 0) {
				kill(kp->main, CMD_SIG(v));
			}
		} else if (sig == SIGTERM || sig == SIGINT) {
			kp->remove = 1;
			begin_stop(kp, sig, STOP_SECS);
		} else if (kp->main > 0) {
			kill(kp->main, sig);	/* HUP, QUIT, USR1, USR2, ALRM: PROG's */
		}
	}
}

/* The loop: one poll() with no timeout while PROG runs. */
static void __attribute__((noreturn)) keeper_loop(struct keeper *kp, int transient)
{
	for (;;) {
		long t = -1;
		int i;

		if (kp->deadline) {
			t = (long)(kp->deadline - gd_now_ms());
			if (t <= 0 || t > INT_MAX) {
				escalate(kp);
				continue;
			}
		}
		if (ENABLE_FEATURE_GODAEMON_RESPAWN && kp->restart_at && !kp->stopping) {
			long r = (long)(kp->restart_at - gd_now_ms());
			if (r <= 0 || r > INT_MAX) {
				restart(kp);
				continue;
			}
			t = r;
		}
		if (poll(kp->pfd, PFD_N, (int)t) < 0)
			continue;	/* EINTR only: every signal is blocked */
		for (i = PFD_OUT; ENABLE_FEATURE_GODAEMON_SYSLOG && i <= PFD_ERR; i++)
			if (kp->pfd[i].revents && log_read(&kp->ls[i - PFD_OUT], &kp->sock) < 0)
				kp->pfd[i].fd = -1;
		/* start has its answer and is gone (POLLERR on our write end). */
		if (kp->pfd[PFD_REPORT].revents) {
			if (transient)
				_exit(0);
			close(kp->pfd[PFD_REPORT].fd);
			kp->pfd[PFD_REPORT].fd = -1;
		}
		if (kp->pfd[PFD_SIG].revents)
			read_signals(kp);
		if (kp->stopping && kp->main <= 0)
			end_leftovers(kp);
	}
}

/*
 * Close every descriptor but PROG's (-k, -N), the keeper's own and those of
 * -d and -o: PROG inherits nothing else (SPEC.md). Kept ones are made
 * close-on-exec; prepare_prog() opens PROG's to it again.
 */
static int close_others(const struct keeper_args *a)
{
	int files[KEEP_MAX + 1 + 4];
	struct gd_attr keep = { .files = files };
	const struct prog *p = a->prog;
	int i, n;
	const int ours[3] = { a->pidfile, p->dir, p->logfile };

	for (i = 0; i < p->ninherit; i++)
		files[i] = p->inherit[i];
	for (n = 0; n < 3; n++)
		if (ours[n] >= 0)
			files[i++] = ours[n];
	keep.nfiles = (size_t)i;
	return gd_keep_only(&keep, a->report);
}

/*
 * Become the keeper: the session leader with stdio on /dev/null and cwd /,
 * only our own descriptors open (-f: nothing detaches, the supervisor's
 * stdio stays). Signals: default dispositions (a caller's SIG_IGN of
 * SIGCHLD would hide PROG's status), all blocked, ours read from a signalfd.
 */
static int keeper_setup(struct keeper *kp)
{
	const struct keeper_args *a = kp->a;
	gd_sigset mine = { { KEEPER_SIGS } };

	if (close_others(a) < 0)
		return GD_STEP_FILES;
	mine.w[(GD_SIG_COMMAND - 1) / (8 * sizeof(long))] |= 1UL << (GD_SIG_COMMAND - 1) % (8 * sizeof(long));
	gd_default_signals();
	if (!(a->prog->opt & OPT_FOREGROUND)) {
		int step = syscall(SYS_setsid) < 0 ? GD_STEP_SETSID : gd_detach_stdio();
		if (step != GD_STEP_NONE)
			return step;
	}
	if (a->pidfile >= 0 && gd_pidfile_keep(a->pidfile) < 0)
		return STEP_PIDFILE;
	/*
	 * What PROG leaves behind becomes our child: nothing escapes a stop.
	 * Kernels before 3.4 (and qemu-user) have no subreaper: the keeper
	 * still holds the pidfile and signals PROG, but what PROG leaves goes
	 * to init, so -B and -W, which follow it, cannot work.
	 */
	if (syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) < 0
	    && (errno != EINVAL || (a->prog->opt & (OPT_BACKGROUND | OPT_WATCH))))
		return STEP_SUBREAPER;
	kp->pfd[PFD_SIG].fd = (int)syscall(SYS_signalfd4, -1, &mine, _NSIG / 8,
					  SFD_CLOEXEC | SFD_NONBLOCK);
	return kp->pfd[PFD_SIG].fd < 0 ? GD_STEP_SIGNALS : 0;
}

/* -l: PROG's stdout and stderr are pipes to us. */
static int open_log(struct keeper *kp, struct prog *p)
{
	int out[2], err[2];
	const char *tag = (p->opt & OPT_NAME) ? p->argv[0] : p->name, *s;

	if (gd_pipe(out) < 0 || gd_pipe(err) < 0)
		return -1;
	for (s = tag; *s; s++)	/* the base name: strrchr() without musl's memrchr() */
		if (*s == '/' && s[1])
			tag = s + 1;
	/* Ours do not block: the keeper reads what is there and polls again. */
	if (gd_fcntl(out[0], F_SETFL, O_NONBLOCK) < 0 || gd_fcntl(err[0], F_SETFL, O_NONBLOCK) < 0)
		return -1;
	p->out[0] = out[1];
	p->out[1] = err[1];
	kp->pfd[PFD_OUT].fd = out[0];
	kp->pfd[PFD_ERR].fd = err[0];
	kp->tag = tag;
	return 0;
}

int run_keeper(const struct keeper_args *a)
{
	struct keeper kp;
	gd_sigset all;
	int step;

	memset(&kp, 0, sizeof(kp));
	memset(&all, 0xff, sizeof(all));
	gd_sigmask(SIG_BLOCK, &all, NULL);
	kp.a = a;
	kp.sock = kp.ls[0].fd = kp.ls[1].fd = -1;
	kp.pfd[PFD_REPORT].fd = a->report;	/* events 0: POLLERR once start closed its end */
	kp.pfd[PFD_SIG].events = kp.pfd[PFD_OUT].events = kp.pfd[PFD_ERR].events = POLLIN;
	kp.pfd[PFD_OUT].fd = kp.pfd[PFD_ERR].fd = -1;
	step = keeper_setup(&kp);
	if (!step && ENABLE_FEATURE_GODAEMON_SYSLOG && (a->prog->opt & OPT_SYSLOG)
	    && open_log(&kp, a->prog) < 0)
		step = STEP_LOGGER;
	if (!step)
		step = run_prog(&kp);
	if (step)
		return step;
	/* -N's write end is PROG's: start waits for the first run only. */
	if (a->prog->opt & OPT_READY)
		close(a->prog->inherit[--a->prog->ninherit]);
	if (kp.settled)
		report(&kp, GD_STEP_PID, kp.main);
	if (a->report < 0 && a->pidfile >= 0)
		gd_pidfile_unclaim(a->pidfile);	/* -f: we are the starter too */
	keeper_loop(&kp, !(a->prog->opt & OPTS_KEEPER));
}

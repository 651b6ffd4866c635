/*
 * gd_spawn.c - fork staging: parent, first child, daemon; and the daemon's
 * own set-up, which re-exec staging (gd_reexec.c) shares.
 *
 * Why two forks: the first child calls setsid() to leave the caller's session
 * and terminal; being a session leader it could acquire a new controlling
 * terminal by opening one, so it forks again and exits. The daemon, its child,
 * is in the new session but not its leader, and can never get a terminal.
 *
 * Why a pipe: the caller must not exit 0 for a daemon that never came to be.
 * Each stage writes a failure as a struct gd_report into a close-on-exec pipe
 * and exits; the first child writes the daemon's PID. The caller reads until
 * every write end is closed: by the daemon once it is set up, or by exec.
 *
 * Between fork and exit or return only async-signal-safe calls are made, so
 * fork mode is safe in any single-threaded program; programs that already run
 * threads want GD_REEXEC.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_spawn.o

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gd_internal.h"

static enum gd_stage current_stage;

void gd_set_stage(enum gd_stage stage)
{
	current_stage = stage;
}

enum gd_stage gd_current_stage(void)
{
	return current_stage;
}

static __attribute__((noinline)) long ksigaction(int sig, const unsigned long *act, unsigned long *old)
{
	return syscall(SYS_rt_sigaction, sig, act, old, _NSIG / 8);
}

int gd_sig_ignored(int sig)
{
	unsigned long k[8];

	return ksigaction(sig, NULL, k) == 0 && k[GD_KSA_HANDLER] == (unsigned long)SIG_IGN;
}

void gd_reset_signals(void)
{
	gd_sigset none = { { 0 } };

	gd_default_signals();
	gd_sigmask(SIG_SETMASK, &none, NULL);
}

void gd_default_signals(void)
{
	unsigned long dfl[8] = { 0 };
	int sig;

	/*
	 * A zeroed kernel sigaction is SIG_DFL on every architecture, and
	 * needs no restorer. Fails harmlessly for SIGKILL and SIGSTOP. libc's
	 * reserved signals (32-34 in musl) are reset only when ignored: a
	 * handler there is libc's own, but a caller may have them ignored
	 * (GNU make starts its children so), and SIG_IGN would reach every
	 * program the daemon execs.
	 */
	for (sig = 1; sig < _NSIG; sig++) {
		if (sig >= 32 && sig < SIGRTMIN && !gd_sig_ignored(sig))
			continue;
		ksigaction(sig, dfl, NULL);
	}
}

int gd_detach_stdio(void)
{
	int null, fd;

	null = gd_open("/dev/null", O_RDWR, 0);
	if (null < 0)
		return GD_STEP_STDIO;
	for (fd = 0; fd <= 2; fd++)	/* dup2 onto itself does nothing */
		if (gd_dup2(null, fd) < 0)
			return GD_STEP_STDIO;
	if (null > 2)
		close(null);
	return chdir("/") < 0 ? GD_STEP_CHDIR : GD_STEP_NONE;
}

int gd_become_daemon(const struct gd_attr *attr, int report)
{
	int r;

	gd_set_stage(GD_STAGE_DAEMON);
	if (gd_keep_only(attr, report) < 0)
		return GD_STEP_FILES;
	r = gd_detach_stdio();
	if (r != GD_STEP_NONE)
		return r;
	if (!(attr->flags & GD_KEEP_UMASK))
		umask(0);
	gd_reset_signals();
	return GD_STEP_NONE;
}

pid_t gd_spawn_with(const struct gd_attr *attr, int *report, int *step, pid_t (*fork_fn)(void))
{
	gd_sigset all, old;
	int fds[2], i, e;
	pid_t pid;

	*step = GD_STEP_PIPE;
	if (gd_pipe(fds) < 0)
		return -1;
	/*
	 * All signals stay blocked across the forks, so that no handler of the
	 * caller's runs in a child; each child resets them before unblocking.
	 */
	memset(&all, 0xff, sizeof(all));
	gd_sigmask(SIG_BLOCK, &all, &old);
	pid = fork_fn();
	if (pid == 0) {
		close(fds[0]);
		gd_set_stage(GD_STAGE_CHILD);
		if (syscall(SYS_setsid) < 0) {	/* libc's setsid() is this call */
			i = GD_STEP_SETSID;
		} else if ((pid = fork_fn()) < 0) {
			i = GD_STEP_FORK2;
		} else if (pid > 0) {
			/* _exit: the caller's atexit handlers and stdio are not ours to run. */
			gd_report(fds[1], GD_STEP_PID, (int)pid);
			_exit(0);
		} else if ((i = gd_become_daemon(attr, fds[1])) == GD_STEP_NONE) {
			*report = fds[1];
			return 0;
		}
		gd_report(fds[1], i, errno);
		_exit(1);
	}
	e = errno;
	gd_sigmask(SIG_SETMASK, &old, NULL);
	close(fds[1]);
	if (pid < 0) {
		gd_close(fds[0]);
		errno = e;
		*step = GD_STEP_FORK1;
		return -1;
	}
	{
		struct gd_report r = { GD_STEP_NONE, ECHILD };
		ssize_t n = gd_read(fds[0], &r, sizeof(r));
		int status;

		e = errno;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			continue;
		if (n == (ssize_t)sizeof(r) && r.step == GD_STEP_PID) {
			*report = fds[0];
			return r.value;
		}
		gd_close(fds[0]);
		if (n < 0) {
			errno = e;
			*step = GD_STEP_PIPE;
		} else {
			/* EOF without a PID: the first child died. */
			errno = r.value ? r.value : ECHILD;
			*step = r.step ? r.step : GD_STEP_FORK1;
		}
		return -1;
	}
}

pid_t gd_spawn(const struct gd_attr *attr, int *report, int *step)
{
	struct gd_attr none;	/* on the stack: 40 bytes of zeros cost more than clearing them */
	size_t i;

	if (!attr) {
		memset(&none, 0, sizeof(none));
		attr = &none;
	}
	/* A closed descriptor is told before anything forks. */
	*step = GD_STEP_FILES;
	for (i = 0; i < attr->nfiles; i++)
		if (gd_fcntl(attr->files[i], F_GETFD, 0) < 0)
			return -1;
	return gd_spawn_with(attr, report, step, fork);
}

int gd_spawn_wait(int report, int *step)
{
	struct gd_report r;
	ssize_t n = gd_read(report, &r, sizeof(r));

	gd_close(report);	/* keeps errno */
	if (n == 0)
		return 0;
	*step = GD_STEP_PIPE;
	if (n == (ssize_t)sizeof(r)) {
		*step = r.step;
		errno = r.value;
	} else if (n > 0) {
		errno = EPROTO;
	}
	return -1;
}

/*
 * gd_pidstop.c - KillPID, StatusPID and a stop that waits.
 *
 * A signal goes only to the process that holds the pidfile's owner lock, and
 * only when the file names that same PID. The check and the signal are tied
 * together with a pidfd where the kernel has one (Linux >= 5.3): the pidfd is
 * opened first, the owner checked after, so the pidfd cannot name a process
 * that took the PID later; the signal then goes through the pidfd.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_pidstop.o

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gd_internal.h"

/* How long a SIGKILLed process may take to be gone before stop gives up. */
#define GD_KILL_WAIT_MS 5000

int gd_pid_alive(pid_t pid)
{
	return pid > 1 && (kill(pid, 0) == 0 || errno == EPERM);
}

/* Who holds fd's lock at byte: 1 the owner, 2 the keeper. */
static int holder_of(int fd, int byte, pid_t *holder)
{
	struct gd_pidstate st;

	if (gd_pidfile_inspect(fd, &st) < 0)
		return -1;
	*holder = byte == 2 ? st.keeper : st.owner;
	return 0;
}

static int owner_of(int fd, pid_t *owner)
{
	return holder_of(fd, 1, owner);
}

int gd_signal_owner(int fd, int byte, pid_t pid, int sig, const siginfo_t *info, int *pidfd)
{
	pid_t owner;
	int by_fd;

	if (pid <= 1)		/* never 0, 1 or a group */
		goto gone;
	if (*pidfd < 0) {
		*pidfd = gd_pidfd_open(pid);
		if (*pidfd < 0 && errno != ENOSYS)
			return -1;	/* ESRCH: gone already */
	}
	if (holder_of(fd, byte, &owner) < 0)
		return -1;
	if (owner != pid)
		goto gone;
	/*
	 * pidfd_send_signal(pidfd, sig, info, 0); without a pidfd,
	 * rt_sigqueueinfo(pid, sig, info), or kill(pid, sig).
	 */
	by_fd = *pidfd >= 0;
	if (by_fd && syscall(GD_SYS_PIDFD_SEND_SIGNAL, *pidfd, sig, info, 0) == 0)
		return 0;
	/*
	 * qemu-user passes a queued signal's number converted but not the one
	 * inside info, which pidfd_send_signal() then refuses (EINVAL);
	 * rt_sigqueueinfo() sets it from its argument. By PID, just after the
	 * owner check, as on kernels without pidfds.
	 */
	if (by_fd && !(info && errno == EINVAL))
		return -1;
	return (int)syscall(info ? SYS_rt_sigqueueinfo : SYS_kill, pid, sig, info);
 gone:
	errno = ESRCH;
	return -1;
}

int gd_wait_gone(int fd, pid_t pid, int pidfd, unsigned ms)
{
	unsigned long start = gd_now_ms(), waited;
	unsigned step = 1;
	pid_t owner;
	int t, r;

	for (;;) {
		/* A pidfd polls readable once the process has exited. */
		struct pollfd p = { .fd = pidfd, .events = POLLIN };

		waited = gd_now_ms() - start;
		t = waited >= ms ? 0 : (int)(ms - waited);
		if (pidfd < 0) {
			/* The kernel drops the owner lock as the process exits. */
			if (owner_of(fd, &owner) < 0)
				return -1;
			if (owner != pid)
				return 0;
			if (!t)
				break;
			t = (int)step;	/* poll() of nothing: a sleep that links nothing more */
			if (step < 64)
				step *= 2;
		}
		r = poll(&p, pidfd >= 0, t);
		if (pidfd < 0)
			continue;
		if (r > 0)
			return 0;
		if (r == 0)
			break;
		if (errno != EINTR)
			pidfd = -1;	/* fall back to watching the lock */
	}
	errno = ETIMEDOUT;
	return -1;
}

static int open_pidfile(const char *path, int *own)
{
	int fd;

	/* Signalling needs no write access: a read-only pidfile's daemon can still be stopped. */
	fd = gd_pidfile_get(path, GD_PF_WRITE, own);
	if (fd < 0 && (errno == EACCES || errno == EROFS))
		fd = gd_pidfile_get(path, GD_PF_READ, own);
	return fd;
}

/*
 * Remove a pidfile nobody owns any more. One we may not remove (read-only
 * filesystem, no write access) stays, stale, as every reader and every start
 * sees it: the stop itself is done.
 */
static int remove_stale(const char *path)
{
	if (gd_pidfile_remove(path) < 0 && errno != EBUSY && errno != ENOENT
	    && errno != EROFS && errno != EACCES)
		return -1;
	return 0;
}

int gd_stop_path(const char *path, int sig, unsigned timeout_ms)
{
	struct gd_pidstate st;
	int fd, own, pidfd = -1, r = -1, rm = 0;

	fd = open_pidfile(path, &own);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (gd_pidfile_inspect(fd, &st) < 0)
		goto out;
	if (st.pid < 0) {
		errno = st.err;
		goto out;
	}
	if (st.owner == 0) {
		/* Nobody owns it: stale (or a starter is mid-way, which remove leaves). */
		r = 0;
		goto removed;
	}
	if (st.owner != st.pid) {
		errno = st.owner < 0 ? EPERM : EBADMSG;
		goto out;
	}
	if (gd_signal_owner(fd, 1, st.pid, sig, NULL, &pidfd) < 0) {
		r = errno == ESRCH ? 0 : -1;	/* it died on its own meanwhile */
		goto removed;
	}
	if (gd_wait_gone(fd, st.pid, pidfd, timeout_ms) < 0) {
		if (errno != ETIMEDOUT)
			goto out;
		if (gd_signal_owner(fd, 1, st.pid, SIGKILL, NULL, &pidfd) < 0 && errno != ESRCH)
			goto out;
		if (gd_wait_gone(fd, st.pid, pidfd, GD_KILL_WAIT_MS) < 0)
			goto out;
	}
	r = 1;
 removed:
	rm = 1;
 out:
	/* Both keep errno. */
	if (pidfd >= 0)
		gd_close(pidfd);
	gd_pidfile_put(fd, own);
	if (rm && remove_stale(path) < 0)
		r = -1;
	return r;
}

int gd_stop_pid(const char *pidfile, int sig, unsigned timeout_ms)
{
	char name[PATH_MAX];
	const char *path = gd_pidfile_name(pidfile, name, sizeof(name));

	return path ? gd_stop_path(path, sig, timeout_ms) : -1;
}

bool gd_kill_pid(const char *pidfile)
{
	char name[PATH_MAX];
	struct gd_pidstate st;
	const char *path = gd_pidfile_name(pidfile, name, sizeof(name));
	int fd, own, pidfd = -1, r = -1;

	fd = path ? open_pidfile(path, &own) : -1;
	if (fd < 0)
		return false;
	if (gd_pidfile_inspect(fd, &st) == 0) {
		if (st.pid < 0)
			errno = st.err;
		else if (st.owner != st.pid)
			errno = ESRCH;
		else
			r = gd_signal_owner(fd, 1, st.pid, SIGTERM, NULL, &pidfd);
	}
	if (pidfd >= 0)
		gd_close(pidfd);
	gd_pidfile_put(fd, own);
	return r == 0;
}

/* One status line on stdout (fmt as gd_vsay() has it); returns ret. */
static int GD_NO_FP_ARGS __attribute__((format(printf, 2, 3))) say(int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	gd_vsay(1, "", fmt, ap, "");
	va_end(ap);
	return ret;
}

int gd_status_pid(const char *pidfile)
{
	char name[PATH_MAX];

	return gd_status_path(gd_pidfile_name(pidfile, name, sizeof(name)));
}

int gd_status_path(const char *path)
{
	struct gd_pidstate st;
	const char *why;
	int fd, own, r;

	if (!path) {
		path = "";
		goto error;
	}
	fd = gd_pidfile_get(path, GD_PF_READ, &own);
	if (fd < 0) {
		if (errno == ENOENT)
			return say(GD_LSB_STOPPED, "Stopped.\n");
		why = gd_pidfile_reason(errno);
		goto unknown;
	}
	r = gd_pidfile_inspect(fd, &st);
	gd_pidfile_put(fd, own);	/* keeps errno */
	if (r < 0)
		goto error;
	/* -r: between two runs its keeper empties the file. */
	if (st.pid < 0 && st.err == ENODATA && st.owner > 0 && st.owner == st.keeper && !st.claimed)
		return say(GD_LSB_RUNNING, "Restarting.\n");
	if (st.pid < 0) {
		why = st.claimed && st.err == ENODATA ? "empty, a start is under way"
			: gd_pidfile_reason(st.err);
		goto unknown;
	}
	/* A keeper holds both locks and names PROG; a daemon of the library names itself. */
	if (st.owner == st.pid || (st.owner > 0 && st.owner == st.keeper))
		return say(GD_LSB_RUNNING, "Running. PID: '%d'\n", st.pid);
	if (st.owner == 0 && !gd_pid_alive(st.pid))
		return say(GD_LSB_DEAD, "Stopped. But PIDFile '%s' is present with PID '%d'.\n", path, st.pid);
	if (st.owner == 0) {
		why = "nobody holds it, and the PID it names is alive";
		goto unknown;
	}
	why = st.owner < 0 ? "locked by a process that is not its daemon"
		: "locked by another process than the PID it names";
	goto unknown;
 error:
	why = gd_strerror(errno);
 unknown:
	return say(GD_LSB_UNKNOWN, "Unknown. PIDFile '%s' is unreadable: %s\n", path, why);
}

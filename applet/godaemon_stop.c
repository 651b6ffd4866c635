/*
 * godaemon_stop.c - stop, signal and status: they find the keeper as the
 * holder of the pidfile's locks and send it a command through a pidfd
 * (opened before the lock is checked again, so that it cannot name a process
 * that took the keeper's PID later). They never signal the PID written in
 * the file: the keeper, PROG's parent, does. A pidfile without a keeper is
 * stale: stop removes it when its PID is not alive, and otherwise signals
 * nothing (godaemon cannot tell its daemon from a reused PID).
 *
 * A pidfile locked by a program of the library (gd_persist_pid()) has no
 * keeper: the owner is the daemon itself and is signalled as the library's
 * gd_stop_pid() does.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "godaemon_applet.h"

#define KILL_WAIT_MS	5000	/* how long the keeper may take after its SIGKILL */
#define EMPTY_TRIES	50	/* an empty unlocked pidfile: looked at again, ... */
#define EMPTY_SLICE_MS	20	/* ... this often, before it is called bad contents */

/* -s TERM, -s SIGTERM, -s term or -s 15; dflt without -s (0: unknown is 0, not a usage error). */
int parse_signal(const char *arg, int dflt)
{
	int sig;

	if (!arg)
		return dflt;
	sig = get_signum(arg);
	if (sig > 0)
		return sig;
	if (dflt)
		bad_usage("unknown signal %s", arg);
	return 0;
}

/* stop, signal and status: options, then nothing but -p FILE. */
static const char *pidfile_cmd(char **argv, unsigned allowed, struct opts *o)
{
	int i;
	const char *path;

	memset(o, 0, sizeof(*o));
	i = parse_opts(argv, allowed, o);
	path = o->arg[OPTBIT_PIDFILE];
	if (argv[i])
		bad_usage("unexpected argument %s", argv[i]);
	if (!path || !*path)
		bad_usage("%s needs -p PIDFILE", argv[0]);
	return path;
}

/* Signalling needs no write access: a read-only pidfile's keeper can still be reached. */
static int open_pidfile(const char *path)
{
	int fd = gd_pidfile_open(path, GD_PF_WRITE);

	if (fd < 0 && (errno == EACCES || errno == EROFS))
		fd = gd_pidfile_open(path, GD_PF_READ);
	return fd;
}

/*
 * What path's pidfile says, once no start is under way: a start holds the
 * claim lock until its PROG runs, and we wait for it with a blocking read
 * lock on that byte (bounded by the start's own -T). A start that failed
 * removed the file: we look again. -1 and errno; ENOENT: no pidfile.
 */
static int inspect_settled(const char *path, struct gd_pidstate *st)
{
	struct flock lk = { .l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1 };
	int fd, tries;

	for (tries = 0; tries < 100; tries++) {
		fd = open_pidfile(path);
		if (fd < 0)
			return -1;
		if (gd_pidfile_inspect(fd, st) < 0) {
			gd_close(fd);
			return -1;
		}
		/*
		 * Empty and unlocked: a start between creating the file and
		 * claiming it, for an instant; told apart from a file left
		 * empty by waiting a little (bounded), unlocked.
		 */
		if (!st->claimed && !(st->owner == 0 && st->pid < 0 && st->err == ENODATA
				      && tries < EMPTY_TRIES))
			return fd;
		if (!st->claimed) {
			close(fd);
			poll(NULL, 0, EMPTY_SLICE_MS);
			continue;
		}
		while (gd_fcntl(fd, F_SETLKW, (long)&lk) < 0 && errno == EINTR)
			continue;
		close(fd);	/* our read lock goes with it */
	}
	errno = EAGAIN;
	return -1;
}

/* Tell why the pidfile is not trusted, exit 4. */
static void __attribute__((noreturn)) untrusted(const char *path, int err)
{
	die(EXIT_UNTRUSTED, "won't trust pidfile '%s': %s", path, gd_pidfile_reason(err));
}

/* -r: the keeper holds the file, emptied between two runs of PROG. */
static int restarting(const struct gd_pidstate *st)
{
	return st->pid < 0 && st->err == ENODATA && st->owner > 0 && st->owner == st->keeper;
}

/* Open and read path's pidfile for stop or signal: its fd, or exit; -1: no pidfile. */
static int settled_pidfile(const char *path, struct gd_pidstate *st)
{
	int fd = inspect_settled(path, st);

	if (fd < 0 && errno != ENOENT)
		untrusted(path, errno);
	if (fd >= 0 && st->pid < 0 && !restarting(st))
		untrusted(path, st->err);
	if (fd >= 0 && st->owner < 0)
		die(EXIT_UNTRUSTED, "won't trust pidfile '%s': locked by a process that is not its keeper",
		    path);
	return fd;
}

/* No keeper behind the pidfile: a live PID is not ours to signal (exit 4). */
static void stale(const char *path, const struct gd_pidstate *st)
{
	if (gd_pid_alive(st->pid))
		die(EXIT_UNTRUSTED, "pidfile '%s' names PID %d, which no keeper holds: not signalled",
		    path, st->pid);
}

/*
 * Send the keeper behind fd a command (CMD_VALUE), through a pidfd when the
 * kernel has one: 0, or -1 with errno (ESRCH: it is gone). *pidfd stays
 * open for the wait.
 */
static int send_command(int fd, pid_t keeper, int value, int *pidfd)
{
	siginfo_t si;

	memset(&si, 0, sizeof(si));
	si.si_signo = GD_SIG_COMMAND;
	si.si_code = SI_QUEUE;	/* the only code the kernel lets us send another process */
	si.si_pid = getpid();
	si.si_uid = getuid();
	si.si_value.sival_int = value;
	return gd_signal_owner(fd, 2, keeper, GD_SIG_COMMAND, &si, pidfd);
}

int stop_main(char **argv)
{
	struct opts o;
	struct gd_pidstate st;
	const char *path = pidfile_cmd(argv, OPTS_STOP, &o);
	int sig = parse_signal(o.arg[OPTBIT_SIGNAL], SIGTERM), fd, pidfd = -1;
	unsigned long secs = opt_num(&o, OPTBIT_WAIT, 10, CMD_SECS_MAX, STOP_SECS);
	gd_sigset block = { { GD_SIGBIT(SIGTERM) | GD_SIGBIT(SIGINT) | GD_SIGBIT(SIGHUP)
			      | GD_SIGBIT(SIGPIPE) } };

	/*
	 * Once begun, a stop finishes (bounded by -t and the SIGKILL wait):
	 * a signal meanwhile stays pending and dies with us.
	 */
	gd_sigmask(SIG_BLOCK, &block, NULL);
	fd = settled_pidfile(path, &st);
	if (fd < 0)
		return EXIT_OK;
	if (st.owner == 0) {
		stale(path, &st);	/* exits 4 when the PID lives */
		close(fd);
		gd_pidfile_remove(path);	/* may stay (read-only): stale all the same */
		return EXIT_OK;
	}
	if (st.keeper != st.owner) {
		/* A daemon of the library holds its own pidfile. */
		close(fd);
		if (gd_stop_path(path, sig, (unsigned)secs * 1000) >= 0)
			return EXIT_OK;
		if (errno == ETIMEDOUT)
			die(EXIT_STOP_FAILED, "the process of pidfile '%s' would not die", path);
		untrusted(path, errno);
	}
	if (send_command(fd, st.keeper, CMD_VALUE(CMD_STOP, sig, secs), &pidfd) < 0 && errno != ESRCH)
		die(EXIT_STOP_FAILED, "can't stop the keeper of pidfile '%s': %m", path);
	if (gd_wait_gone(fd, st.keeper, pidfd, (unsigned)secs * 1000 + 2 * KILL_WAIT_MS) < 0)
		die(EXIT_STOP_FAILED, "the process of pidfile '%s' would not die", path);
	close(fd);
	gd_pidfile_remove(path);	/* a keeper killed by SIGKILL left it */
	return EXIT_OK;
}

int signal_main(char **argv)
{
	struct opts o;
	struct gd_pidstate st;
	const char *path = pidfile_cmd(argv, OPTS_SIGNAL, &o);
	int sig = parse_signal(o.arg[OPTBIT_SIGNAL], SIGHUP), fd, pidfd = -1, r;

	fd = settled_pidfile(path, &st);
	if (fd < 0)
		die(EXIT_NOT_RUNNING, "not running: no pidfile '%s'", path);
	if (st.owner == 0) {
		stale(path, &st);
		die(EXIT_NOT_RUNNING, "not running: pidfile '%s' is stale", path);
	}
	if (restarting(&st))
		die(EXIT_NOT_RUNNING, "not running: '%s' is restarting", path);
	if (st.keeper != st.owner && st.owner != st.pid)
		die(EXIT_UNTRUSTED, "won't trust pidfile '%s': locked by another process than the PID it names",
		    path);
	if (st.keeper == st.owner)
		r = send_command(fd, st.keeper, CMD_VALUE(CMD_FORWARD, sig, 0), &pidfd);
	else
		r = gd_signal_owner(fd, 1, st.pid, sig, NULL, &pidfd);
	if (r < 0 && errno == ESRCH)
		die(EXIT_NOT_RUNNING, "not running: pidfile '%s'", path);
	if (r < 0)
		die(EXIT_UNTRUSTED, "can't signal the process of pidfile '%s': %m", path);
	return EXIT_OK;
}

int status_main(char **argv)
{
	struct opts o;

	return gd_status_path(pidfile_cmd(argv, OPT_PIDFILE, &o));
}

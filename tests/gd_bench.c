/*
 * gd_bench - the timer of tests/bench.sh (a benchmark helper, not a test).
 *
 *   gd_bench loop N PIDFILE START... --stop STOP...
 *	N times: remove PIDFILE, run START, and measure, from just before its
 *	fork, when START returns and when PIDFILE first names a live process;
 *	then run STOP (or, for STOP "kill", send that process SIGTERM as an
 *	init script would) and measure until the process is gone. Prints the
 *	medians: "ret_us pid_us stop_us rss_kb failures", rss_kb being the
 *	peak RSS of START and the children it reaped (wait4).
 *   gd_bench stop PIDFILE STOP...
 *	Stop once, as above, and wait until the process is gone.
 *   gd_bench reaper CMD...
 *	Run CMD as a child subreaper: the daemons it starts are orphaned to
 *	us, not to PID 1, which may not reap them (it does not on every
 *	machine), so that zombies do not pile up over thousands of starts.
 *
 * Polls every few microseconds on a monotonic clock, so the numbers are
 * not limited by a shell's date(1) or sleep(1). Every wait is bounded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIMIT_NS (20 * 1000000000LL)

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void nap(void)
{
	struct timespec ts = { 0, 20000 };

	nanosleep(&ts, NULL);
}

/* The start of file path into buf, NUL-terminated: 1, or 0 when empty or unreadable. */
static int read_start(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return 0;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return 1;
}

/* PID named by the pidfile, or 0. */
static pid_t read_pid(const char *path)
{
	char buf[32];
	long v;

	if (!read_start(path, buf, sizeof(buf)))
		return 0;
	v = strtol(buf, NULL, 10);
	return v > 1 && v < 1L << 22 ? (pid_t)v : 0;
}

/* Alive and not a zombie; *pgid its process group. */
static int alive_pgid(pid_t pid, pid_t *pgid)
{
	char path[64], buf[512], *p;
	int g = 0;
	char state = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!read_start(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %*d %d", &state, &g) != 2)
		return 0;
	*pgid = g;
	return state != 'Z' && state != 'X';
}

static int alive(pid_t pid)
{
	pid_t pgid;

	return alive_pgid(pid, &pgid);
}

/*
 * A peer that did not stop its daemon (daemon(1) ignores --stop when it comes
 * right after the start): kill it with what it started, its process group,
 * which setsid made its own, so nothing outlives the benchmark.
 */
static void kill_daemon(pid_t pid)
{
	pid_t pgid;

	if (alive_pgid(pid, &pgid) && pgid > 1 && pgid != getpgrp())
		kill(-pgid, SIGKILL);
	kill(pid, SIGKILL);
}

static pid_t spawn(char **argv)
{
	pid_t pid = fork();
	int fd;

	if (pid == 0) {
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		if (fd > 2)
			close(fd);
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	return pid;
}

/* Run START: 0 with the times and peak RSS, -1 on failure or timeout. */
static int start(char **argv, const char *pidfile, long long *ret, long long *named,
		 long *rss, pid_t *daemon)
{
	long long t0, t;
	struct rusage ru;
	int status, done = 0;
	pid_t pid, d = 0;

	unlink(pidfile);
	t0 = now_ns();
	pid = spawn(argv);
	*ret = *named = 0;
	for (;;) {
		t = now_ns();
		if (!done && wait4(pid, &status, WNOHANG, &ru) == pid) {
			*ret = t - t0;
			*rss = ru.ru_maxrss;
			done = 1;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				fprintf(stderr, "gd_bench: %s exited with status %#x\n", argv[0], status);
				return -1;
			}
		}
		if (!d && (d = read_pid(pidfile)) && alive(d))
			*named = t - t0;
		else if (!*named)
			d = 0;
		if (done && *named)
			break;
		if (t - t0 > LIMIT_NS) {
			fprintf(stderr, "gd_bench: %s: no live PID in %s\n", argv[0], pidfile);
			if (!done) {
				kill(pid, SIGKILL);
				waitpid(pid, &status, 0);
			}
			return -1;
		}
		nap();
	}
	*daemon = d;
	return 0;
}

/* Stop the daemon: the time until it is gone, or -1. */
static long long stop(char **argv, pid_t daemon)
{
	long long t0 = now_ns();
	int status;
	pid_t pid;

	if (!strcmp(argv[0], "kill")) {
		kill(daemon, SIGTERM);
	} else {
		pid = spawn(argv);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	}
	while (alive(daemon)) {
		if (now_ns() - t0 > LIMIT_NS) {
			fprintf(stderr, "gd_bench: %s left PID %d alive\n", argv[0], (int)daemon);
			kill_daemon(daemon);
			return -1;
		}
		nap();
	}
	return now_ns() - t0;
}

static int reaper(char **argv)
{
	int status, rc = 1;
	pid_t pid, cmd;

	if (prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0, 0, 0) < 0) {
		perror("gd_bench: PR_SET_CHILD_SUBREAPER");
		return 2;
	}
	cmd = fork();
	if (cmd == 0) {
		execvp(argv[0], argv);
		perror(argv[0]);
		_exit(127);
	}
	if (cmd < 0) {
		perror("fork");
		return 2;
	}
	for (;;) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		if (pid == cmd) {
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			break;
		}
	}
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	return rc;
}

static int cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

static long long median(long long *v, int n)
{
	if (n == 0)
		return -1;
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	long long *ret, *named, *gone, r, p, g;
	int i, n, ok = 0, fails = 0, sep;
	char **stopv;
	pid_t d;
	long rss;
	long long *rssv;

	/* Our naps should be as short as asked: the default slack is 50 us. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (argc >= 3 && !strcmp(argv[1], "reaper"))
		return reaper(argv + 2);
	if (argc >= 4 && !strcmp(argv[1], "stop")) {
		d = read_pid(argv[2]);
		if (!d || !alive(d))
			return 0;
		return stop(argv + 3, d) < 0;
	}
	if (argc < 6 || strcmp(argv[1], "loop")) {
		fprintf(stderr, "usage: gd_bench loop N PIDFILE START... --stop STOP...\n"
			"       gd_bench stop PIDFILE STOP...\n");
		return 2;
	}
	n = atoi(argv[2]);
	for (sep = 4; sep < argc && strcmp(argv[sep], "--stop"); sep++)
		;
	if (n < 1 || sep == 4 || sep >= argc - 1) {
		fprintf(stderr, "gd_bench: need N >= 1, START and --stop STOP\n");
		return 2;
	}
	argv[sep] = NULL;
	stopv = argv + sep + 1;
	ret = calloc(n, sizeof(*ret));
	named = calloc(n, sizeof(*named));
	gone = calloc(n, sizeof(*gone));
	rssv = calloc(n, sizeof(*rssv));
	if (!ret || !named || !gone || !rssv)
		return 2;
	for (i = 0; i < n; i++) {
		if (start(argv + 4, argv[3], &r, &p, &rss, &d) < 0) {
			fails++;
			d = read_pid(argv[3]);
			if (d && alive(d))
				kill_daemon(d);
			continue;
		}
		g = stop(stopv, d);
		if (g < 0) {
			fails++;
			continue;
		}
		ret[ok] = r;
		named[ok] = p;
		gone[ok] = g;
		rssv[ok] = rss;
		ok++;
	}
	unlink(argv[3]);
	if (!ok) {
		printf("- - - - %d\n", fails);
		return 0;
	}
	printf("%lld %lld %lld %lld %d\n", median(ret, ok) / 1000, median(named, ok) / 1000,
	       median(gone, ok) / 1000, median(rssv, ok), fails);
	return 0;
}

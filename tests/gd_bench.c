/*
 * gd_bench - the timer of tests/bench.sh (a benchmark helper, not a test).
 *
 *   gd_bench loop N PIDFILE START... --stop STOP...
 *	N times: remove PIDFILE, run START, and measure, from just before its
 *	fork, when START returns and when PIDFILE first names a live process;
 *	then run STOP (or, for STOP "kill", send that process SIGTERM as an
 *	init script would) and measure until the process is gone and until
 *	STOP returns. Prints the medians: "ret_us pid_us stop_us rss_kb
 *	stopret_us lag_us failures", rss_kb being the peak RSS of START and
 *	the children it reaped (wait4), lag_us when STOP returned after the
 *	process was gone (negative: it returned while the process still ran).
 *   gd_bench exit N PIDFILE FIFO START...
 *	N times: run START, whose PROG is "gd_bench fifo FIFO", then make PROG
 *	exit by writing to FIFO, and measure from that write until PROG is gone
 *	and until everything the starter left for it is gone and the pidfile
 *	is final: the pidfile's process and PROG's parent (unless PID 1 or our
 *	reaper) gone, and PIDFILE removed or unlocked. Prints the medians
 *	"prog_us final_us after_us failures", after_us = final_us - prog_us.
 *   gd_bench fifo FIFO
 *	PROG of "exit": writes its PID to FIFO.pid, waits for a byte on FIFO,
 *	exits 0.
 *   gd_bench stop PIDFILE STOP...
 *	Stop once, as above, and wait until the process is gone.
 *   gd_bench reaper CMD...
 *	Run CMD as a child subreaper: the daemons it starts are orphaned to
 *	us, not to PID 1, which may not reap them (it does not on every
 *	machine), so that zombies do not pile up over thousands of starts.
 *	CMD finds our PID in GD_BENCH_REAPER.
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIMIT_NS (20 * 1000000000LL)
/* After STOP returned: its signal went out, a sleep(1) ends at once. */
#define GRACE_NS (5 * 1000000000LL)

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

/* Alive and not a zombie; *ppid its parent, *pgid its process group. */
static int alive_stat(pid_t pid, pid_t *ppid, pid_t *pgid)
{
	char path[64], buf[512], *p;
	int pp = 0, g = 0;
	char state = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!read_start(path, buf, sizeof(buf)))
		return 0;
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1, " %c %d %d", &state, &pp, &g) != 3)
		return 0;
	*ppid = pp;
	*pgid = g;
	return state != 'Z' && state != 'X';
}

static int alive_pgid(pid_t pid, pid_t *pgid)
{
	pid_t ppid;

	return alive_stat(pid, &ppid, pgid);
}

static int alive(pid_t pid)
{
	pid_t pgid;

	return pid > 0 && alive_pgid(pid, &pgid);
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

/*
 * Stop the daemon: 0 with the times until it is gone and until STOP
 * returned, or -1.
 */
static int stop(char **argv, pid_t daemon, long long *gone, long long *ret)
{
	long long t, t0 = now_ns();
	int status, running = 0;
	pid_t pid = 0;

	*gone = *ret = -1;
	if (!strcmp(argv[0], "kill")) {
		kill(daemon, SIGTERM);
		*ret = 0;
	} else {
		pid = spawn(argv);
		running = 1;
	}
	for (;;) {
		t = now_ns();
		if (running && waitpid(pid, &status, WNOHANG) == pid) {
			*ret = t - t0;
			running = 0;
		}
		if (*gone < 0 && !alive(daemon))
			*gone = t - t0;
		if (!running && *gone >= 0)
			return 0;
		if (t - t0 > LIMIT_NS || (!running && t - t0 - *ret > GRACE_NS))
			break;
		nap();
	}
	if (running) {
		fprintf(stderr, "gd_bench: %s did not return\n", argv[0]);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (*gone < 0) {
		fprintf(stderr, "gd_bench: %s left PID %d alive\n", argv[0], (int)daemon);
		kill_daemon(daemon);
	}
	return -1;
}

/* No process holds a lock on path (or it is gone): its state is final. */
static int unlocked(const char *path)
{
	struct flock fl;
	int r, fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return errno == ENOENT;
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	r = fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK;
	close(fd);
	return r;
}

/* PROG of "exit": say who we are, then wait for the trigger. */
static int fifo_prog(const char *fifo)
{
	char path[4096], tmp[4096 + 8], buf[24];
	int fd, n;

	snprintf(path, sizeof(path), "%s.pid", fifo);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	n = snprintf(buf, sizeof(buf), "%d\n", (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, buf, n) != n || close(fd) < 0 || rename(tmp, path) < 0)
		return 125;
	fd = open(fifo, O_RDONLY | O_CLOEXEC);
	while (fd >= 0 && read(fd, buf, 1) < 0 && errno == EINTR)
		;
	return 0;
}

/* Bounded wait for a starter to return 0. */
static int returned(pid_t pid, char *name, long long t0)
{
	int status;

	while (waitpid(pid, &status, WNOHANG) != pid) {
		if (now_ns() - t0 > LIMIT_NS) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		nap();
	}
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 1;
	fprintf(stderr, "gd_bench: %s exited with status %#x\n", name, status);
	return 0;
}

/* Those of h[] that are alive, killed with their process groups. */
static void kill_all(pid_t *h, int n)
{
	while (n--)
		if (h[n] > 1 && alive(h[n]))
			kill_daemon(h[n]);
}

/*
 * One run of "exit": 0 with the times from the trigger until PROG is gone
 * and until what was left for it is gone too, or -1.
 */
static int exit_once(char **argv, const char *pidfile, const char *fifo, pid_t reaper,
		     long long *prog_ns, long long *final_ns)
{
	char path[4096];
	long long t, t0 = now_ns();
	pid_t h[3] = { 0, 0, 0 }, pg;
	int fd = -1;

	snprintf(path, sizeof(path), "%s.pid", fifo);
	unlink(pidfile);
	unlink(path);
	if (!returned(spawn(argv), argv[0], t0))
		goto fail;
	/* PROG runs, its pidfile names a live process and PROG reads FIFO. */
	while (!alive(h[0] = read_pid(path)) || !alive(read_pid(pidfile)) ||
	       (fd = open(fifo, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
		if (now_ns() - t0 > LIMIT_NS) {
			fprintf(stderr, "gd_bench: %s: PROG not up\n", argv[0]);
			goto fail;
		}
		nap();
	}
	h[1] = read_pid(pidfile);
	if (!alive_stat(h[0], &h[2], &pg) || h[2] == reaper)
		h[2] = 0;
	t0 = now_ns();
	if (write(fd, "x", 1) != 1)
		goto fail;
	close(fd);
	fd = -1;
	*prog_ns = -1;
	for (;;) {
		t = now_ns();
		if (*prog_ns < 0 && !alive(h[0]))
			*prog_ns = t - t0;
		if (*prog_ns >= 0 && !alive(h[1]) && !alive(h[2]) && unlocked(pidfile)) {
			*final_ns = t - t0;
			return 0;
		}
		if (t - t0 > LIMIT_NS) {
			fprintf(stderr, "gd_bench: %s: left something after PROG's exit\n", argv[0]);
			goto fail;
		}
		nap();
	}
fail:
	if (fd >= 0)
		close(fd);
	if (!h[0])
		h[0] = read_pid(path);
	if (!h[1])
		h[1] = read_pid(pidfile);
	kill_all(h, 3);
	return -1;
}

static int reaper(char **argv)
{
	int status, rc = 1;
	pid_t pid, cmd;
	char me[24];

	if (prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0, 0, 0) < 0) {
		perror("gd_bench: PR_SET_CHILD_SUBREAPER");
		return 2;
	}
	snprintf(me, sizeof(me), "%d", (int)getpid());
	setenv("GD_BENCH_REAPER", me, 1);
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

/* Column c of row i of an N-row table of COLS columns. */
#define COLS 6
#define AT(v, i, c) (v)[(i) * COLS + (c)]

/* The median of each of the first cols columns of ok rows, in us, and fails. */
static void print_medians(long long *v, int ok, int cols, int fails, int *in_us)
{
	long long col[ok ? ok : 1];
	int i, c;

	for (c = 0; c < cols; c++) {
		for (i = 0; i < ok; i++)
			col[i] = AT(v, i, c);
		if (!ok)
			printf("- ");
		else
			printf("%lld ", in_us[c] ? median(col, ok) / 1000 : median(col, ok));
	}
	printf("%d\n", fails);
}

static int loop_main(int n, char *pidfile, char **startv, char **stopv)
{
	static int in_us[COLS] = { 1, 1, 1, 0, 1, 1 };
	long long *v = calloc(n, COLS * sizeof(*v)), r, p, g, sr;
	int i, ok = 0, fails = 0;
	pid_t d;
	long rss;

	if (!v)
		return 2;
	for (i = 0; i < n; i++) {
		if (start(startv, pidfile, &r, &p, &rss, &d) < 0) {
			fails++;
			d = read_pid(pidfile);
			if (d && alive(d))
				kill_daemon(d);
			continue;
		}
		if (stop(stopv, d, &g, &sr) < 0) {
			fails++;
			continue;
		}
		AT(v, ok, 0) = r;
		AT(v, ok, 1) = p;
		AT(v, ok, 2) = g;
		AT(v, ok, 3) = rss;
		AT(v, ok, 4) = sr;
		AT(v, ok, 5) = sr - g;
		ok++;
	}
	unlink(pidfile);
	print_medians(v, ok, 6, fails, in_us);
	return 0;
}

static int exit_main(int n, char *pidfile, char *fifo, char **startv)
{
	static int in_us[COLS] = { 1, 1, 1 };
	long long *v = calloc(n, COLS * sizeof(*v)), pg, fin;
	char *env = getenv("GD_BENCH_REAPER");
	pid_t reaper = env ? atoi(env) : 0;
	int i, ok = 0, fails = 0;

	if (!v)
		return 2;
	unlink(fifo);
	if (mkfifo(fifo, 0600) < 0) {
		perror(fifo);
		return 2;
	}
	for (i = 0; i < n; i++) {
		if (exit_once(startv, pidfile, fifo, reaper, &pg, &fin) < 0) {
			fails++;
			continue;
		}
		AT(v, ok, 0) = pg;
		AT(v, ok, 1) = fin;
		AT(v, ok, 2) = fin - pg;
		ok++;
	}
	unlink(pidfile);
	unlink(fifo);
	print_medians(v, ok, 3, fails, in_us);
	return 0;
}

int main(int argc, char **argv)
{
	long long g, r;
	int n, sep;
	pid_t d;

	/* Our naps should be as short as asked: the default slack is 50 us. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (argc >= 3 && !strcmp(argv[1], "reaper"))
		return reaper(argv + 2);
	if (argc == 3 && !strcmp(argv[1], "fifo"))
		return fifo_prog(argv[2]);
	if (argc >= 4 && !strcmp(argv[1], "stop")) {
		d = read_pid(argv[2]);
		if (!d || !alive(d))
			return 0;
		return stop(argv + 3, d, &g, &r) < 0;
	}
	n = argc >= 3 ? atoi(argv[2]) : 0;
	if (argc >= 6 && n >= 1 && !strcmp(argv[1], "exit"))
		return exit_main(n, argv[3], argv[4], argv + 5);
	if (argc < 6 || strcmp(argv[1], "loop")) {
		fprintf(stderr, "usage: gd_bench loop N PIDFILE START... --stop STOP...\n"
			"       gd_bench exit N PIDFILE FIFO START...\n"
			"       gd_bench fifo FIFO\n"
			"       gd_bench stop PIDFILE STOP...\n"
			"       gd_bench reaper CMD...\n");
		return 2;
	}
	for (sep = 4; sep < argc && strcmp(argv[sep], "--stop"); sep++)
		;
	if (n < 1 || sep == 4 || sep >= argc - 1) {
		fprintf(stderr, "gd_bench: need N >= 1, START and --stop STOP\n");
		return 2;
	}
	argv[sep] = NULL;
	return loop_main(n, argv[3], argv + 4, argv + sep + 1);
}

/*
 * t_reexec.c - GD_REEXEC from a program that runs a thread.
 *
 *   t_reexec stage              print gd_stage_string(gd_stage()), no staging
 *   t_reexec run DIR OPTS [ARG] daemonize; DIR (absolute) holds:
 *        runs    one line per run of the code before the call:
 *                "STAGE pid sid pgid argv0"
 *        fifo    the daemon's report, "key=value" lines
 *        pid     the daemon's PID
 *        lockA, lockB, stop, watch  the flock watcher's files
 *      OPTS, comma-separated: keep (lockA and lockB kept, at fds 4 and 3 so
 *      that their renumbering to 3 and 4 is a swap), lock (lockA locked but
 *      not kept: the watcher must win), watch (start the watcher), capture,
 *      name (program_name "gd-reexec-test"), fork (fork mode), badfd (keep
 *      fd 99), mismatch1/mismatch2 (another nfiles in stage 1/2), exit1/exit2
 *      (leave before the call in stage 1/2), quick (the daemon exits at
 *      once), nothread, nolog (no line in runs), child1 (stage 1 runs
 *      "t_reexec stage" into DIR/child1), wait2 (stage 2 waits for DIR/go
 *      before the call, up to 30 s)
 *      A failing call prints "ERR <errno name>" and exits 3.
 *   t_reexec watch DIR          try flock(LOCK_NB) on lockA and lockB until
 *                               DIR/stop exists; DIR/watch says "held N" or
 *                               "ACQUIRED ..."; "ready" on stdout once both
 *                               were found locked.
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "godaemon.h"
#include "t.h"

static const char *dir, *opts;
static volatile unsigned long spins;

static int opt(const char *name)
{
	size_t n = strlen(name);
	const char *p = opts;

	while ((p = strstr(p, name))) {
		if ((p == opts || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

static const char *in_dir(const char *name)
{
	static char buf[8][PATH_MAX];
	static int i;
	char *b = buf[i++ % 8];

	snprintf(b, PATH_MAX, "%s/%s", dir, name);
	return b;
}

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "t_reexec: %s: %s\n", what, strerror(errno));
	exit(2);
}

/* Busy with the heap, the usual victim of fork() in a threaded program. */
static void *spin(void *arg)
{
	for (;;) {
		free(malloc(64 + spins % 4096));
		spins++;
		if (!(spins % 64))
			usleep(100);
	}
	return arg;
}

static int watch(void)
{
	const char *names[2] = { "lockA", "lockB" };
	unsigned long tries = 0;
	int fd[2], i;
	FILE *f;

	f = fopen(in_dir("watch.pid"), "w");
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	for (i = 0; i < 2; i++)
		if ((fd[i] = open(in_dir(names[i]), O_RDWR | O_CLOEXEC)) < 0)
			die("watch: open");
	for (;;) {
		for (i = 0; i < 2; i++) {
			if (flock(fd[i], LOCK_EX | LOCK_NB) == 0) {
				f = fopen(in_dir("watch"), "w");
				fprintf(f, "ACQUIRED %s after %lu tries\n", names[i], tries);
				fclose(f);
				return 1;
			}
			if (errno != EWOULDBLOCK)
				die("watch: flock");
		}
		if (!tries++) {
			printf("ready\n");
			fflush(stdout);
		}
		if (!(tries % 64) && access(in_dir("stop"), F_OK) == 0)
			break;
	}
	f = fopen(in_dir("watch"), "w");
	fprintf(f, "held %lu\n", tries);
	fclose(f);
	return 0;
}

/* Start "t_reexec watch DIR" and wait until it saw both files locked. */
static void start_watcher(const char *self)
{
	int p[2];
	char buf[16] = "";
	ssize_t n;

	if (pipe2(p, O_CLOEXEC) < 0)
		die("pipe");
	switch (fork()) {
	case -1:
		die("fork");
	case 0:
		dup2(p[1], 1);
		execl("/proc/self/exe", self, "watch", dir, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	if (n <= 0 || strncmp(buf, "ready", 5))
		die("watcher did not start");
	close(p[0]);
}

static int lock_file(const char *name)
{
	int fd = open(in_dir(name), O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) < 0)
		die(name);
	return fd;
}

/* Put fd at number to (close-on-exec), whatever is there. */
static void move_to(int fd, int to)
{
	if (fd != to && (dup3(fd, to, O_CLOEXEC) < 0 || close(fd) < 0))
		die("dup3");
}

static void log_run(const char *argv0)
{
	FILE *f = fopen(in_dir("runs"), "a");

	if (!f)
		die("runs");
	fprintf(f, "%s %d %d %d %s\n", gd_stage_string(gd_stage()), (int)getpid(),
		(int)getsid(0), (int)getpgid(0), argv0);
	fclose(f);
}

static void read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size && read(fd, buf + len, 1) == 1 && buf[len] != '\n')
		len++;
	buf[len] = '\0';
}

/* The value of a "Name:\t..." line of /proc/self/status. */
static const char *status_field(const char *name, char *out, size_t size)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(name);

	snprintf(out, size, "?");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':') {
			snprintf(out, size, "%s", line + n + 2);
			out[strcspn(out, "\n")] = '\0';
		}
	if (f)
		fclose(f);
	return out;
}

static void same_file(FILE *f, const char *key, int fd, const char *name)
{
	struct stat a, b;
	int fl = fcntl(fd, F_GETFD);

	fprintf(f, "%s=%d:%s:%s\n", key, fd,
		fstat(fd, &a) == 0 && stat(in_dir(name), &b) == 0 && a.st_ino == b.st_ino
		&& a.st_dev == b.st_dev ? name : "other",
		fl >= 0 && (fl & FD_CLOEXEC) ? "cloexec" : "inherit");
}

static _Noreturn void daemon_report(char **argv, int *files, size_t nfiles, int out, int err)
{
	char fds[256] = "", buf[PATH_MAX], line[128];
	const char *env = getenv("__DAEMON_STAGE");
	unsigned long before = spins;
	struct dirent *d;
	mode_t mask;
	DIR *dp;
	FILE *f;
	size_t i;

	f = fopen(in_dir("pid"), "w");
	fprintf(f, "%d\n", (int)getpid());
	fclose(f);
	/* Descriptors other than stdio, kept ones and captured read ends. */
	if (!(dp = opendir("/proc/self/fd")))
		die("opendir");
	while ((d = readdir(dp))) {
		int fd = atoi(d->d_name), extra = d->d_name[0] != '.' && fd > 2
			&& fd != dirfd(dp) && fd != out && fd != err;

		for (i = 0; i < nfiles; i++)
			extra &= fd != files[i];
		if (extra)
			snprintf(fds + strlen(fds), sizeof(fds) - strlen(fds), "%d,", fd);
	}
	closedir(dp);
	mask = umask(0);
	if (!(f = fopen(in_dir("fifo"), "w")))
		die("fifo");
	fprintf(f, "stage=%s\n", gd_stage_string(gd_stage()));
	fprintf(f, "pid=%d sid=%d pgid=%d\n", (int)getpid(), (int)getsid(0), (int)getpgid(0));
	fprintf(f, "argv0=%s\n", argv[0]);
	fprintf(f, "env=%s%s%s\n", env ? "[" : "unset", env ? env : "", env ? "]" : "");
	fprintf(f, "cwd=%s\n", getcwd(buf, sizeof(buf)) ? buf : "?");
	fprintf(f, "umask=%o\n", (unsigned)mask);
	i = (size_t)readlink("/proc/self/fd/0", buf, sizeof(buf) - 1);
	buf[i < sizeof(buf) ? i : 0] = '\0';
	fprintf(f, "stdin=%s\n", buf);
	fprintf(f, "extra=%s\n", fds[0] ? fds : "none");
	fprintf(f, "sigign=%s\n", status_field("SigIgn", line, sizeof(line)));
	fprintf(f, "sigblk=%s\n", status_field("SigBlk", line, sizeof(line)));
	if (nfiles > 0)
		same_file(f, "kept0", files[0], "lockA");
	if (nfiles > 1)
		same_file(f, "kept1", files[1], "lockB");
	if (out >= 0) {
		printf("captured stdout line\n");
		fprintf(stderr, "captured stderr line\n");
		read_line(out, line, sizeof(line));
		fprintf(f, "out=%s\n", line);
		read_line(err, line, sizeof(line));
		fprintf(f, "err=%s\n", line);
		fprintf(f, "out_cloexec=%d\n", (fcntl(out, F_GETFD) & FD_CLOEXEC) != 0);
	}
	for (i = 0; i < 2000 && spins == before; i++)
		usleep(5000);
	fprintf(f, "thread=%s\n", spins != before ? "running" : "stopped");
	fprintf(f, "end\n");
	fclose(f);
	for (;;)
		pause();
}

static int run(char **argv)
{
	int files[2] = { -1, -1 }, out = -1, err = -1, a, b;
	enum gd_stage st = gd_stage();
	struct gd_attr attr = { 0 };
	pthread_t th;
	sigset_t set;

	if (!opt("nolog"))
		log_run(argv[0]);
	if ((opt("exit1") && st == GD_STAGE_CHILD) || (opt("exit2") && st == GD_STAGE_DAEMON))
		exit(7);
	if (opt("wait2") && st == GD_STAGE_DAEMON) {
		int i;

		for (i = 0; i < 3000 && access(in_dir("go"), F_OK) < 0; i++)
			usleep(10000);
	}
	if (opt("child1") && st == GD_STAGE_CHILD) {
		/* A program stage 1 runs inherits the tag and the pipe, not the PID. */
		char cmd[2 * PATH_MAX];

		snprintf(cmd, sizeof(cmd), "exec /proc/%d/exe stage >%s", (int)getpid(),
			 in_dir("child1"));
		if (system(cmd) != 0)
			die("system");
	}
	if (st == GD_STAGE_PARENT && (opt("keep") || opt("lock"))) {
		a = lock_file("lockA");
		b = lock_file("lockB");
		a = fcntl(a, F_DUPFD_CLOEXEC, 10);
		b = fcntl(b, F_DUPFD_CLOEXEC, 10);
		close(3);
		close(4);
		move_to(a, 4);
		move_to(b, 3);
		files[0] = 4;
		files[1] = 3;
		if (opt("watch"))
			start_watcher(argv[0]);
	}
	/* Left for the staging to reset: a blocked and an ignored signal. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGUSR2, SIG_IGN);
	if (!opt("nothread") && pthread_create(&th, NULL, spin, NULL))
		die("pthread_create");
	if (opt("keep"))
		attr.nfiles = 2;
	attr.files = files;
	if (opt("badfd") && st == GD_STAGE_PARENT) {
		files[0] = 99;
		attr.nfiles = 1;
	}
	if ((opt("mismatch1") && st == GD_STAGE_CHILD) || (opt("mismatch2") && st == GD_STAGE_DAEMON))
		attr.nfiles = 1;
	if (opt("name"))
		attr.program_name = "gd-reexec-test";
	attr.capture_output = opt("capture");
	attr.flags = opt("fork") ? 0 : GD_REEXEC;
	if (gd_make_daemon(&attr, attr.capture_output ? &out : NULL,
			   attr.capture_output ? &err : NULL) < 0) {
		printf("ERR %s\n", errno == E2BIG ? "E2BIG" : errname(errno));
		return 3;
	}
	if (opt("quick"))
		_exit(0);
	daemon_report(argv, files, attr.nfiles, out, err);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "stage")) {
		printf("%s\n", gd_stage_string(gd_stage()));
		return 0;
	}
	if (argc >= 3) {
		dir = argv[2];
		opts = argc > 3 ? argv[3] : "";
		if (!strcmp(argv[1], "watch"))
			return watch();
		if (!strcmp(argv[1], "run"))
			return run(argv);
	}
	fprintf(stderr, "usage: t_reexec stage | run DIR OPTS [ARG] | watch DIR\n");
	return 2;
}

/* t_rogue.c - a PROG that treats what it inherits as real daemons do, for
 * tests/keeper.test: nothing it does may make godaemon wrong about it.
 *
 *   t_rogue REPORT STEP...
 *
 * The steps run in order:
 *   closeall  close every descriptor above 2, as found in /proc/self/fd (dnsmasq)
 *   dup3      dup2() a pipe of its own onto descriptor 3 (udhcpd's signal pipe)
 *   garbage   write "garbage" to descriptors 3..9, at offset 0 and at their
 *             current offset (s6-socklog -d 3 run without -N 3)
 *   child     fork a child that ignores SIGTERM
 *   orphan    fork a grandchild in a session of its own that ignores SIGTERM
 *             and SIGHUP; its parent exits at once, so it is orphaned
 *   clone     clone(CLONE_FILES) a child that ignores SIGTERM
 *   ignterm   ignore SIGTERM itself
 *   bg        background itself as daemons do: fork, setsid, fork; the
 *             foreground process exits 0, the rest runs in the grandchild
 *   pidfile F write its PID to F (atomically, by rename), as daemons write theirs
 *   listen S  bind a Unix socket at path S (left behind when it exits)
 *   bgfail    leave a child behind (ignoring SIGTERM), report, exit 3 (a
 *             daemon that fails in its foreground process)
 *   exit      report, then exit 0 instead of running on
 * Then it appends to REPORT (a FIFO or a regular file, opened only now) one
 * line "WHAT PID" for itself ("rogue") and for each process it made ("child",
 * "orphan", "clone"), then "ready", and runs until killed. Each SIGHUP it gets
 * appends "hup" to REPORT. Tests wait for "ready" instead of sleeping.
 * Exit 2 on a usage error, 1 when a step fails (the message says which).
 */
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *report;
static char lines[4096];
static size_t used;
static volatile sig_atomic_t hups;

static void die(const char *what)
{
	fprintf(stderr, "t_rogue: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void note(const char *what, pid_t pid)
{
	int n = snprintf(lines + used, sizeof(lines) - used, "%s %d\n", what, (int)pid);

	if (n < 0 || (size_t)n >= sizeof(lines) - used) {
		fprintf(stderr, "t_rogue: too many lines\n");
		exit(1);
	}
	used += n;
}

/* Append the pending lines to REPORT: one open, one write, one close, so a
 * reader of a FIFO gets them all and then its end of file. */
static void flush_report(void)
{
	int fd = open(report, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die(report);
	if (write(fd, lines, used) != (ssize_t)used)
		die(report);
	close(fd);
	used = 0;
}

static void forever(void)
{
	for (;;)
		pause();
}

/* A process that outlives its maker and shrugs off stop's SIGTERM. */
static int stubborn(void *unused)
{
	forever();
	return 0;
}

/*
 * A stubborn child ignores SIGTERM and SIGHUP from its first instruction:
 * set here, in the parent, around the fork or clone, so that a signal sent
 * the moment "ready" is reported never finds it still defenceless.
 */
static struct sigaction old_term, old_hup;

static void stubborn_begin(void)
{
	struct sigaction ign = { .sa_handler = SIG_IGN };

	sigaction(SIGTERM, &ign, &old_term);
	sigaction(SIGHUP, &ign, &old_hup);
}

static void stubborn_end(void)
{
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
}

static pid_t spawn(void)
{
	pid_t pid;

	stubborn_begin();
	pid = fork();
	if (pid != 0)
		stubborn_end();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		stubborn(NULL);
	return pid;
}

static void closeall(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int self;

	if (!d)
		die("/proc/self/fd");
	self = dirfd(d);
	while ((e = readdir(d)))
		if (atoi(e->d_name) > 2 && atoi(e->d_name) != self)
			close(atoi(e->d_name));
	closedir(d);
}

static void dup3_(void)
{
	int p[2];

	if (pipe(p) < 0)
		die("pipe");
	if (dup2(p[1], 3) < 0)
		die("dup2");
}

static void garbage(void)
{
	static const char g[] = "garbage\n";
	int fd;

	for (fd = 3; fd <= 9; fd++) {
		if (pwrite(fd, g, sizeof(g) - 1, 0) < 0 && errno != ESPIPE && errno != EBADF)
			fprintf(stderr, "t_rogue: pwrite %d: %s\n", fd, strerror(errno));
		if (write(fd, g, sizeof(g) - 1) < 0 && errno != EBADF && errno != EPIPE)
			fprintf(stderr, "t_rogue: write %d: %s\n", fd, strerror(errno));
	}
}

static void orphan(void)
{
	int p[2];
	pid_t mid, pid = 0;

	if (pipe(p) < 0)
		die("pipe");
	mid = fork();
	if (mid < 0)
		die("fork");
	if (mid == 0) {
		setsid();
		pid = spawn();
		write(p[1], &pid, sizeof(pid));
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &pid, sizeof(pid)) != sizeof(pid))
		die("orphan's PID");
	close(p[0]);
	waitpid(mid, NULL, 0);
	note("orphan", pid);
}

static void clone_(void)
{
	static char stack[64 * 1024];
	pid_t pid;

	stubborn_begin();
	pid = clone(stubborn, stack + sizeof(stack), CLONE_FILES | SIGCHLD, NULL);
	stubborn_end();

	if (pid < 0)
		die("clone");
	note("clone", pid);
}

static void bg(void)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid > 0)
		_exit(0);
	if (setsid() < 0)
		die("setsid");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0)
		_exit(0);
}

static void pidfile(const char *f)
{
	char tmp[4096];
	FILE *fp;

	snprintf(tmp, sizeof(tmp), "%s.tmp", f);
	fp = fopen(tmp, "w");
	if (!fp || fprintf(fp, "%d\n", (int)getpid()) < 0 || fclose(fp) || rename(tmp, f))
		die(f);
}

static void listen_(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (strlen(path) >= sizeof(a.sun_path)) {
		errno = ENAMETOOLONG;
		die(path);
	}
	strcpy(a.sun_path, path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(fd, 1) < 0)
		die(path);
}

static void on_hup(int sig)
{
	hups++;
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: t_rogue REPORT STEP...\n");
		return 2;
	}
	report = argv[1];
	signal(SIGHUP, on_hup);
	signal(SIGPIPE, SIG_IGN);	/* dup3 leaves a pipe with no reader on 3 */
	for (i = 2; i < argc; i++) {
		const char *s = argv[i];

		if (!strcmp(s, "closeall"))
			closeall();
		else if (!strcmp(s, "dup3"))
			dup3_();
		else if (!strcmp(s, "garbage"))
			garbage();
		else if (!strcmp(s, "child"))
			note("child", spawn());
		else if (!strcmp(s, "orphan"))
			orphan();
		else if (!strcmp(s, "clone"))
			clone_();
		else if (!strcmp(s, "ignterm"))
			signal(SIGTERM, SIG_IGN);
		else if (!strcmp(s, "bg"))
			bg();
		else if (!strcmp(s, "pidfile") && i + 1 < argc)
			pidfile(argv[++i]);
		else if (!strcmp(s, "listen") && i + 1 < argc)
			listen_(argv[++i]);
		else if (!strcmp(s, "bgfail")) {
			note("child", spawn());
			flush_report();
			return 3;
		} else if (!strcmp(s, "exit")) {
			note("rogue", getpid());
			note("ready", 0);
			flush_report();
			return 0;
		} else {
			fprintf(stderr, "t_rogue: unknown step '%s'\n", s);
			return 2;
		}
	}
	note("rogue", getpid());
	note("ready", 0);
	flush_report();
	for (;;) {
		pause();
		while (hups > 0) {
			hups--;
			note("hup", getpid());
			flush_report();
		}
	}
}

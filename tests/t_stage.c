/*
 * t_stage - exercises gd_make_daemon() in fork mode and reports what the
 * daemon looks like, for tests/stage.test.
 *
 *   t_stage report FIFO [KEEPFILE STOPFILE]
 *                                   daemonize (KEEPFILE opened, flock()ed and
 *                                   kept) and write a key=value report of the
 *                                   daemon to FIFO, then wait for SIGTERM.
 *                                   Once the lock is taken, a watcher process
 *                                   tries flock(LOCK_NB) on KEEPFILE through its
 *                                   own open until STOPFILE exists, then writes
 *                                   tries= and got= into STOPFILE.out
 *   t_stage capture FIFO            capture_output: print, read back, report
 *   t_stage badfd                   keep a closed fd: the caller gets EBADF
 *   t_stage fail                    daemonize; the caller prints its error
 *   t_stage daemonize FIFO          gd_daemonize(); report stage and stdio
 *   t_stage paths LINK              gd_executable_path, gd_readlink, ERANGE
 *   t_stage stage                   gd_stage() without daemonizing
 */
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include "godaemon.h"
#include "t.h"

static void on_term(int sig) { (void)sig; }

/* The value of a "Name:\t..." line of /proc/self/status. */
static void status_field(const char *name, char *out, size_t size)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(name);

	snprintf(out, size, "?");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':') {
			char *v = line + n + 1;
			while (*v == '\t' || *v == ' ')
				v++;
			v[strcspn(v, "\n")] = 0;
			snprintf(out, size, "%s", v);
		}
	fclose(f);
}

static void report(FILE *out, int kept)
{
	char buf[4096], cwd[256], blk[64], ign[64], cgt[64];
	struct sigaction sa;
	mode_t um = umask(0);
	DIR *d;
	struct dirent *e;
	int i;

	fprintf(out, "stage=%s\n", gd_stage_string(gd_stage()));
	fprintf(out, "pid=%d\nppid=%d\nsid=%d\npgid=%d\n", (int)getpid(), (int)getppid(),
		(int)getsid(0), (int)getpgid(0));
	fprintf(out, "leader=%d\n", getsid(0) == getpid());
	fprintf(out, "cwd=%s\n", getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	fprintf(out, "umask=%03o\n", (unsigned)um);
	for (i = 0; i < 3; i++) {
		char p[32];
		ssize_t n;
		snprintf(p, sizeof(p), "/proc/self/fd/%d", i);
		n = readlink(p, buf, sizeof(buf) - 1);
		buf[n > 0 ? n : 0] = 0;
		fprintf(out, "fd%d=%s\n", i, buf);
	}
	/* Descriptors other than 0-2, the report's own and the listing's. */
	fprintf(out, "fds=");
	d = opendir("/proc/self/fd");
	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd < 3 || fd == fileno(out) || fd == dirfd(d))
			continue;
		fprintf(out, "%d,", fd);
	}
	if (d)
		closedir(d);
	fprintf(out, "\n");
	if (kept >= 0) {
		int fl = fcntl(kept, F_GETFD);
		fprintf(out, "kept=%d\nkept_cloexec=%d\n", kept, fl >= 0 && (fl & FD_CLOEXEC));
	}
	status_field("SigBlk", blk, sizeof(blk));
	status_field("SigIgn", ign, sizeof(ign));
	status_field("SigCgt", cgt, sizeof(cgt));
	fprintf(out, "sigblk=%s\nsigign=%s\nsigcgt=%s\n", blk, ign, cgt);
	sigaction(SIGTERM, NULL, &sa);
	fprintf(out, "sigterm_default=%d\n", sa.sa_handler == SIG_DFL);
	fprintf(out, "tty=%d\n", open("/dev/tty", O_RDWR | O_NOCTTY) >= 0);
	fprintf(out, "end\n");
}

/* A second process: can it ever take the lock the daemon should hold? */
static void watch(const char *file, const char *stop)
{
	long tries = 0, got = 0;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		_exit(2);
	while (access(stop, F_OK) != 0) {
		tries++;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			got++;
			flock(fd, LOCK_UN);
		}
	}
	{
		char name[4096];
		FILE *f;
		snprintf(name, sizeof(name), "%s.out", stop);
		f = fopen(name, "w");
		if (!f)
			_exit(2);
		fprintf(f, "tries=%ld got=%ld\n", tries, got);
		fclose(f);
	}
	_exit(0);
}

/* The caller's side of a failed gd_make_daemon: print and exit 3. */
/* "NAME=" and what fd gives within 20 s, or "NAME=NOTHING". */
static void read_line(FILE *out, const char *name, int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char got[256];
	ssize_t n;

	if (poll(&p, 1, 20000) == 1 && (n = read(fd, got, sizeof(got) - 1)) > 0) {
		got[n] = 0;
		fprintf(out, "%s=%s", name, got);
	} else {
		fprintf(out, "%s=NOTHING\n", name);
	}
}

static void caller_failed(void)
{
	printf("make_daemon=-1 errno=%s stage=%s\n", errname(errno), gd_stage_string(gd_stage()));
	exit(3);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	struct gd_attr attr = { 0 };
	struct sigaction sa = { .sa_handler = on_term };
	sigset_t set;
	int kept = -1;
	FILE *out;

	if (!strcmp(mode, "stage")) {
		printf("%s\n", gd_stage_string(gd_stage()));
		printf("%s|%s|%s|%s\n", gd_stage_string(GD_STAGE_PARENT),
		       gd_stage_string(GD_STAGE_CHILD), gd_stage_string(GD_STAGE_DAEMON),
		       gd_stage_string((enum gd_stage)7));
		return 0;
	}
	if (!strcmp(mode, "paths") && argc > 2) {
		char buf[4096], small[4];
		ssize_t n = gd_executable_path(buf, sizeof(buf));
		printf("exe=%s len=%zd strlen=%zu\n", n >= 0 ? buf : errname(errno), n, strlen(buf));
		n = gd_executable_path(small, sizeof(small));
		printf("exe_small=%zd %s\n", n, errname(errno));
		n = gd_readlink(argv[2], buf, sizeof(buf));
		printf("link=%s len=%zd\n", n >= 0 ? buf : errname(errno), n);
		n = gd_readlink(argv[2], small, sizeof(small));
		printf("link_small=%zd %s\n", n, errname(errno));
		n = gd_readlink("/nonexistent/link", buf, sizeof(buf));
		printf("link_missing=%zd %s\n", n, errname(errno));
		return 0;
	}
	if (!strcmp(mode, "badfd")) {
		int bad = 250;
		attr.files = &bad;
		attr.nfiles = 1;
		if (gd_make_daemon(&attr, NULL, NULL) < 0)
			caller_failed();
		return 0;
	}
	if (!strcmp(mode, "fail")) {
		if (gd_make_daemon(NULL, NULL, NULL) < 0)
			caller_failed();
		pause();
		return 0;
	}

	/* A caller with state a daemon must not inherit. */
	umask(077);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	dup2(2, 17);
	open("/etc/hostname", O_RDONLY);
	if (getenv("T_HIGHFD"))
		dup2(2, atoi(getenv("T_HIGHFD")));
	if (getenv("T_KEEP_UMASK"))
		attr.flags |= GD_KEEP_UMASK;

	if (!strcmp(mode, "report") && argc > 2) {
		if (argc > 4) {
			kept = open(argv[3], O_RDWR);
			if (kept < 0 || flock(kept, LOCK_EX) < 0)
				return 2;
			attr.files = &kept;
			attr.nfiles = 1;
			fflush(stdout);
			if (fork() == 0)
				watch(argv[3], argv[4]);
		}
		if (gd_make_daemon(&attr, NULL, NULL) < 0)
			caller_failed();
		out = fopen(argv[2], "w");
		if (!out)
			return 1;
		report(out, kept);
		fclose(out);
		/* Wait for SIGTERM (default action again: it ends us). */
		for (;;)
			pause();
	}
	if (!strcmp(mode, "daemonize") && argc > 2) {
		if (gd_daemonize() < 0)
			caller_failed();
		out = fopen(argv[2], "w");
		if (!out)
			return 1;
		report(out, -1);
		fclose(out);
		return 0;
	}
	if (!strcmp(mode, "capture") && argc > 2) {
		int ofd = -1, efd = -1;

		attr.capture_output = true;
		if (gd_make_daemon(&attr, &ofd, &efd) < 0)
			caller_failed();
		out = fopen(argv[2], "w");
		if (!out)
			return 1;
		fprintf(out, "out_fd=%d err_fd=%d cloexec=%d,%d\n", ofd, efd,
			(fcntl(ofd, F_GETFD) & FD_CLOEXEC) != 0, (fcntl(efd, F_GETFD) & FD_CLOEXEC) != 0);
		/* No fflush: stdout must be line-buffered for this line to arrive. */
		printf("hello stdout\n");
		fputs("hello stderr\n", stderr);
		read_line(out, "read_out", ofd);
		read_line(out, "read_err", efd);
		fprintf(out, "end\n");
		fclose(out);
		return 0;
	}
	fprintf(stderr, "usage: t_stage report|capture|badfd|fail|daemonize|paths|stage ...\n");
	return 2;
}

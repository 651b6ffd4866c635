/*
 * floor - the least a synchronous daemonizing starter must do, the yardstick
 * of `make bench` (a benchmark helper, not part of godaemon):
 *
 *   floor PIDFILE PROG [ARG]...
 *
 * fork; the child calls setsid() and forks PROG, writes PROG's PID to
 * PIDFILE and exits; PROG execs. A close-on-exec pipe reports back: the
 * caller returns only once the exec happened (end of file: every write end
 * closed, PROG's by the exec), and learns a failed exec (PROG writes its
 * errno). Nothing else: no lock, no stdio redirection, no chdir, no umask,
 * no closing of inherited descriptors, no check of an old pidfile. Exit: 0
 * PROG runs, 126 not executable, 127 not found, 125 own failure.
 *
 * Built static with musl and the Makefile's size flags, as the applet is.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void say(const char *a, const char *b)
{
	if (write(2, a, strlen(a)) < 0 || write(2, b, strlen(b)) < 0 || write(2, "\n", 1) < 0)
		return;
}

static void put_pid(const char *path, pid_t pid)
{
	char buf[16], *p = buf + sizeof(buf);
	unsigned v = (unsigned)pid;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	*--p = '\n';
	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	if (fd < 0 || write(fd, p, buf + sizeof(buf) - p) < 0)
		_exit(125);
	close(fd);
}

/* The session's child: exec PROG, or report why not. */
static void run(int wfd, char **argv)
{
	int e;

	execvp(argv[0], argv);
	e = errno;
	while (write(wfd, &e, sizeof(e)) < 0 && errno == EINTR)
		;
	_exit(127);
}

int main(int argc, char **argv)
{
	int p[2], e = 0, status;
	ssize_t n;
	pid_t mid, prog;

	if (argc < 3) {
		say("usage: floor PIDFILE PROG [ARG]...", "");
		return 2;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		return 125;
	mid = fork();
	if (mid < 0)
		return 125;
	if (mid == 0) {
		close(p[0]);
		if (setsid() < 0)
			_exit(125);
		prog = fork();
		if (prog < 0)
			_exit(125);
		if (prog == 0)
			run(p[1], argv + 2);
		put_pid(argv[1], prog);
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	while (waitpid(mid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == sizeof(e)) {
		unlink(argv[1]);
		say(argv[2], e == ENOENT ? ": not found" : ": cannot execute");
		return e == ENOENT ? 127 : 126;
	}
	return n == 0 && WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 125;
}

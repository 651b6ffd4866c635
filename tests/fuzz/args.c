/*
 * args.c - libFuzzer harness: the applet's command line. The input is argv
 * (NUL-separated) given to godaemon_main() in this process, with godaemon.c
 * and the library built around it (tests/hardening.mk: each libc call below
 * renamed to a guard here with -D, and syscall() too, since the sources make
 * raw system calls) so that nothing can escape:
 *   exit, _exit      return here (longjmp) with the exit code;
 *   fork, _Fork      fail (EAGAIN), as do the clone and fork system calls: no
 *                    daemon is ever made, start goes as far as its failure
 *                    path, which it must then walk cleanly;
 *   open, openat     only relative names in a scratch directory (the cwd), and
 *                    /dev/null, /etc/passwd, /etc/group for reading: a fuzzed
 *                    -p, -o or -d never touches the system; unlink likewise;
 *   execve, kill and the system calls that signal, change user or directory
 *                    abort: with no daemon they must never be reached;
 *   write, writev to stderr are kept for the checks below (the real stderr
 *                    stays libFuzzer's and the sanitizers');
 * and -f is built out (it would exec in this very process).
 *
 * Properties, besides the sanitizers': the exit code is one the spec lists;
 * success prints nothing on stderr; every failure prints a "godaemon: " line
 * (usage errors then the synopsis), exactly one line unless usage or an
 * argument holds a newline; start never succeeds (it cannot fork) but for
 * --help.
 */
#undef open
#undef unlink
#undef fork
#undef _Fork
#undef execve
#undef kill
#undef exit
#undef _exit
#undef syscall
#undef write
#undef writev
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#ifndef SYS_pidfd_send_signal
# define SYS_pidfd_send_signal 424
#endif
#ifndef SYS_clone3
# define SYS_clone3 435
#endif

int godaemon_main(int argc, char **argv);

#define MAX_ARGS 32

static jmp_buf back;
static char err[4096];		/* what the run wrote on stderr */
static size_t errlen;
static char scratch[64];
static unsigned char open_at_start[1024];	/* descriptors libFuzzer had */
static struct sigaction saved_sa[3];
static const int caught[3] = { SIGTERM, SIGINT, SIGHUP };

static void forbidden(const char *what)
{
	(void)!write(2, "args: forbidden call: ", 22);
	(void)!write(2, what, strlen(what));
	(void)!write(2, "\n", 1);
	abort();
}

__attribute__((noreturn)) void fuzz_exit(int code);
void fuzz_exit(int code)
{
	longjmp(back, 0x100 | (code & 0xff));
}

pid_t fuzz_fork(void);
pid_t fuzz_fork(void)
{
	errno = EAGAIN;
	return -1;
}

int fuzz_execve(const char *path, char *const argv[], char *const envp[]);
int fuzz_execve(const char *path, char *const argv[], char *const envp[])
{
	forbidden("execve");
	return -1;
}

int fuzz_kill(pid_t pid, int sig);
int fuzz_kill(pid_t pid, int sig)
{
	forbidden("kill");
	return -1;
}

static void keep_err(const void *buf, size_t len)
{
	if (len > sizeof(err) - 1 - errlen)
		len = sizeof(err) - 1 - errlen;
	memcpy(err + errlen, buf, len);
	errlen += len;
	err[errlen] = '\0';
}

ssize_t fuzz_write(int fd, const void *buf, size_t len);
ssize_t fuzz_write(int fd, const void *buf, size_t len)
{
	if (fd != 2)
		return write(fd, buf, len);
	keep_err(buf, len);
	return (ssize_t)len;
}

ssize_t fuzz_writev(int fd, const struct iovec *iov, int n);
ssize_t fuzz_writev(int fd, const struct iovec *iov, int n)
{
	ssize_t total = 0;
	int i;

	if (fd != 2)
		return writev(fd, iov, n);
	for (i = 0; i < n; i++) {
		keep_err(iov[i].iov_base, iov[i].iov_len);
		total += (ssize_t)iov[i].iov_len;
	}
	return total;
}

static int allowed_path(const char *path, int flags)
{
	const char *p;

	if (!strcmp(path, "/dev/null"))
		return 1;
	if ((!strcmp(path, "/etc/passwd") || !strcmp(path, "/etc/group"))
	    && (flags & O_ACCMODE) == O_RDONLY && !(flags & O_CREAT))
		return 1;
	if (path[0] == '/' || !path[0])
		return 0;
	for (p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || !p[2]))
			return 0;
	return 1;
}

static int refused(void)
{
	errno = EACCES;
	return -1;
}

/*
 * Reads six arguments whatever the call takes, as libc's syscall() does;
 * past the ones passed that reads the caller's frame, hence no ASan here.
 */
long fuzz_syscall(long n, ...);
__attribute__((no_sanitize("address"))) long fuzz_syscall(long n, ...)
{
	va_list ap;
	long a[6], total = 0;
	int i;

	va_start(ap, n);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	switch (n) {
	case SYS_kill: case SYS_tgkill: case SYS_tkill: case SYS_pidfd_send_signal:
	case SYS_setuid: case SYS_setgid: case SYS_setgroups: case SYS_setresuid:
	case SYS_setresgid: case SYS_fchdir: case SYS_chdir: case SYS_execve:
	case SYS_execveat:
		forbidden("a system call that signals, changes user or directory, or execs");
		break;
#ifdef SYS_fork
	case SYS_fork:
#endif
#ifdef SYS_vfork	/* not on MIPS */
	case SYS_vfork:
#endif
	case SYS_clone: case SYS_clone3:
		errno = EAGAIN;
		return -1;
	case SYS_exit: case SYS_exit_group:
		fuzz_exit((int)a[0]);
#ifdef SYS_open
	case SYS_open:
		if (!allowed_path((const char *)a[0], (int)a[1]))
			return refused();
		break;
#endif
	case SYS_openat:
		if ((int)a[0] != AT_FDCWD || !allowed_path((const char *)a[1], (int)a[2]))
			return refused();
		break;
#ifdef SYS_unlink
	case SYS_unlink:
		if (!allowed_path((const char *)a[0], O_CREAT))
			return refused();
		break;
#endif
	case SYS_unlinkat:
		if ((int)a[0] != AT_FDCWD || !allowed_path((const char *)a[1], O_CREAT))
			return refused();
		break;
	case SYS_write:
		if (a[0] != 2)
			break;
		keep_err((const void *)a[1], (size_t)a[2]);
		return a[2];
	case SYS_writev:
		if (a[0] != 2)
			break;
		for (i = 0; i < (int)a[2]; i++) {
			const struct iovec *iov = (const struct iovec *)a[1] + i;
			keep_err(iov->iov_base, iov->iov_len);
			total += (long)iov->iov_len;
		}
		return total;
	}
	return syscall(n, a[0], a[1], a[2], a[3], a[4], a[5]);
}

int fuzz_unlink(const char *path);
int fuzz_unlink(const char *path)
{
	return allowed_path(path, O_CREAT) ? unlink(path) : refused();
}

int fuzz_open(const char *path, int flags, ...);
int fuzz_open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	if (!allowed_path(path, flags)) {
		errno = EACCES;
		return -1;
	}
	return open(path, flags, mode);
}

static void check(int ok, const char *what)
{
	if (!ok)
		forbidden(what);
}

/* At exit: the scratch directory goes, with whatever a last run left in it. */
static void remove_scratch(void)
{
	DIR *d = opendir(scratch);
	struct dirent *e;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(dirfd(d), e->d_name, 0);
	if (d)
		closedir(d);
	rmdir(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int null = open("/dev/null", O_WRONLY);
	DIR *d;
	struct dirent *e;
	size_t i;

	check(null >= 0 && dup2(null, 1) == 1, "stdout");	/* status and --help */
	close(null);
	if (!tmp || strlen(tmp) > 40)
		tmp = "/tmp";
	strcpy(scratch, tmp);
	strcat(scratch, "/gd-fuzz-args.XXXXXX");
	check(mkdtemp(scratch) && chdir(scratch) == 0, "scratch");
	atexit(remove_scratch);
	setenv("PATH", "/usr/bin:/bin", 1);
	d = opendir("/proc/self/fd");
	check(d != NULL, "/proc/self/fd");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && (size_t)atoi(e->d_name) < sizeof(open_at_start))
			open_at_start[atoi(e->d_name)] = 1;
	closedir(d);
	for (i = 0; i < 3; i++)
		sigaction(caught[i], NULL, &saved_sa[i]);
	return 0;
}

/* Undo what a run left: descriptors, files, signal handlers. */
static void tidy(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int i, dfd = d ? dirfd(d) : -1;

	while (d && (e = readdir(d))) {
		int fd = atoi(e->d_name);
		if (e->d_name[0] == '.' || fd == dfd)
			continue;
		if (fd >= (int)sizeof(open_at_start) || !open_at_start[fd])
			close(fd);
	}
	if (d)
		closedir(d);
	d = opendir(".");
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(e->d_name);
	if (d)
		closedir(d);
	for (i = 0; i < 3; i++)
		sigaction(caught[i], &saved_sa[i], NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[1024];
	char *argv[MAX_ARGS + 2];
	volatile int code;
	volatile int help = 0, is_start;
	int argc = 1, r;
	size_t i;
	char *nl;

	if (size == 0 || size >= sizeof(buf) - 1)
		return -1;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[0] = "godaemon";
	for (i = 0; i < size && argc <= MAX_ARGS; i += strlen(buf + i) + 1)
		argv[argc++] = buf + i;
	if (argc > MAX_ARGS)
		return -1;
	argv[argc] = NULL;
	for (r = 1; r < argc; r++)
		help |= !strcmp(argv[r], "--help");
	is_start = argc > 1 && !strcmp(argv[1], "start");

	errlen = 0;
	err[0] = '\0';
	r = setjmp(back);
	if (r == 0)
		code = godaemon_main(argc, argv);
	else
		code = r & 0xff;
	tidy();

	switch (code) {
	case 0: case 1: case 2: case 3: case 4: case 124: case 125: case 126: case 127:
		break;
	default:
		forbidden("an exit code the spec does not list");
	}
	if (code == 0) {
		check(errlen == 0, "stderr written on success");
		check(!is_start || help, "start succeeded without forking");
		return 0;
	}
	/* status reports on stdout with its LSB code, stderr quiet. */
	if (errlen == 0) {
		check(argc > 1 && !strcmp(argv[1], "status") && code != 2, "a failure without a message");
		return 0;
	}
	check(!strncmp(err, "godaemon: ", 10) || !strncmp(err, "Usage: ", 7), "message form");
	nl = strchr(err, '\n');
	check(nl != NULL, "message without newline");
	/* An argument with a newline in it is echoed as it is. */
	check(code == 2 || nl[1] == '\0' || memchr(buf, '\n', size), "more than one line");
	return 0;
}

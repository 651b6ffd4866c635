/*
 * t_attrs.c - the applet's -C/-P/-L/-e module (applet/godaemon_attrs.c) on
 * its own, as the applet is to use it:
 *
 *   t_attrs [-C CAPS] [-P NICE] [-L RES=N] [-e N=V] [-u UID:GID] -- PROG [ARG]...
 *	parses the options (exit 2 on a bad one, with the message the
 *	applet gives), builds PROG's environment, forks; the child applies the
 *	attributes around a setgroups/setgid/setuid to UID:GID and execs
 *	PROG, reporting a failure through a close-on-exec pipe: the parent
 *	prints "t_attrs: <the module's message>" and exits 125, or exits
 *	with PROG's status (127 when PROG cannot be executed).
 *   t_attrs names NAME...
 *	prints the number -C gives each NAME, or "bad".
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "t.h"
#include "godaemon_attrs.h"

extern char **environ;

#ifdef SYS_setuid32
# define SYS_SETUID SYS_setuid32
# define SYS_SETGID SYS_setgid32
# define SYS_SETGROUPS SYS_setgroups32
#else
# define SYS_SETUID SYS_setuid
# define SYS_SETGID SYS_setgid
# define SYS_SETGROUPS SYS_setgroups
#endif

static int names(char **argv)
{
	for (; *argv; argv++) {
		struct prog_attrs a;
		int i;

		memset(&a, 0, sizeof(a));
		if (attrs_option(&a, 'C', *argv)) {
			printf("%s bad\n", *argv);
			continue;
		}
		for (i = 0; !(a.caps >> i & 1); i++)
			continue;
		printf("%s %d\n", *argv, i);
	}
	return 0;
}

/* The child: async-signal-safe calls only, as in the applet's daemon. */
static void __attribute__((noreturn)) child(const struct prog_attrs *a, long uid, long gid,
					    char **argv, char **envp, int report)
{
	int r[2] = { 0, 0 };
	gid_t g = (gid_t)gid;

	if (attrs_apply_before_user(a, &r[0]) < 0)
		goto failed;
	if (uid >= 0 && (syscall(SYS_SETGROUPS, 1, &g) < 0 || syscall(SYS_SETGID, gid) < 0
			 || syscall(SYS_SETUID, uid) < 0)) {
		r[0] = -1;
		goto failed;
	}
	if (attrs_apply_after_user(a, &r[0]) < 0)
		goto failed;
	execvpe(argv[0], argv, envp);
	r[0] = -2;
failed:
	r[1] = errno;
	if (write(report, r, sizeof(r)) != sizeof(r))
		_exit(124);
	_exit(125);
}

int main(int argc, char **argv)
{
	static struct prog_attrs a;
	long uid = -1, gid = -1;
	int i, p[2], r[2], status;
	char **envp;
	pid_t pid;

	(void)errname;
	if (argc > 1 && !strcmp(argv[1], "names"))
		return names(argv + 2);
	for (i = 1; i < argc && strcmp(argv[i], "--"); i += 2) {
		if (i + 1 >= argc || argv[i][0] != '-')
			return fprintf(stderr, "t_attrs: bad arguments\n"), 2;
		if (argv[i][1] == 'u') {
			if (sscanf(argv[i + 1], "%ld:%ld", &uid, &gid) != 2)
				return fprintf(stderr, "t_attrs: bad -u\n"), 2;
		} else {
			/* The applet's usage error, as the module's interface asks. */
			const char *why = attrs_option(&a, argv[i][1], argv[i + 1]);
			if (why)
				return fprintf(stderr, "godaemon: bad -%c '%s'%s\n", argv[i][1],
					       argv[i + 1], why), 2;
		}
	}
	if (i + 1 >= argc)
		return fprintf(stderr, "t_attrs: no PROG\n"), 2;
	envp = attrs_environ(&a, environ);
	if (!envp)
		return fprintf(stderr, "godaemon: environment too big for -e\n"), 2;
	if (pipe2(p, O_CLOEXEC) < 0)
		return perror("pipe2"), 125;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return perror("fork"), 125;
	if (pid == 0)
		child(&a, uid, gid, argv + i + 1, envp, p[1]);
	close(p[1]);
	if (read(p[0], r, sizeof(r)) == sizeof(r)) {
		const char *fmt, *obj = "";

		waitpid(pid, &status, 0);
		errno = r[1];
		if (r[0] == -2)
			return fprintf(stderr, "t_attrs: can't execute '%s': %s\n", argv[i + 1],
				       strerror(r[1])), 127;
		if (r[0] == -1)
			return fprintf(stderr, "t_attrs: can't change user: %s\n", strerror(r[1])), 125;
		fmt = attrs_failure(r[0], &obj);
		fputs("t_attrs: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"
		fprintf(stderr, fmt, obj);	/* musl's and glibc's printf know %m */
#pragma GCC diagnostic pop
		fputs("\n", stderr);
		return 125;
	}
	if (waitpid(pid, &status, 0) < 0)
		return perror("waitpid"), 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

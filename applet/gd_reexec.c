/*
 * gd_reexec.c - Go's staging (GD_REEXEC): every stage re-executes the program.
 *
 * Stage 0, the caller, starts a copy of the program from gd_executable_path()
 * that is a session leader (fork, setsid, execve) and waits for the daemon;
 * stage 1 starts another copy that is not (fork, execve) and exits; stage 2
 * sets itself up as fork mode's daemon does and returns 0. The code before
 * gd_make_daemon() runs in each stage, as Go documents. Between fork and
 * execve only async-signal-safe calls are made, so threads the program
 * started before the call do no harm.
 *
 * The stage travels in the environment, as in Go:
 *	__DAEMON_STAGE=S/N/PID/DEV/INO[:ORIG]
 * S is the stage (1 or 2); N the number of kept descriptors, now 3 to N+2,
 * with the write end of the report pipe at N+3; PID the process the value was
 * made for (execve keeps the PID); DEV/INO the identity of that pipe; ORIG,
 * after a colon, the user's own value, absent when the variable was unset.
 * A stage believes the value only if PID is its own and descriptor N+3 is the
 * write end of that very pipe. A value set by the user, left over from an old
 * run, or inherited by a program a stage runs fails a check and counts as the
 * user's own value, as Go does with a value whose checksum does not match
 * ("stage/time/sha1:orig" there). The daemon puts the user's value back, or
 * removes the variable when there was none.
 *
 * Failures travel back as in fork mode, as struct gd_report records, but the
 * pipe crosses execve, so its closing proves nothing: the caller needs two
 * GD_STEP_PID records, one from stage 1 once it forked the daemon and one
 * from the daemon once it is set up, in either order. EOF before both means
 * a stage died or never called gd_make_daemon(): ECHILD.
 *
 * The arguments are read from /proc/self/cmdline: musl keeps no argv the
 * library can reach, and the initial stack cannot be found once the program
 * replaced environ. So this mode needs /proc (ENOENT without it). The
 * environment is the current environ, passed by pointer with our entry
 * replaced. The arguments' text, the tag and the argv and envp arrays share
 * one stack buffer of EXEC_MAX bytes (E2BIG when they do not fit): no
 * variable-length array, and a stack use known in advance.
 *
 * Kept descriptors go to 3, 4, ... as Go's ProcAttr.Files puts them. In the
 * daemon attr->files[i] is overwritten with 3 + i: that is how a C program
 * finds its descriptors, since what it stored there in this process is not
 * what the parent opened. attr->nfiles must be the same in every stage
 * (EINVAL otherwise). The code before the call in stages 1 and 2 finds the
 * kept descriptors and the report pipe open without close-on-exec, as a Go
 * program does: a program it starts there inherits them (and the locks), so
 * it should start none, and must leave them and __DAEMON_STAGE alone.
 * Stages 1 and 2 start with default signal dispositions and an empty mask.
 */
//kbuild:lib-$(CONFIG_FEATURE_GODAEMON_REEXEC) += gd_reexec.o

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "gd_internal.h"

#define STAGE_VAR "__DAEMON_STAGE"

/* What the stages copy onto their stack, bounded. */
enum {
	EXEC_MAX = 16384,	/* bytes for the next stage's arguments, tag, argv and envp */
	FILES_MAX = 1024	/* kept descriptors */
};
/* "__DAEMON_STAGE=" and five unsigned longs, each followed by '/', ':' or NUL */
#define TAG_MAX (sizeof(STAGE_VAR "=") + 5 * GD_ULONG_DIGITS)

struct tag {
	int stage;		/* GD_STAGE_PARENT unless the value checked out */
	int nfiles;
	char *entry;		/* our environ entry, or NULL */
	const char *orig;	/* the user's value, or NULL when there was none */
};

static void read_tag(struct tag *t)
{
	char nums[TAG_MAX], *field, *end;
	const char *value, *colon;
	unsigned long f[5];
	struct stat st;
	char **e;
	int i, fd;

	t->stage = GD_STAGE_PARENT;
	t->nfiles = 0;
	t->entry = NULL;
	t->orig = NULL;
	for (e = environ; e && *e; e++)
		if (!strncmp(*e, STAGE_VAR "=", sizeof(STAGE_VAR)))
			break;
	if (!e || !*e)
		return;
	t->entry = *e;
	t->orig = value = *e + sizeof(STAGE_VAR);
	/* The five numbers, up to the colon, copied so that each ends in a NUL. */
	colon = gd_find_char(value, ':');
	if ((size_t)(colon - value) >= sizeof(nums))
		return;
	memcpy(nums, value, (size_t)(colon - value));
	nums[colon - value] = '\0';
	for (i = 0, field = nums; i < 5; i++, field = end + 1) {
		end = gd_find_char(field, '/');
		if (!*end != (i == 4))
			return;
		*end = '\0';
		if (gd_parse_ulong(field, 10, ULONG_MAX, &f[i]) < 0)
			return;
	}
	if (f[0] < GD_STAGE_CHILD || f[0] > GD_STAGE_DAEMON || f[1] > FILES_MAX
	    || f[2] != (unsigned long)getpid())
		return;
	/*
	 * DEV and INO as unsigned long on both sides: the kernel's values fit
	 * in 32 bits (a pipe's inode number is an unsigned int, its device a
	 * new_encode_dev() one), where musl's dev_t and ino_t have 64.
	 */
	fd = 3 + (int)f[1];
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)
	    || (unsigned long)st.st_dev != f[3]
	    || (unsigned long)st.st_ino != f[4]
	    || (fcntl(fd, F_GETFL) & O_ACCMODE) != O_WRONLY)
		return;
	t->stage = (int)f[0];
	t->nfiles = (int)f[1];
	t->orig = *colon ? colon + 1 : NULL;
}

enum gd_stage gd_reexec_stage(void)
{
	struct tag t;
	int e = errno;

	read_tag(&t);
	errno = e;	/* a query: the checks' failures are not the caller's */
	return t.stage;
}

/* Async-signal-safe: the environ entry for the next stage, into buf[TAG_MAX + strlen(orig)]. */
static void make_tag(char *buf, int stage, int nfiles, const struct stat *pipe_st,
		     const char *orig)
{
	unsigned long f[5] = { (unsigned)stage, (unsigned)nfiles, (unsigned long)getpid(),
			       (unsigned long)pipe_st->st_dev, (unsigned long)pipe_st->st_ino };
	char *p = buf + sizeof(STAGE_VAR);
	int i;

	memcpy(buf, STAGE_VAR "=", sizeof(STAGE_VAR));
	for (i = 0; i < 5; i++) {
		p += gd_utoa(f[i], p);
		*p++ = i < 4 ? '/' : ':';
	}
	if (orig)
		memcpy(p, orig, strlen(orig) + 1);
	else
		p[-1] = '\0';
}

/* The program's arguments, NUL-terminated strings one after the other: their length. */
static ssize_t read_args(char *buf, size_t size)
{
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while ((n = gd_read(fd, buf + len, size - len)) > 0 && (len += (size_t)n) < size)
		continue;
	gd_close(fd);
	if (n < 0)
		return -1;
	/* Full means perhaps cut, and a NUL may still be needed: E2BIG either way. */
	if (len == size) {
		errno = E2BIG;
		return -1;
	}
	if (len && buf[len - 1])
		buf[len++] = '\0';
	return (ssize_t)len;
}


/*
 * Stage 0's child: kept descriptors to 3, 4, ..., the report pipe just above
 * them, /dev/null on 0-2. Every source is first copied above all the targets,
 * so that no dup2() closes a descriptor still to be moved, and a locked file
 * never loses its last descriptor: its flock() is held at every instant.
 * The copies' numbers go into attr->files, this child's own copy of the
 * caller's array, which the daemon overwrites with 3, 4, ... anyway: no
 * table on the stack. Returns the report pipe's new number; reports and
 * exits on failure.
 */
static int place_fds(const struct gd_attr *attr, int report, int null)
{
	int n = (int)attr->nfiles, top = 3 + n, high_report, high_null, i;

	for (i = 0; i < n; i++) {
		attr->files[i] = fcntl(attr->files[i], F_DUPFD_CLOEXEC, top + 1);
		if (attr->files[i] < 0)
			goto fail;
	}
	high_report = fcntl(report, F_DUPFD_CLOEXEC, top + 1);
	if (high_report < 0)
		goto fail;
	high_null = fcntl(null, F_DUPFD_CLOEXEC, top + 1);
	if (high_null < 0)
		goto fail;
	report = high_report;
	for (i = 0; i < n; i++)
		if (gd_dup2(attr->files[i], 3 + i) < 0)
			goto fail;
	if (gd_dup2(high_report, top) < 0 || gd_dup2(high_null, 0) < 0
	    || gd_dup2(high_null, 1) < 0 || gd_dup2(high_null, 2) < 0)
		goto fail;
	return top;
fail:
	gd_report(report, GD_STEP_FILES, errno);
	_exit(1);
}

/*
 * What the next stage is started with, prepared before the fork: the
 * arguments' text and then the tag from the start of buf, argv and then envp
 * at its end. The tag is the last entry of envp, written by the child, whose
 * PID it holds.
 */
struct next_exec {
	char path[PATH_MAX];
	char **argv, **envp, *tag;
	union {
		char *ptr[EXEC_MAX / sizeof(char *)];
		char text[EXEC_MAX];
	} buf;
};

/* Fill x for stage t's next stage: 0, or -1 and errno (E2BIG: buf is too small). */
static int prepare_exec(const struct gd_attr *attr, const struct tag *t, struct next_exec *x)
{
	size_t tag_size = TAG_MAX + (t->orig ? strlen(t->orig) : 0), argc = 0, nptr, i;
	char **env, *a;
	ssize_t len;

	if (gd_executable_path(x->path, sizeof(x->path)) < 0)
		return -1;
	if (tag_size >= sizeof(x->buf)) {
		errno = E2BIG;
		return -1;
	}
	len = read_args(x->buf.text, sizeof(x->buf) - tag_size);
	if (len < 0)
		return -1;
	for (i = 0; i < (size_t)len; i++)
		argc += !x->buf.text[i];
	/* argv: the arguments (or the path alone) and NULL; envp: environ, the tag and NULL. */
	nptr = argc + 2 + 2;
	for (env = environ; env && *env; env++)
		nptr++;
	if (nptr > (sizeof(x->buf) - (size_t)len - tag_size) / sizeof(char *)) {
		errno = E2BIG;
		return -1;
	}
	x->argv = x->buf.ptr + sizeof(x->buf.ptr) / sizeof(x->buf.ptr[0]) - nptr;
	x->envp = x->argv + argc + 2;
	x->tag = x->buf.text + len;
	for (i = 0, a = x->buf.text; i < argc; i++, a += strlen(a) + 1)
		x->argv[i] = a;
	if (!argc)
		x->argv[argc++] = x->path;
	if (attr->program_name)
		x->argv[0] = (char *)attr->program_name;
	x->argv[argc] = NULL;
	for (i = 0, env = environ; env && *env; env++)
		if (strncmp(*env, STAGE_VAR "=", sizeof(STAGE_VAR)))
			x->envp[i++] = *env;
	x->envp[i++] = x->tag;
	x->envp[i] = NULL;
	return 0;
}

/*
 * The next stage's child: stage 0's becomes a session leader and puts the
 * descriptors in place; stage 1's finds them in place. Only async-signal-safe
 * calls from here to execve().
 */
static __attribute__((noreturn)) void run_next(const struct gd_attr *attr, const struct tag *t,
					       int report, int null, const struct stat *pipe_st,
					       struct next_exec *x)
{
	int fd;

	if (t->stage == GD_STAGE_PARENT) {
		if (setsid() < 0) {
			gd_report(report, GD_STEP_SETSID, errno);
			_exit(1);
		}
		report = place_fds(attr, report, null);
	}
	for (fd = 3; fd <= report; fd++)
		if (fcntl(fd, F_SETFD, 0) < 0) {
			gd_report(report, GD_STEP_FILES, errno);
			_exit(1);
		}
	/*
	 * Nothing else the program left open without close-on-exec reaches
	 * the stages, as in Go; before Linux 5.9 stage 2 closes it.
	 */
	syscall(SYS_close_range, (unsigned)report + 1, ~0U, 0);
	make_tag(x->tag, t->stage + 1, (int)attr->nfiles, pipe_st, t->orig);
	/* exec resets handlers; gd_reset_signals() the rest. */
	gd_reset_signals();
	execve(x->path, x->argv, x->envp);
	gd_report(report, GD_STEP_REEXEC, errno);
	_exit(127);
}

/*
 * Start the next stage: fork, and execve the program with its arguments and
 * environment, the tag advanced. Returns the child's PID, or -1 with errno
 * and *step.
 */
static pid_t exec_next(const struct gd_attr *attr, const struct tag *t, int report,
		       int *step)
{
	struct next_exec x;
	int null = -1, e;
	struct stat st;
	sigset_t all, old;
	pid_t pid;

	*step = GD_STEP_REEXEC;
	if (prepare_exec(attr, t, &x) < 0 || fstat(report, &st) < 0)
		return -1;
	if (t->stage == GD_STAGE_PARENT) {
		null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null < 0) {
			*step = GD_STEP_STDIO;
			return -1;
		}
	}
	/* As in gd_spawn(): no handler of the program's runs in the child. */
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	pid = fork();
	if (pid == 0)
		run_next(attr, t, report, null, &st, &x);
	e = errno;
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (null >= 0)
		close(null);
	if (pid < 0) {
		errno = e;
		*step = t->stage == GD_STAGE_PARENT ? GD_STEP_FORK1 : GD_STEP_FORK2;
	}
	return pid;
}

/* Stage 0: start stage 1 and wait until the daemon is set up, or a stage failed. */
static int start_staging(const struct gd_attr *attr, const struct tag *t)
{
	struct gd_report r = { GD_STEP_NONE, 0 };
	int fds[2], step, e, pids = 0;
	ssize_t n;
	size_t i;
	pid_t pid;

	if (attr->nfiles > FILES_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (i = 0; i < attr->nfiles; i++)
		if (fcntl(attr->files[i], F_GETFD) < 0)
			return -1;
	if (pipe2(fds, O_CLOEXEC) < 0)
		return -1;
	pid = exec_next(attr, t, fds[1], &step);
	e = errno;
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		errno = e;
		return -1;
	}
	while ((n = gd_read(fds[0], &r, sizeof(r))) == (ssize_t)sizeof(r)
	       && r.step == GD_STEP_PID && ++pids < 2)
		continue;
	e = errno;
	close(fds[0]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		continue;
	if (pids == 2)
		_exit(0);	/* as Go's MakeDaemon: the caller exits */
	if (n == (ssize_t)sizeof(r))
		e = r.value ? r.value : ECHILD;
	else if (n >= 0)
		e = n ? EPROTO : ECHILD;
	errno = e;
	return -1;
}

/* Put the user's __DAEMON_STAGE back in place of ours, in place: no heap. */
static void restore_env(const struct tag *t)
{
	char **e;

	for (e = environ; *e && *e != t->entry; e++)
		continue;
	if (!*e)
		return;
	if (t->orig)
		memmove(t->entry + sizeof(STAGE_VAR), t->orig, strlen(t->orig) + 1);
	else
		do
			e[0] = e[1];
		while (*e++);
}

int gd_reexec_make_daemon(const struct gd_attr *attr, int *out_fd, int *err_fd)
{
	struct tag t;
	int report, step;
	size_t i;

	read_tag(&t);
	if (t.stage == GD_STAGE_PARENT)
		return start_staging(attr, &t);
	/* Stages 1 and 2 never return to a caller: they report and exit. */
	report = 3 + t.nfiles;
	if (attr->nfiles != (size_t)t.nfiles) {
		gd_report(report, GD_STEP_FILES, EINVAL);
		_exit(1);
	}
	if (t.stage == GD_STAGE_CHILD) {
		pid_t pid;

		gd_set_stage(GD_STAGE_CHILD);
		pid = exec_next(attr, &t, report, &step);
		if (pid < 0) {
			gd_report(report, step, errno);
			_exit(1);
		}
		gd_report(report, GD_STEP_PID, (int)pid);
		_exit(0);
	}
	for (i = 0; i < attr->nfiles; i++)
		attr->files[i] = 3 + (int)i;
	restore_env(&t);
	step = gd_become_daemon(attr, report);
	if (step == GD_STEP_NONE && fcntl(report, F_SETFD, FD_CLOEXEC) < 0)
		step = GD_STEP_FILES;
	if (step == GD_STEP_NONE && attr->capture_output && gd_capture(out_fd, err_fd) < 0)
		step = GD_STEP_CAPTURE;
	if (step != GD_STEP_NONE) {
		gd_report(report, step, errno);
		_exit(1);
	}
	/* A caller killed meanwhile must not take the daemon with it, as in fork mode. */
	{
		struct sigaction ign = { .sa_handler = SIG_IGN }, dfl;

		sigaction(SIGPIPE, &ign, &dfl);
		gd_report(report, GD_STEP_PID, (int)getpid());
		sigaction(SIGPIPE, &dfl, NULL);
	}
	close(report);
	return 0;
}

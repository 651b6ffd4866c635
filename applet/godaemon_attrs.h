/*
 * godaemon_attrs.h - what PROG runs with besides its user and files: the
 * capabilities it keeps (-C), its nice level (-P), its resource limits (-L)
 * and its environment (-e). The options are parsed and the environment is
 * built before any fork; the rest is applied in the process that becomes
 * PROG, just before it execs, with raw system calls only.
 *
 * In the process that becomes PROG, in this order:
 *	chdir, umask, every open/dup2 that PROG's descriptors need
 *	attrs_apply_before_user()	limits, nice, PR_SET_KEEPCAPS
 *	setgroups, setgid, setuid	(-u)
 *	attrs_apply_after_user()	capset, ambient raise, bounding set
 *	execve(path, argv, attrs_environ() of the parent)
 * Nothing may be forked between the setuid and attrs_apply_after_user():
 * with -C the process holds all of root's permitted capabilities there.
 */
#ifndef GODAEMON_ATTRS_H
#define GODAEMON_ATTRS_H 1

/* Variables in PROG's environment when -e is given (the caller's and -e's). */
#define ATTRS_ENV_MAX	256
/* Resources of -L: core nofile nproc as data stack fsize memlock cpu rtprio. */
#define ATTRS_NLIMITS	10

struct prog_attrs {
	unsigned long long caps;	/* -C: bit N keeps capability N; 0 without -C */
	unsigned limits;		/* -L: bit i set when resource i of the table is given */
	int nice;			/* -P, when has_nice */
	int has_nice;
	int nenv;			/* -e options, in envp[ATTRS_ENV_MAX - nenv..ATTRS_ENV_MAX),
					   the first at the top, until attrs_environ() */
	unsigned long long lim[ATTRS_NLIMITS][2];	/* soft, hard: the kernel's rlimit64 */
	char *envp[ATTRS_ENV_MAX + 1];
};

/*
 * What failed in PROG's process, for attrs_failure(): a small number
 * (below ATTRS_FAIL_END, 0 unused) that fits a report record's step,
 * e.g. STEP_ATTRS + fail.
 */
enum {
	ATTRS_FAIL_LIMIT = 1,				/* + index of the resource */
	ATTRS_FAIL_NICE = ATTRS_FAIL_LIMIT + ATTRS_NLIMITS,
	ATTRS_FAIL_CAPS,				/* keepcaps, capset, ambient, bounding set */
	ATTRS_FAIL_NO_AMBIENT,				/* Linux < 4.3 */
	ATTRS_FAIL_END
};

/*
 * Option letter 'C', 'P', 'L' or 'e' with its argument, kept by pointer
 * (argv's strings must outlive a); a starts zeroed. NULL, or a usage
 * error: the caller prints "bad -X 'ARG'" and this tail ("" or ": soft
 * limit above hard") and exits 2.
 */
const char *attrs_option(struct prog_attrs *a, int letter, const char *arg);
/*
 * PROG's environment: env itself without -e; with -e, in a->envp, the -e
 * variables (the last of a name wins), then those of env whose names are
 * not in yet (-e's, or an earlier one of env's). Once, after the
 * options. The answer points into a, env and argv: they must outlive it.
 * NULL when over ATTRS_ENV_MAX variables: the caller says so, a usage
 * error.
 */
char **attrs_environ(struct prog_attrs *a, char **env);
/*
 * In PROG's process (async-signal-safe). 0, or -1 with errno and *fail
 * naming the step. Before the user change: limits, nice, and with -C
 * PR_SET_KEEPCAPS so that setuid keeps the permitted capabilities.
 */
int attrs_apply_before_user(const struct prog_attrs *a, int *fail);
/*
 * After the user change, with -C: PROG's capabilities become exactly the
 * -C set. Not root (real and effective uid non-zero): its permitted,
 * effective, inheritable and ambient sets are that set. Root (no -u, or
 * -u root): its bounding and inheritable sets, so that its exec gives it
 * nothing else; the ambient set stays empty. Decided by the ids the
 * process has then, not by whether -u was given.
 * 0, or -1 with errno and *fail. Without -C: nothing, 0.
 */
int attrs_apply_after_user(const struct prog_attrs *a, int *fail);
/*
 * The message of fail, for gd_vsay()-style output: a format with at most
 * one %s (*obj, a static name, else NULL) and usually %m (the errno
 * reported).
 */
const char *attrs_failure(int fail, const char **obj);

#endif

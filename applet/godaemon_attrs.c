/*
 * godaemon_attrs.c - start -C CAP[,CAP], -P NICE, -L RES=N, -e NAME=VALUE:
 * what routers need to run a daemon unprivileged and bounded. The
 * interface and where each call goes are in godaemon_attrs.h.
 *
 * Compat info: OpenRC's start-stop-daemon has --capabilities, -N and -e;
 * runit's chpst -o/-p/-d and s6-softlimit set soft limits only (clamped to
 * the hard one); OpenWrt's procd sets "limits" as soft and hard. Here
 * -L RES=N sets both, RES=SOFT:HARD each, and a soft limit above the hard
 * one is a usage error rather than clamped.
 */
//config:config FEATURE_GODAEMON_ATTRS
//config:	bool "Capabilities, nice, limits, environment of PROG (-C -P -L -e) (2.1 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  -C keeps capabilities across -u as ambient ones (Linux >= 4.3),
//config:	  so that a daemon runs as nobody and still binds port 80;
//config:	  -P sets the nice level, -L resource limits, -e variables.

//kbuild:lib-$(CONFIG_FEATURE_GODAEMON_ATTRS) += godaemon_attrs.o

#include <errno.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gd_internal.h"
#include "godaemon_attrs.h"

/*
 * Capability names in number order (linux/capability.h, Linux 5.9 to
 * 6.18: CAP_LAST_CAP 40). Numbers, not the header, because musl's
 * compilers come without kernel headers; they are the kernel's ABI.
 */
#define CAP_COUNT 41
static const char cap_names[] ALIGN1 =
	"chown\0dac_override\0dac_read_search\0fowner\0fsetid\0kill\0setgid\0"
	"setuid\0setpcap\0linux_immutable\0net_bind_service\0net_broadcast\0"
	"net_admin\0net_raw\0ipc_lock\0ipc_owner\0sys_module\0sys_rawio\0"
	"sys_chroot\0sys_ptrace\0sys_pacct\0sys_admin\0sys_boot\0sys_nice\0"
	"sys_resource\0sys_time\0sys_tty_config\0mknod\0lease\0audit_write\0"
	"audit_control\0setfcap\0mac_override\0mac_admin\0syslog\0wake_alarm\0"
	"block_suspend\0audit_read\0perfmon\0bpf\0checkpoint_restore\0";

/* -L's names, each with its RLIMIT_ (they differ on MIPS, SPARC, Alpha). */
static const char limit_names[] ALIGN1 =
	"core\0nofile\0nproc\0as\0data\0stack\0fsize\0memlock\0cpu\0rtprio\0";
static const unsigned char limit_res[ATTRS_NLIMITS] ALIGN1 = {
	RLIMIT_CORE, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_AS, RLIMIT_DATA,
	RLIMIT_STACK, RLIMIT_FSIZE, RLIMIT_MEMLOCK, RLIMIT_CPU, RLIMIT_RTPRIO
};

/*
 * capset(2), version 3: a header { version, pid }, then { effective,
 * permitted, inheritable } for capabilities 0-31 and again for 32-63.
 */
#define CAPS_V3 0x20080522
#define CAP_SETPCAP 8

/*
 * Longer than any name here ("cap_checkpoint_restore") and any number the
 * options take (20 digits): a longer word matches nothing.
 */
#define WORD_MAX 23

/*
 * The word of s up to sep (or its end) into w (WORD_MAX + 1 bytes), in
 * lower case: names are taken in any case, and the tables are lower case.
 * A word too long for w becomes "", which no name or number is. Returns
 * where the word ends: at sep or at the end of s.
 */
static const char *word(const char *s, int sep, char *w)
{
	unsigned n = 0;

	for (; *s && *s != sep; s++, n++)
		if (n < WORD_MAX)
			w[n] = (char)((unsigned)(*s - 'A') < 26 ? *s | 0x20 : *s);
	w[n <= WORD_MAX ? n : 0] = '\0';
	return s;
}

/* The i-th string of list ("a\0b\0"); i is below their number. */
static const char *nth(const char *list, int i)
{
	while (i--)
		list += gd_strlen(list) + 1;
	return list;
}

/* The index of w in names ("a\0b\0", then "\0"), or -1. */
static int find_name(const char *names, const char *w)
{
	int i;

	for (i = 0; *names; i++, names += gd_strlen(names) + 1)
		if (gd_streq(names, w))
			return i;
	return -1;
}

/*
 * A limit: a number or "unlimited" (RLIM64_INFINITY on every
 * architecture, ~0). In 64 bits without a division, which 32-bit
 * targets would take from libgcc: up to 19 digits, which never wrap.
 */
static int limit_value(const char *w, unsigned long long *v)
{
	unsigned long long n = 0;
	unsigned k;

	*v = ~0ULL;
	if (gd_streq(w, "unlimited"))
		return 0;
	for (k = 0; w[k]; k++) {
		unsigned d = (unsigned)(w[k] - '0');

		if (d > 9 || k == 19)
			return -1;
		n = n * 10 + d;
	}
	*v = n;
	return k ? 0 : -1;
}

/* -C: names with or without "cap_", in any case, or numbers, comma-separated. */
static const char *parse_caps(struct prog_attrs *a, const char *p)
{
	char w[WORD_MAX + 1];
	const char *name;
	unsigned long n;
	int i;

	do {
		p = word(p, ',', w);
		name = gd_skip(w, "cap_");
		if (!name)
			name = w;	/* "cap_" alone leaves "": neither name nor number */
		i = find_name(cap_names, name);
		if (i < 0) {
			if (gd_parse_ulong(name, 10, CAP_COUNT - 1, &n) < 0)
				return "";
			i = (int)n;
		}
		a->caps |= 1ULL << i;
	} while (*p++);
	return NULL;
}

/* -L RES=N (soft and hard) or RES=SOFT:HARD; the last of a RES wins. */
static const char *parse_limit(struct prog_attrs *a, const char *p)
{
	char w[WORD_MAX + 1];
	unsigned long long *lim;
	int i, k;

	p = word(p, '=', w);
	i = find_name(limit_names, w);
	if (i < 0 || !*p)
		return "";
	lim = a->lim[i];
	/* SOFT after the '=', then HARD after a ':', or without one SOFT again. */
	for (k = 0; k < 2; k++) {
		if (*p)
			p = word(p + 1, ':', w);
		if (limit_value(w, &lim[k]) < 0)
			return "";
	}
	if (*p)
		return "";
	a->limits |= 1U << i;
	/* Never clamped: runit's chpst and s6-softlimit clamp a soft limit silently. */
	return lim[0] > lim[1] ? ": soft limit above hard" : NULL;
}

const char *attrs_option(struct prog_attrs *a, int letter, const char *arg)
{
	unsigned long n;
	int neg;

	if (letter == 'C')
		return parse_caps(a, arg);
	if (letter == 'L')
		return parse_limit(a, arg);
	if (letter == 'e') {
		if (*arg == '=' || !*gd_find_char(arg, '=') || a->nenv == ATTRS_ENV_MAX)
			return "";
		/* From the top down: attrs_environ() reads them from the last. */
		a->envp[ATTRS_ENV_MAX - ++a->nenv] = (char *)arg;
		return NULL;
	}
	/* -P: -20 (most favourable) to 19, as nice(1) */
	neg = *arg == '-';
	if (gd_parse_ulong(arg + (neg || *arg == '+'), 10, 19U + (unsigned)neg, &n) < 0)
		return "";
	a->nice = neg ? -(int)n : (int)n;
	a->has_nice = 1;
	return NULL;
}

/* Is var's name that of one of list[0..n)? */
static int set_in(char *const *list, int n, const char *var)
{
	while (n--) {
		const char *p = list[n], *q = var;

		/* Up to p's '=' or end: the caller's variables may lack one. */
		for (; *p == *q && *p; p++, q++)
			if (*p == '=')
				return 1;
	}
	return 0;
}

/*
 * One pass over the -e variables from the last (so that the last of a name
 * wins), then over the caller's: each unless its name is in already. The
 * -e ones fill a->envp from the top down, and each is read before the
 * answer, growing from the bottom, can reach its slot.
 */
char **attrs_environ(struct prog_attrs *a, char **env)
{
	char **set = a->envp, **var = set + ATTRS_ENV_MAX - a->nenv;
	int m = 0;

	if (!a->nenv)
		return env;
	for (;; var++) {
		if (var == set + ATTRS_ENV_MAX)
			var = env;	/* past the -e variables */
		if (!*var)
			break;
		if (set_in(set, m, *var))
			continue;
		if (m == ATTRS_ENV_MAX)
			return NULL;
		set[m++] = *var;
	}
	set[m] = NULL;
	return set;
}

/* prctl() with two arguments: PR_CAP_AMBIENT wants the unused ones 0. */
static long __attribute__((noinline)) prctl2(int op, long arg2, long arg3)
{
	return syscall(SYS_prctl, op, arg2, arg3, 0L, 0L);
}

int attrs_apply_before_user(const struct prog_attrs *a, int *fail)
{
	int i;

	/* As root still: a hard limit may go up, the nice level down. */
	for (i = 0; i < ATTRS_NLIMITS; i++) {
		*fail = ATTRS_FAIL_LIMIT + i;
		if ((a->limits >> i & 1)
		    && syscall(SYS_prlimit64, 0, limit_res[i], a->lim[i], NULL) < 0)
			return -1;
	}
	*fail = ATTRS_FAIL_NICE;
	if (a->has_nice && syscall(SYS_setpriority, PRIO_PROCESS, 0, a->nice) < 0)
		return -1;
	/* setuid() from root would empty the permitted set; this keeps it until exec. */
	*fail = ATTRS_FAIL_CAPS;
	return a->caps && prctl2(PR_SET_KEEPCAPS, 1, 0) < 0 ? -1 : 0;
}

/*
 * Root's exec gives it its inheritable set and all of its bounding set,
 * whatever else it holds: the bounding set is cut to the -C set, which
 * takes CAP_SETPCAP until then. Another user's exec keeps only the
 * ambient set, which must be in the permitted and inheritable sets.
 */
int attrs_apply_after_user(const struct prog_attrs *a, int *fail)
{
	unsigned h[2] = { CAPS_V3, 0 }, d[6];
	unsigned long long caps = a->caps;
	int i, keep, root = !getuid() || !geteuid();

	if (!caps)
		return 0;
	d[0] = d[1] = (unsigned)caps | (unsigned)root << CAP_SETPCAP;
	d[2] = (unsigned)caps;
	d[3] = d[4] = d[5] = (unsigned)(caps >> 32);
	*fail = ATTRS_FAIL_CAPS;
	if (syscall(SYS_capset, h, d) < 0)
		return -1;
	*fail = ATTRS_FAIL_NO_AMBIENT;
	if (!root && prctl2(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0) < 0)
		return -1;
	*fail = ATTRS_FAIL_CAPS;
	for (i = 0; i < 64; i++) {
		keep = (int)(caps >> i & 1);
		if (keep != root && prctl2(keep ? PR_CAP_AMBIENT : PR_CAPBSET_DROP,
					   keep ? PR_CAP_AMBIENT_RAISE : i, i) < 0) {
			if (errno == EINVAL && root)
				break;	/* past the kernel's last capability */
			return -1;
		}
	}
	return 0;
}

/* The limits' message, then those of ATTRS_FAIL_NICE on, in order. */
static const char failures[] ALIGN1 =
	"can't set limit %s: %m\0"
	"can't set nice level: %m\0"
	"can't set capabilities: %m\0"
	"ambient capabilities need Linux >= 4.3";

const char *attrs_failure(int fail, const char **obj)
{
	int i = fail - ATTRS_FAIL_NICE + 1;

	*obj = NULL;
	if (i <= 0) {
		*obj = nth(limit_names, fail - ATTRS_FAIL_LIMIT);
		i = 0;
	}
	return nth(failures, i);
}

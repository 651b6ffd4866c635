/*
 * gd_fdkeep.c - close every descriptor but the kept ones, in the daemon.
 *
 * A kept descriptor is the same open file description the caller had: fork
 * shares it, so a flock() or OFD lock the caller holds on it is held by the
 * daemon without a single instant of release (the Go package's promise for
 * DaemonAttr.Files). POSIX record locks belong to a process and are never
 * inherited by fork: keep files locked with flock() or F_OFD_SETLK.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_fdkeep.o

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gd_internal.h"

/* The smallest kept descriptor >= lo, or INT_MAX. */
static int next_kept(const struct gd_attr *attr, int report, int lo)
{
	int best = report >= lo ? report : INT_MAX;
	size_t i;

	for (i = 0; i < attr->nfiles; i++)
		if (attr->files[i] >= lo && attr->files[i] < best)
			best = attr->files[i];
	return best;
}

static int is_kept(const struct gd_attr *attr, int report, int fd)
{
	return next_kept(attr, report, fd) == fd;
}

/*
 * Without close_range() (Linux < 5.9) the open descriptors are listed from
 * /proc/self/fd with getdents64, which is async-signal-safe unlike readdir;
 * the cost still follows what is open, not RLIMIT_NOFILE. Without /proc the
 * whole table up to the limit is walked.
 */
struct linux_dirent64 {
	unsigned long long d_ino;
	long long d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static int close_listed(const struct gd_attr *attr, int report)
{
	char buf[1024];
	int dir = gd_open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	long n;

	if (dir < 0)
		return -1;
	/* Closing while listing is fine: each pass restarts from the top. */
	for (;;) {
		int closed = 0;
		long off;

		if (gd_rewind(dir) < 0) {
			n = -1;	/* not listed whole: let the caller walk the table */
			break;
		}
		while ((n = syscall(SYS_getdents64, dir, buf, sizeof(buf))) > 0) {
			for (off = 0; off < n;) {
				struct linux_dirent64 *d = (void *)(buf + off);
				const char *s = d->d_name;
				int fd = 0;

				off += d->d_reclen;
				if (*s < '0' || *s > '9')
					continue;
				while (*s >= '0' && *s <= '9')
					fd = fd * 10 + (*s++ - '0');
				if (fd > 2 && fd != dir && !is_kept(attr, report, fd)) {
					close(fd);
					closed = 1;
				}
			}
		}
		if (n < 0 || !closed)
			break;
	}
	close(dir);
	return n < 0 ? -1 : 0;
}

static void close_walk(const struct gd_attr *attr, int report)
{
	unsigned long long rl[2];	/* struct rlimit64: prlimit64 is the same on every architecture */
	int fd, max = 1024;

	/* The raw call: getrlimit() adds fallbacks for kernels before 2.6.36. */
	if (syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, rl) == 0 && rl[0] < INT_MAX)
		max = (int)rl[0];
	for (fd = 3; fd < max; fd++)
		if (!is_kept(attr, report, fd))
			close(fd);
}

/*
 * Move kept descriptors out of 0-2, which become /dev/null next, and make
 * every kept one close-on-exec (as Go's are); then close all the others.
 */
int gd_keep_only(const struct gd_attr *attr, int report)
{
	size_t i;
	int lo, k;

	for (i = 0; i < attr->nfiles; i++) {
		int fd = attr->files[i], low = fd >= 0 && fd <= 2;

		/* F_DUPFD_CLOEXEC 3 for a low one, F_SETFD FD_CLOEXEC (1) otherwise */
		k = gd_fcntl(fd, low ? F_DUPFD_CLOEXEC : F_SETFD, low ? 3 : FD_CLOEXEC);
		if (k < 0)
			return -1;
		if (low)
			attr->files[i] = k;
	}
	for (lo = 3;; lo = k + 1) {
		k = next_kept(attr, report, lo);
		if (k > lo) {
			unsigned hi = k == INT_MAX ? ~0U : (unsigned)k - 1;
			if (syscall(SYS_close_range, (unsigned)lo, hi, 0) < 0) {
				if (errno != ENOSYS && errno != EINVAL)
					return -1;
				if (close_listed(attr, report) < 0)
					close_walk(attr, report);
				return 0;
			}
		}
		if (k == INT_MAX)
			return 0;
	}
}

/*
 * gd_pidfile.c - pidfiles that are never wrong: PIDFilename, PersistPID,
 * UpdatePIDFile, ReadPIDFile, UpdateFile.
 *
 * The lock: POSIX record locks (fcntl F_SETLK) on the pidfile itself, two
 * bytes of it (see gd_internal.h for the protocol). Why not flock() or OFD
 * locks: those belong to the open file description, which the daemon's
 * children inherit, so a child outliving the daemon would keep the pidfile
 * "running" and nobody could tell which process owns it. A record lock belongs
 * to one process: the kernel drops it when that process dies, children never
 * get it, and F_GETLK names its owner's PID. That is what makes a pidfile left
 * by a crash or a reboot stale whatever it says, and what keeps a reused PID
 * from ever being taken for the daemon.
 *
 * The price of record locks: a process loses them when it closes ANY
 * descriptor of the file. The library therefore never opens a second
 * descriptor on a pidfile it persisted (see borrow_persisted()), and a
 * program started by the applet must not open and close its own pidfile.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_pidfile.o

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gd_internal.h"

/* Linux PIDs never exceed PID_MAX_LIMIT (4 Mi on 64-bit kernels). */
#define GD_PID_LIMIT (4 * 1024 * 1024)
/* The longest content that can still be a PID: 22 digits and blanks is plenty. */
#define GD_PIDFILE_MAX 24
/* How many times a claim retries when the file it locked was replaced. */
#define GD_CLAIM_TRIES 16

/*
 * The pidfiles this process persisted: each descriptor holds its owner lock
 * for the process's life. An entry is ours only while its pid is ours: a
 * forked child has the copy but not the locks. No heap: a table.
 */
#define GD_PERSIST_MAX 8
static struct {
	int fd;
	pid_t pid;
	dev_t dev;
	ino_t ino;
} persisted[GD_PERSIST_MAX];

/* The entry of ours holding fd, or -1. */
static int persisted_fd(int fd)
{
	int i;

	for (i = 0; i < GD_PERSIST_MAX; i++)
		if (persisted[i].fd == fd && persisted[i].pid == getpid())
			return i;
	return -1;
}

/*
 * fcntl() on the lock [start, start+len) of fd. With holder, F_GETLK: the PID
 * holding a write-conflicting lock on it, 0 none, -1 untrusted. The protocol
 * only takes write locks; a read lock is what anyone who can read the file
 * may take, so its holder is never the owner, even when its PID is the one
 * the file names.
 */
static int lock_op(int fd, short type, off_t start, off_t len, pid_t *holder)
{
	struct flock lk = { .l_type = type, .l_whence = SEEK_SET,
			    .l_start = start, .l_len = len };
	int r;

	do
		r = gd_fcntl(fd, holder ? F_GETLK : F_SETLK, (long)&lk);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -1;
	if (holder)
		*holder = lk.l_type == F_UNLCK ? 0
			: lk.l_type == F_WRLCK && lk.l_pid > 0 ? lk.l_pid : -1;
	return 0;
}

static int lock_range(int fd, short type, off_t start, off_t len)
{
	return lock_op(fd, type, start, len, NULL);
}

static int lock_holder(int fd, off_t start, pid_t *holder)
{
	return lock_op(fd, F_WRLCK, start, 1, holder);
}

int gd_pidfile_open(const char *path, int mode)
{
	struct stat st;
	int fd, e;

	/* O_NONBLOCK: opening a FIFO planted at the path must not hang. */
	fd = gd_open(path, mode | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	e = 0;
	if (gd_fstat(fd, &st) < 0)
		e = errno;
	else if (S_ISDIR(st.st_mode))
		e = EISDIR;
	else if (!S_ISREG(st.st_mode))
		e = EINVAL;
	else if (st.st_uid != geteuid() && (mode != GD_PF_READ || st.st_uid != 0))
		e = EPERM;
	else if (st.st_nlink != 1)
		e = EMLINK;	/* a hard link to some other file, or already unlinked */
	if (e) {
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* Our persisted descriptor when path is that file; closing it would drop our lock. */
static int borrow_persisted(const char *path)
{
	struct stat st;
	int i;

	if (gd_stat(path, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	for (i = 0; i < GD_PERSIST_MAX; i++)
		if (persisted[i].pid == getpid() && st.st_dev == persisted[i].dev
		    && st.st_ino == persisted[i].ino)
			return persisted[i].fd;
	return -1;
}

/*
 * Set by gd_persist_pid(): a program that never persists a pidfile (the
 * applet) links neither the check nor what it calls.
 */
static int (*borrow)(const char *path);

int gd_pidfile_get(const char *path, int mode, int *own)
{
	int fd = borrow ? borrow(path) : -1;

	*own = fd >= 0;
	return fd >= 0 ? fd : gd_pidfile_open(path, mode);
}

void gd_pidfile_put(int fd, int own)
{
	if (!own)
		gd_close(fd);
}

/* Is fd still the file at path? A remover may have unlinked it after we opened it. */
static int still_at_path(int fd, const char *path)
{
	struct stat a, b;

	if (gd_fstat(fd, &a) < 0 || gd_stat(path, &b, AT_SYMLINK_NOFOLLOW) < 0)
		return 0;
	return a.st_nlink > 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int gd_pidfile_claim(const char *path)
{
	int tries, fd;

	for (tries = 0; tries < GD_CLAIM_TRIES; tries++) {
		fd = gd_pidfile_open(path, GD_PF_CREATE);
		if (fd < 0)
			return -1;
		/* Both bytes at once: nobody owns the file and nobody is starting. */
		if (lock_range(fd, F_WRLCK, 0, 2) < 0) {
			if (errno == EAGAIN || errno == EACCES)
				errno = EEXIST;
			gd_close(fd);
			return -1;
		}
		if (!still_at_path(fd, path)) {
			close(fd);
			continue;
		}
		/* Whatever it said, nobody owned it: stale. Empty it for the daemon. */
		if (gd_truncate0(fd) < 0
		    || lock_range(fd, F_UNLCK, 1, 1) < 0) {
			gd_close(fd);
			return -1;
		}
		return fd;
	}
	errno = EAGAIN;
	return -1;
}

int gd_pidfile_own(int fd)
{
	char buf[GD_ULONG_DIGITS + 1];
	size_t len;

	if (lock_range(fd, F_WRLCK, 1, 1) < 0)
		return -1;
	len = gd_utoa((unsigned long)getpid(), buf);
	buf[len++] = '\n';
	/*
	 * The claimer emptied the file, so this one write is the whole content:
	 * readers see either nothing or the complete line, never part of it.
	 */
	do {
		ssize_t n = gd_pwrite0(fd, buf, len);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0)
			errno = ENOSPC;
	} while (errno == EINTR);
	return -1;
}

int gd_pidfile_keep(int fd)
{
	return lock_range(fd, F_WRLCK, 1, 2);
}

int gd_pidfile_write(int fd, pid_t pid)
{
	char buf[GD_PIDFILE_MAX];
	size_t len = gd_utoa((unsigned long)pid, buf);
	ssize_t n;

	if (!pid)
		return (int)gd_truncate0(fd);
	/*
	 * The number, then newlines over whatever an older, longer PID left,
	 * then the file cut after the first newline: a reader sees the old
	 * line or the new one, perhaps with blank lines after it, which
	 * gd_parse_pid() and a shell's $(cat F) skip. Never part of a number.
	 */
	memset(buf + len, '\n', sizeof(buf) - len);
	do
		n = gd_pwrite0(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(buf))
		return -1;
	return (int)gd_truncate(fd, len + 1);
}

int gd_pidfile_unclaim(int fd)
{
	return lock_range(fd, F_UNLCK, 0, 1);
}

pid_t gd_parse_pid(const char *buf, size_t len)
{
	unsigned long v = 0;
	size_t i;
	int e = ENODATA;

	if (len == 0)
		goto fail;
	e = EFBIG;
	if (len > GD_PIDFILE_MAX)
		goto fail;
	for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		v = v * 10 + (unsigned long)(buf[i] - '0');
		if (v > GD_PID_LIMIT)
			v = GD_PID_LIMIT + 1;	/* saturate: only "too large" matters */
	}
	/* Digits, no sign, no leading blank or zero; then only trailing blanks. */
	e = EBADMSG;
	if (i == 0 || (buf[0] == '0' && i > 1))
		goto fail;
	for (; i < len; i++)
		if (buf[i] != '\n' && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r')
			goto fail;
	e = ERANGE;
	if (v <= 1 || v > GD_PID_LIMIT)
		goto fail;
	return (pid_t)v;
 fail:
	errno = e;
	return -1;
}

int gd_pidfile_inspect(int fd, struct gd_pidstate *st)
{
	char buf[GD_PIDFILE_MAX + 1];
	ssize_t n;

	if (lock_holder(fd, 1, &st->owner) < 0 || lock_holder(fd, 0, &st->claimed) < 0
	    || lock_holder(fd, 2, &st->keeper) < 0)
		return -1;
	st->claimed = st->claimed != 0;
	/* F_GETLK never reports the caller's own locks. */
	if (persisted_fd(fd) >= 0)
		st->owner = getpid();
	do
		n = gd_pread0(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	st->pid = gd_parse_pid(buf, (size_t)n);
	st->err = st->pid < 0 ? errno : 0;
	return 0;
}

const char *gd_pid_filename(char *buf, size_t size)
{
	static const char dir[] = CONFIG_GODAEMON_PIDDIR "/";
	char exe[PATH_MAX];
	const char *base;
	size_t blen;

	if (gd_executable_path(exe, sizeof(exe)) < 0)
		return NULL;
	base = strrchr(exe, '/');
	base = base ? base + 1 : exe;
	blen = gd_strlen(base);
	if (sizeof(dir) - 1 + blen + sizeof(".pid") > size) {
		errno = ERANGE;
		return NULL;
	}
	memcpy(buf, dir, sizeof(dir) - 1);
	memcpy(buf + sizeof(dir) - 1, base, blen);
	memcpy(buf + sizeof(dir) - 1 + blen, ".pid", sizeof(".pid"));
	return buf;
}

const char *gd_pidfile_name(const char *pidfile, char *buf, size_t size)
{
	return pidfile && *pidfile ? pidfile : gd_pid_filename(buf, size);
}

int gd_pidfile_remove(const char *path)
{
	int fd = gd_pidfile_open(path, GD_PF_WRITE), r = -1;

	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	/*
	 * Only with both locks taken, so that no daemon owns it and no starter
	 * is between its claim and its daemon, and only if the path still
	 * names this file.
	 */
	if (lock_range(fd, F_WRLCK, 0, 2) < 0) {
		if (errno == EAGAIN || errno == EACCES)
			errno = EBUSY;
	} else if (still_at_path(fd, path)) {
		r = (int)gd_unlink(path);
	} else {
		r = 0;	/* somebody else removed it already */
	}
	gd_close(fd);
	return r;
}

bool gd_persist_pid(const char *pidfile)
{
	char name[PATH_MAX];
	struct stat st;
	int fd, i;

	pidfile = gd_pidfile_name(pidfile, name, sizeof(name));
	if (!pidfile)
		return false;
	if (borrow_persisted(pidfile) >= 0)
		return true;	/* ours already */
	/* A free entry: never used, or a copy from before a fork (its locks are not ours). */
	for (i = 0; i < GD_PERSIST_MAX && persisted[i].pid == getpid(); i++)
		continue;
	if (i == GD_PERSIST_MAX) {
		errno = EMFILE;
		return false;
	}
	fd = gd_pidfile_claim(pidfile);
	if (fd < 0)
		return false;
	if (gd_pidfile_own(fd) < 0 || gd_pidfile_unclaim(fd) < 0 || gd_fstat(fd, &st) < 0) {
		int e = errno;
		/*
		 * We still hold a lock every other claimer needs: the file is
		 * ours to remove, rather than leave an empty pidfile behind
		 * (a full filesystem fails the PID's write).
		 */
		gd_truncate0(fd);
		if (still_at_path(fd, pidfile))
			gd_unlink(pidfile);
		close(fd);
		errno = e;
		return false;
	}
	persisted[i].fd = fd;
	persisted[i].pid = getpid();
	persisted[i].dev = st.st_dev;
	persisted[i].ino = st.st_ino;
	borrow = borrow_persisted;
	return true;
}

int gd_read_pid_file(const char *pidfile, bool *running)
{
	char name[PATH_MAX];

	if (running)
		*running = false;
	pidfile = gd_pidfile_name(pidfile, name, sizeof(name));
	return pidfile ? gd_read_pid_path(pidfile, running) : -1;
}

int gd_read_pid_path(const char *pidfile, bool *running)
{
	struct gd_pidstate st;
	int fd, own, r;

	fd = gd_pidfile_get(pidfile, GD_PF_READ, &own);
	if (fd < 0)
		return -1;
	r = gd_pidfile_inspect(fd, &st);
	gd_pidfile_put(fd, own);
	if (r < 0)
		return -1;
	if (st.pid < 0) {
		errno = st.err;
		return -1;
	}
	if (running)
		*running = st.owner == st.pid;
	return st.pid;
}

bool gd_update_file(const char *filename, const char *data)
{
	char tmp[PATH_MAX];
	size_t len = gd_strlen(filename);
	int fd, e;

	if (len + sizeof(".XXXXXX") > sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return false;
	}
	memcpy(tmp, filename, len);
	memcpy(tmp + len, ".XXXXXX", sizeof(".XXXXXX"));
	/*
	 * Written beside and renamed over: a reader sees the old content or
	 * the new, whole; a full or read-only filesystem fails here and leaves
	 * the old file as it was. rename() replaces a symlink at filename
	 * rather than writing through it.
	 */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return false;
	if (gd_write_all(fd, data, gd_strlen(data)) < 0 || fchmod(fd, 0644) < 0
	    || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, filename) < 0) {
		fd = -1;
		goto fail;
	}
	return true;
 fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	gd_unlink(tmp);
	errno = e;
	return false;
}

bool gd_update_pid_file(const char *pidfile)
{
	char name[PATH_MAX], buf[GD_ULONG_DIGITS + 1];
	struct gd_pidstate st;
	size_t len;
	int fd, own, r;

	pidfile = gd_pidfile_name(pidfile, name, sizeof(name));
	if (!pidfile)
		return false;
	fd = gd_pidfile_get(pidfile, GD_PF_READ, &own);
	if (fd >= 0) {
		r = gd_pidfile_inspect(fd, &st);
		gd_pidfile_put(fd, own);
		if (r < 0)
			return false;
		/* Our own persisted pidfile already says our PID. */
		if (own && st.owner == getpid())
			return true;
		/* Never overwrite the pidfile of another live instance. */
		if (st.owner || st.claimed) {
			errno = EEXIST;
			return false;
		}
	} else if (errno != ENOENT) {
		return false;
	}
	len = gd_utoa((unsigned long)getpid(), buf);
	buf[len] = '\n';
	buf[len + 1] = '\0';
	return gd_update_file(pidfile, buf);
}

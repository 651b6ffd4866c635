/*
 * gd_util.c - small helpers every other file uses: full writes, EINTR loops,
 * number formatting, the report record. All of them are async-signal-safe.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_util.o

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "gd_internal.h"

/*
 * Raw read and write: musl's wrappers are cancellation points, with their
 * machinery; the library runs no threads to cancel (0.1 KB static).
 */
int gd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = syscall(SYS_write, fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

ssize_t gd_read(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = syscall(SYS_read, fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

void gd_close(int fd)
{
	int e = errno;

	close(fd);
	errno = e;
}

int gd_dup2(int from, int to)
{
	int r;

	do
		r = gd_dup2_once(from, to);
	while (r < 0 && (errno == EINTR || errno == EBUSY));
	return r;
}

size_t gd_utoa(unsigned long v, char *buf)
{
	unsigned long t = v;
	size_t len = 0, i;

	do
		len++;
	while (t /= 10);
	buf[len] = '\0';
	for (i = len; i--; v /= 10)
		buf[i] = (char)('0' + v % 10);
	return len;
}

int gd_parse_ulong(const char *s, unsigned base, unsigned long max, unsigned long *v)
{
	unsigned long n = 0;

	if (!*s)
		return -1;
	do {
		/* Below '0' wraps around to a large d, refused as any non-digit is. */
		unsigned d = (unsigned)(*s - '0');

		if (d >= base || n > (max - d) / base)
			return -1;
		n = n * base + d;
	} while (*++s);
	*v = n;
	return 0;
}

size_t gd_strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

const char *gd_skip(const char *s, const char *prefix)
{
	while (*prefix)
		if (*s++ != *prefix++)
			return NULL;
	return s;
}

ssize_t gd_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = gd_strlen(src);

	if (len >= size) {
		errno = ERANGE;
		return -1;
	}
	memcpy(dst, src, len + 1);
	return (ssize_t)len;
}

void gd_report(int fd, int step, int value)
{
	struct gd_report r = { step, value };
	int e = errno;

	/* One record is far below PIPE_BUF, so it is written whole or not at all. */
	gd_write_all(fd, &r, sizeof(r));
	errno = e;
}

unsigned long gd_now_ms(void)
{
	long t[2];	/* the kernel's timespec on 64-bit, old_timespec32 on 32-bit */
	unsigned long ms;

	if (gd_clock_ms64(&ms) == 0)
		return ms;
	syscall(GD_SYS_CLOCK_GETTIME, CLOCK_MONOTONIC, t);
	return (unsigned long)t[0] * 1000 + (unsigned long)t[1] / 1000000;
}

/*
 * musl's texts for the errors godaemon can meet, so that its messages read
 * the same with every libc; strerror() itself would link all of musl's
 * table (2.2 KB). Anything else is "error N", and so is every error when
 * FEATURE_GODAEMON_ERROR_TEXTS is off (0.8 KB), as uClibc does without
 * UCLIBC_HAS_ERRNO_MESSAGES. First the pidfile's own reasons
 * (gd_pidfile_reason()), which stay, then the errors (gd_strerror()). One
 * byte a number where they all fit (gd_errnum, gd_sys.h).
 * Inside BusyBox, whose messages quote strerror() already, libc's table
 * is linked anyway: the errors are strerror()'s there, for nothing.
 */
#if ENABLE_FEATURE_GODAEMON_ERROR_TEXTS && defined(BB_VER)
# define GD_LIBC_TEXTS 1
#else
# define GD_LIBC_TEXTS 0
#endif
#define GD_REASONS 9
static const gd_errnum err_num[] ALIGN2 = {
	ENODATA, EBADMSG, ERANGE, EFBIG, ELOOP, EISDIR, EINVAL, EPERM, EMLINK,
#if ENABLE_FEATURE_GODAEMON_ERROR_TEXTS && !GD_LIBC_TEXTS
	ENOENT, EACCES, EPERM, ENOEXEC, ENOTDIR, ELOOP, ENAMETOOLONG, EISDIR,
	EINVAL, ENOMEM, E2BIG, EMFILE, ENFILE, ENOSPC, EROFS, EEXIST, EAGAIN,
	ESRCH, EBADF, ETXTBSY, EIO, ETIMEDOUT, EINTR, ECHILD, ENOSYS, ENXIO,
	ECONNREFUSED, EMLINK, EBUSY, EFBIG, EBADMSG, ERANGE, ENODATA, EPROTO,
	ENOTSUP, EDQUOT, EOVERFLOW, ENOLCK, EXDEV, EFAULT
#endif
};
static const char err_text[] ALIGN1 =
	"empty\0not a PID\0PID out of range\0too long to be a PID\0is a symlink\0"
	"is a directory\0not a regular file\0owned by another user\0"
	"has other hard links\0"
#if ENABLE_FEATURE_GODAEMON_ERROR_TEXTS && !GD_LIBC_TEXTS
	"No such file or directory\0Permission denied\0Operation not permitted\0"
	"Exec format error\0Not a directory\0Symbolic link loop\0"
	"Filename too long\0Is a directory\0Invalid argument\0Out of memory\0"
	"Argument list too long\0No file descriptors available\0"
	"Too many open files in system\0No space left on device\0"
	"Read-only file system\0File exists\0Resource temporarily unavailable\0"
	"No such process\0Bad file descriptor\0Text file busy\0I/O error\0"
	"Operation timed out\0Interrupted system call\0No child process\0"
	"Function not implemented\0No such device or address\0"
	"Connection refused\0Too many links\0Resource busy\0File too large\0"
	"Bad message\0Result not representable\0No data available\0"
	"Protocol error\0Not supported\0Quota exceeded\0"
	"Value too large for data type\0No locks available\0"
	"Cross-device link\0Bad address"
#endif
	;

/* The text of err from entry first of the table on. */
static const char *err_lookup(int err, const gd_errnum *first)
{
	/* In .bss, filled here: an initialised array would weigh its size in the file. */
	static char unknown[sizeof("error ") + GD_ULONG_DIGITS];
	const char *s = err_text;
	const gd_errnum *n;

	for (n = err_num; n < err_num + sizeof(err_num) / sizeof(err_num[0]); n++) {
		if (*n == err && n >= first)
			return s;
		while (*s++)
			continue;
	}
	if (GD_LIBC_TEXTS)
		return strerror(err);
	memcpy(unknown, "error ", sizeof("error "));
	gd_utoa((unsigned)err, unknown + 6);
	return unknown;
}

const char *gd_strerror(int err)
{
	return err_lookup(err, err_num + GD_REASONS);
}

/* Declared with the pidfile's internals; here beside the table they share. */
const char *gd_pidfile_reason(int err)
{
	return err_lookup(err, err_num);
}

int gd_pidfile_untrusted(int err)
{
	const gd_errnum *n;

	for (n = err_num; n < err_num + GD_REASONS; n++)
		if (*n == err)
			return 1;
	return err == EACCES;
}

char *gd_find_char(const char *s, int c)
{
	while (*s && *s != c)
		s++;
	return (char *)s;
}

#define GD_ESC_ROOM 512	/* the copies of one message's names that hold a newline */

/*
 * A name holding a newline (a file called "a\nb") must not split a message
 * in two: such a string is copied to the room left in esc with '?' for each
 * newline, as ls -q shows them; cut short when esc is full.
 */
static const char *one_line(const char *s, char *esc, size_t *used)
{
	char *d;
	const char *r;

	if (!*gd_find_char(s, '\n'))
		return s;
	if (*used >= GD_ESC_ROOM)
		return "?";
	r = d = esc + *used;
	for (; *s && *used < GD_ESC_ROOM - 1; s++, (*used)++) {
		*d = *s;
		if (*d == '\n')
			*d = '?';
		d++;
	}
	*d = '\0';
	(*used)++;
	return r;
}

void gd_vsay(int fd, const char *head, const char *fmt, va_list ap, const char *tail)
{
	struct iovec iov[12], *v = iov;
	char num[GD_ULONG_DIGITS], esc[GD_ESC_ROOM];
	size_t used = 0;
	const char *s;
	int n = 1, e = errno;
	ssize_t w;

	iov[0].iov_base = (void *)head;
	iov[0].iov_len = gd_strlen(head);
	while (*fmt && n < 11) {
		s = fmt;
		if (*fmt == '%') {
			fmt += 2;
			if (s[1] == 'm') {
				s = gd_strerror(e);
			} else if (s[1] == 'd') {
				/* clang-tidy 14 loses the caller's va_start() when it checks several files at once. */
				gd_utoa(va_arg(ap, unsigned), num);	/* NOLINT(clang-analyzer-valist.Uninitialized) */
				s = num;
			} else {
				s = va_arg(ap, const char *);	/* NOLINT(clang-analyzer-valist.Uninitialized) */
				s = one_line(s, esc, &used);
			}
			iov[n].iov_len = gd_strlen(s);
		} else {
			fmt = gd_find_char(fmt, '%');
			iov[n].iov_len = (size_t)(fmt - s);
		}
		iov[n++].iov_base = (void *)s;
	}
	iov[n].iov_base = (void *)tail;
	iov[n++].iov_len = gd_strlen(tail);
	while (n) {
		w = writev(fd, v, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (; n && (size_t)w >= v->iov_len; v++, n--)
			w -= (ssize_t)v->iov_len;
		if (n) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	errno = e;
}

/*
 * gd_util.c - small helpers every other file uses: full writes, EINTR loops,
 * number formatting, the report record. All of them are async-signal-safe.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_util.o

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "gd_internal.h"

int gd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
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
		n = read(fd, buf, len);
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
		r = dup2(from, to);
	while (r < 0 && (errno == EINTR || errno == EBUSY));
	return r;
}

size_t gd_utoa(unsigned long v, char *buf)
{
	char tmp[GD_ULONG_DIGITS];
	size_t i = sizeof(tmp), len;

	do
		tmp[--i] = (char)('0' + v % 10);
	while (v /= 10);
	len = sizeof(tmp) - i;
	memcpy(buf, tmp + i, len);
	buf[len] = '\0';
	return len;
}

ssize_t gd_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

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

/*
 * gd_path.c - GetExecutablePath and Readlink.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_path.o

#include <errno.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "gd_internal.h"

/*
 * Go's Readlink works around kernels (CentOS 5.10, 2.6.27) whose readlink()
 * counted bytes past a NUL: the answer is cut at its first NUL byte. A result
 * that fills the whole buffer may have been truncated by the kernel, so it
 * fails with ERANGE rather than being returned cut.
 */
ssize_t gd_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;
	char *nul;

	if (!size) {
		errno = ERANGE;
		return -1;
	}
	n = readlink(path, buf, size);
	if (n < 0)
		return -1;
	if ((size_t)n >= size) {
		errno = ERANGE;
		return -1;
	}
	nul = memchr(buf, '\0', (size_t)n);
	if (nul)
		n = nul - buf;
	buf[n] = '\0';
	return n;
}

/*
 * /proc/self/exe names the running file even after a PATH lookup. Early in
 * boot /proc may not be mounted yet; the kernel still passed the name it
 * executed (AT_EXECFN), relative to the cwd at exec time. That fallback is
 * made absolute with the current directory, which is right unless the
 * program changed directory since.
 */
ssize_t gd_executable_path(char *buf, size_t size)
{
	ssize_t n = gd_readlink("/proc/self/exe", buf, size);
	const char *fn;
	size_t dlen, flen;

	if (n >= 0 || errno == ERANGE)
		return n;
	fn = (const char *)getauxval(AT_EXECFN);
	if (!fn || !*fn) {
		errno = ENOENT;
		return -1;
	}
	if (fn[0] == '/')
		return gd_strlcpy(buf, fn, size);
	/* The raw call: libc's getcwd() would link malloc for a NULL buffer. */
	if (syscall(SYS_getcwd, buf, size) < 0)
		return -1;
	dlen = gd_strlen(buf);
	while (fn[0] == '.' && fn[1] == '/')
		fn += 2;
	flen = gd_strlen(fn);
	if (dlen + 1 + flen + 1 > size) {
		errno = ERANGE;
		return -1;
	}
	if (dlen > 1)
		buf[dlen++] = '/';
	memcpy(buf + dlen, fn, flen + 1);
	return (ssize_t)(dlen + flen);
}

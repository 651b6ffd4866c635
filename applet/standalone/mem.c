/*
 * mem.c - the standalone applet's memcpy(), memmove() and memset(), when
 * linked with musl (see start.c).
 *
 * Byte by byte: the applet copies a path or a line at most, and clears its
 * options once. musl's word-at-a-time versions weigh 0.1-0.5 KB on x86_64
 * and aarch64, 0.9 KB on arm and 2 KB on mips. No loop here may become a
 * call of memset() or memcpy(): gcc's loop distribution is off for memset(),
 * as glibc's inhibit_loop_to_libcall does it, and memmove()'s direction is
 * not known at compile time.
 */
#include <stddef.h>
#include <string.h>

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	ptrdiff_t step = 1;

	if (d > s) {
		d += n - 1;
		s += n - 1;
		step = -1;
	}
	for (; n; n--, d += step, s += step)
		*d = *s;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
	__attribute__((alias("memmove")));

#ifdef __clang__
__attribute__((no_builtin("memset")))
#else
__attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

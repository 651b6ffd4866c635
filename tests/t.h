/* t.h - helpers of the C test programs (tests may use stdio; the library may not). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* errno as its symbolic name, for the shell tests to match on. */
static const char *errname(int e)
{
	static const struct { int e; const char *n; } t[] = {
		{ 0, "OK" }, { ENOENT, "ENOENT" }, { EEXIST, "EEXIST" }, { EAGAIN, "EAGAIN" },
		{ EBADF, "EBADF" }, { ERANGE, "ERANGE" }, { ENODATA, "ENODATA" },
		{ EBADMSG, "EBADMSG" }, { EFBIG, "EFBIG" }, { ELOOP, "ELOOP" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { EPERM, "EPERM" },
		{ EMLINK, "EMLINK" }, { ESRCH, "ESRCH" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ EACCES, "EACCES" }, { ENOSPC, "ENOSPC" }, { EROFS, "EROFS" },
		{ EMFILE, "EMFILE" }, { ENOTSUP, "ENOTSUP" }, { EBUSY, "EBUSY" },
		{ ECHILD, "ECHILD" }, { ENAMETOOLONG, "ENAMETOOLONG" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].e == e)
			return t[i].n;
	return "E?";
}

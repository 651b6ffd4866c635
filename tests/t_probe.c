/*
 * t_probe WHAT - does the machine (or the emulator under $RUN) give what a
 * test needs? Exit 0 if so; else 1 with the reason on stderr, for skip.
 *
 *   subreaper   prctl(PR_SET_CHILD_SUBREAPER): start -N waits on it.
 *               qemu-user 7.2 (Debian 12) answers EINVAL.
 */
#include <sys/prctl.h>
#include "t.h"

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "subreaper")) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1UL, 0UL, 0UL, 0UL) == 0)
			return 0;
		fprintf(stderr, "prctl(PR_SET_CHILD_SUBREAPER): %s (%s)\n", strerror(errno), errname(errno));
		return 1;
	}
	fprintf(stderr, "usage: t_probe subreaper\n");
	return 2;
}

/*
 * gd_capture.c - Go's CaptureOutput: the daemon's stdout and stderr become
 * pipes whose read ends the daemon itself gets, to log what its libraries
 * print. Stdout is made line-buffered, as Go's readers deliver whole lines;
 * that one setvbuf() is the only stdio the library links, and only programs
 * that call gd_make_daemon() link this file.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_capture.o

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include "gd_internal.h"

static int pipe_onto(int target, int *read_end)
{
	int p[2];

	if (gd_pipe(p) < 0)
		return -1;
	/* dup2 clears close-on-exec on the copy: what the program execs inherits it. */
	if (gd_dup2(p[1], target) < 0) {
		gd_close(p[0]);
		gd_close(p[1]);
		return -1;
	}
	close(p[1]);
	*read_end = p[0];
	return 0;
}

int gd_capture(int *out_fd, int *err_fd)
{
	/* A NULL pointer leaves that stream on /dev/null. */
	if (out_fd && pipe_onto(1, out_fd) < 0)
		return -1;
	if (err_fd && pipe_onto(2, err_fd) < 0)
		return -1;
	(void)setvbuf(stdout, NULL, _IOLBF, 0);	/* unbuffered is worse, not wrong */
	return 0;
}

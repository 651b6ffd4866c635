/*
 * example.c - a C program that daemonizes itself with libgodaemon, the way
 * the Go package's documentation shows: keep a locked file across the
 * staging, capture its own stderr, persist a pidfile, run until SIGTERM.
 *
 *   example LOGFILE PIDFILE
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "godaemon.h"

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct gd_attr attr = { .capture_output = true };
	int log, out, err;
	char line[256];
	ssize_t n;

	if (argc != 3) {
		fprintf(stderr, "usage: example LOGFILE PIDFILE\n");
		return 2;
	}
	/* Opened and locked in the parent; the daemon inherits both, lock held. */
	log = open(argv[1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log < 0 || flock(log, LOCK_EX | LOCK_NB) < 0) {
		perror(argv[1]);
		return 1;
	}
	attr.files = &log;
	attr.nfiles = 1;
	printf("%s: stage %s, daemonizing\n", argv[0], gd_stage_string(gd_stage()));
	fflush(stdout);
	if (gd_make_daemon(&attr, &out, &err) < 0) {
		perror("gd_make_daemon");
		return 1;
	}
	/* Only the daemon gets here. */
	if (!gd_persist_pid(argv[2])) {
		dprintf(log, "pidfile %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_term);
	dprintf(log, "daemon %d: stage %s, session %d\n", (int)getpid(),
		gd_stage_string(gd_stage()), (int)getsid(0));
	/* What a library prints on stderr comes back through the capture pipe. */
	fprintf(stderr, "a line some library wrote on stderr\n");
	n = read(err, line, sizeof(line) - 1);
	if (n > 0) {
		line[n] = 0;
		dprintf(log, "captured: %s", line);
	}
	while (!stop)
		pause();
	dprintf(log, "daemon %d: SIGTERM, bye\n", (int)getpid());
	close(out);
	return 0;
}

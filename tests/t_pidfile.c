/*
 * t_pidfile - drives the pidfile functions for tests/pidfile.test.
 *
 *   t_pidfile name                     gd_pid_filename()
 *   t_pidfile persist FILE             gd_persist_pid(); on success hold the
 *                                      pidfile until killed
 *   t_pidfile read FILE                gd_read_pid_file()
 *   t_pidfile kill FILE                gd_kill_pid()
 *   t_pidfile stop FILE SIG MS         gd_stop_pid(), with the time it took
 *   t_pidfile status FILE              gd_status_pid(); exits with its code
 *   t_pidfile update FILE              gd_update_pid_file()
 *   t_pidfile updatefile FILE DATA     gd_update_file()
 *   t_pidfile race FILE N              N processes persist FILE at once
 *   t_pidfile daemon FILE FIFO [ignore] daemonize, persist FILE, write the
 *                                      PID to FIFO, wait (ignoring SIGTERM)
 *   t_pidfile self FILE                persist, then query our own pidfile
 *                                      with every function; hold until killed
 *   t_pidfile burn PID                 fork until a child's PID is >= PID
 *   t_pidfile reuse PID MAX            fork until a child gets PID (at most
 *                                      MAX forks); that child execs sleep
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "godaemon.h"
#include "t.h"

/* Keep the pidfile until a signal ends us. */
static void hold(void)
{
	for (;;)
		pause();
}

static long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000L + ts.tv_nsec / 1000;
}

static int race(const char *file, int n)
{
	int start[2], result[2], release[2], i, winners = 0, losers = 0, odd = 0;
	char c;

	if (pipe(start) < 0 || pipe(result) < 0 || pipe(release) < 0)
		return 2;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			return 2;
		if (pid == 0) {
			close(start[1]);
			close(release[1]);
			/* Everyone waits here until the parent closes the start pipe. */
			read(start[0], &c, 1);
			if (gd_persist_pid(file)) {
				c = 'W';
			} else {
				c = errno == EEXIST ? 'L' : 'X';
			}
			write(result[1], &c, 1);
			read(release[0], &c, 1);
			_exit(0);
		}
	}
	close(start[0]);
	close(result[1]);
	close(release[0]);
	close(start[1]);
	for (i = 0; i < n && read(result[0], &c, 1) == 1; i++) {
		if (c == 'W')
			winners++;
		else if (c == 'L')
			losers++;
		else
			odd++;
	}
	close(release[1]);
	while (wait(NULL) > 0)
		;
	printf("winners=%d losers=%d other=%d\n", winners, losers, odd);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";
	const char *file = argc > 2 ? argv[2] : NULL;
	bool running;
	int pid;

	setvbuf(stdout, NULL, _IONBF, 0);
	if (!strcmp(cmd, "name")) {
		char buf[256], small[8];
		const char *r = gd_pid_filename(buf, sizeof(buf));
		printf("name=%s\n", r ? r : errname(errno));
		r = gd_pid_filename(small, sizeof(small));
		printf("name_small=%s %s\n", r ? r : "NULL", errname(errno));
		return 0;
	}
	if (!file) {
		fprintf(stderr, "usage: see the head of tests/t_pidfile.c\n");
		return 2;
	}
	if (!strcmp(file, "-"))
		file = NULL;	/* the default name */
	if (!strcmp(cmd, "persist")) {
		if (!gd_persist_pid(file)) {
			printf("persist=0 errno=%s\n", errname(errno));
			return 1;
		}
		printf("persist=1 pid=%d\n", (int)getpid());
		hold();
		return 0;
	}
	if (!strcmp(cmd, "read")) {
		pid = gd_read_pid_file(file, &running);
		if (pid < 0)
			printf("pid=-1 errno=%s running=%d\n", errname(errno), running);
		else
			printf("pid=%d running=%d\n", pid, running);
		return 0;
	}
	if (!strcmp(cmd, "kill")) {
		if (gd_kill_pid(file))
			printf("kill=1\n");
		else
			printf("kill=0 errno=%s\n", errname(errno));
		return 0;
	}
	if (!strcmp(cmd, "stop") && argc > 4) {
		long t0 = now_us();
		int r = gd_stop_pid(file, atoi(argv[3]), (unsigned)atoi(argv[4]));
		int e = errno;
		long us = now_us() - t0;
		printf("stop=%d errno=%s us=%ld\n", r, r < 0 ? errname(e) : "OK", us);
		return 0;
	}
	if (!strcmp(cmd, "status"))
		return gd_status_pid(file);
	if (!strcmp(cmd, "update")) {
		if (gd_update_pid_file(file))
			printf("update=1 pid=%d\n", (int)getpid());
		else
			printf("update=0 errno=%s\n", errname(errno));
		return 0;
	}
	if (!strcmp(cmd, "updatefile") && argc > 3) {
		if (gd_update_file(file, argv[3]))
			printf("updatefile=1\n");
		else
			printf("updatefile=0 errno=%s\n", errname(errno));
		return 0;
	}
	if (!strcmp(cmd, "race") && argc > 3)
		return race(file, atoi(argv[3]));
	if (!strcmp(cmd, "daemon") && argc > 3) {
		FILE *f;
		if (gd_make_daemon(NULL, NULL, NULL) < 0)
			return 3;
		if (argc > 4)
			signal(SIGTERM, SIG_IGN);
		f = fopen(argv[3], "w");
		if (!f)
			return 1;
		if (!gd_persist_pid(file))
			fprintf(f, "persist=0 errno=%s\n", errname(errno));
		else
			fprintf(f, "pid=%d\n", (int)getpid());
		fclose(f);
		for (;;)
			pause();
	}
	if (!strcmp(cmd, "self")) {
		if (!gd_persist_pid(file)) {
			printf("persist=0 errno=%s\n", errname(errno));
			return 1;
		}
		pid = gd_read_pid_file(file, &running);
		printf("self_read=%d running=%d\n", pid == getpid(), running);
		gd_status_pid(file);
		printf("self_update=%d\n", gd_update_pid_file(file));
		printf("self_persist_again=%d\n", gd_persist_pid(file));
		printf("ready\n");
		hold();
		return 0;
	}
	if (!strcmp(cmd, "burn")) {
		pid_t got;
		int i;
		for (i = 0; i < 100000; i++) {
			got = fork();
			if (got < 0)
				return 2;
			if (got == 0)
				_exit(0);
			waitpid(got, NULL, 0);
			if (got >= atoi(file))
				return 0;
		}
		return 1;
	}
	if (!strcmp(cmd, "reuse") && argc > 3) {
		pid_t want = atoi(file), got;
		long i, max = atol(argv[3]);
		for (i = 0; i < max; i++) {
			got = fork();
			if (got < 0)
				return 2;
			if (got == 0) {
				if (getpid() == want)
					execlp("sleep", "sleep", "1000", (char *)0);
				_exit(0);
			}
			if (got == want) {
				printf("reused=%d forks=%ld\n", (int)got, i + 1);
				return 0;
			}
			waitpid(got, NULL, 0);
		}
		printf("reused=0 forks=%ld\n", i);
		return 1;
	}
	fprintf(stderr, "usage: see the head of tests/t_pidfile.c\n");
	return 2;
}

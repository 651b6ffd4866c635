/*
 * t_attack - one library call on a pidfile, for tests/attack_*.test and
 * tests/fault_*.test. Prints "OP: RESULT ERRNO" on stdout and exits 0
 * (status exits with gd_status_pid's code).
 *
 *   t_attack persist PATH [hold]  gd_persist_pid; hold: keep it until stdin closes
 *   t_attack nofd PATH            gd_persist_pid with every descriptor taken
 *   t_attack update PATH          gd_update_pid_file
 *   t_attack updfile PATH DATA    gd_update_file
 *   t_attack read PATH            gd_read_pid_file: "read: PID ERRNO running=0|1"
 *   t_attack kill PATH            gd_kill_pid
 *   t_attack stop PATH            gd_stop_pid(SIGTERM, 2 s)
 *   t_attack status PATH          gd_status_pid
 *   t_attack claim PATH           gd_pidfile_claim (a starter's first step)
 *   t_attack squat PATH BYTE      what any user who can read a pidfile can do:
 *                                 open it read-only, take a read lock on BYTE,
 *                                 print "squat: PID", hold until stdin closes
 *   t_attack spawn                gd_spawn: "spawn: ok" in the caller once the
 *                                 daemon is set up, or "spawn: -1 ERRNO step=N"
 */
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include "gd_internal.h"
#include "t.h"

static void result(const char *op, long r, int ok)
{
	printf("%s: %ld %s\n", op, r, ok ? "OK" : errname(errno));
}

static void hold_until_eof(void)
{
	char c;

	fflush(stdout);
	while (read(0, &c, 1) > 0)
		continue;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "", *path = argc > 2 ? argv[2] : NULL;
	bool running = false;
	long r;

	errno = 0;
	if (!strcmp(op, "persist")) {
		r = gd_persist_pid(path);
		result(op, r, r);
		if (r && argc > 3)
			hold_until_eof();
	} else if (!strcmp(op, "nofd") && path) {
		while (open("/dev/null", O_RDONLY) >= 0)
			continue;
		r = gd_persist_pid(path);
		result(op, r, r);
	} else if (!strcmp(op, "update")) {
		r = gd_update_pid_file(path);
		result(op, r, r);
	} else if (!strcmp(op, "updfile") && argc > 3) {
		r = gd_update_file(path, argv[3]);
		result(op, r, r);
	} else if (!strcmp(op, "read")) {
		r = gd_read_pid_file(path, &running);
		printf("read: %ld %s running=%d\n", r, r >= 0 ? "OK" : errname(errno), running);
	} else if (!strcmp(op, "kill")) {
		r = gd_kill_pid(path);
		result(op, r, r);
	} else if (!strcmp(op, "stop")) {
		r = gd_stop_pid(path, SIGTERM, 2000);
		result(op, r, r >= 0);
	} else if (!strcmp(op, "status")) {
		return gd_status_pid(path);
	} else if (!strcmp(op, "claim") && path) {
		r = gd_pidfile_claim(path);
		result(op, r < 0 ? -1 : 0, r >= 0);
	} else if (!strcmp(op, "squat") && argc > 3) {
		struct flock lk = { .l_type = F_RDLCK, .l_whence = SEEK_SET,
				    .l_start = atoi(argv[3]), .l_len = 1 };
		int fd = open(path, O_RDONLY | O_NONBLOCK);

		if (fd < 0 || fcntl(fd, F_SETLK, &lk) < 0) {
			result(op, -1, 0);
			return 1;
		}
		printf("squat: %ld\n", (long)getpid());
		hold_until_eof();
	} else if (!strcmp(op, "spawn")) {
		int report, step = 0;
		pid_t pid = gd_spawn(NULL, &report, &step);

		if (pid == 0) {
			close(report);	/* set up: the caller may go */
			_exit(0);
		}
		if (pid < 0 || gd_spawn_wait(report, &step) < 0)
			printf("spawn: -1 %s step=%d\n", errname(errno), step);
		else
			printf("spawn: ok\n");
	} else {
		fprintf(stderr, "usage: t_attack OP PATH...\n");
		return 2;
	}
	return 0;
}

/*
 * pidinspect.c - libFuzzer harness: the library's whole reading of a pidfile
 * (gd_pidfile_open, gd_pidfile_inspect, gd_read_pid_file, gd_status_pid,
 * gd_kill_pid, gd_stop_pid, gd_update_pid_file, gd_persist_pid) on a real
 * file holding the fuzzed bytes.
 *
 * Input: one mode byte, then the content. Mode bit 0 picks the file whose
 * owner lock (byte 1) a helper child holds for the whole run, as a live
 * daemon would; bit 1 puts that child's PID in front of the content, so that
 * "the right PID followed by anything" is explored. Every call must agree
 * with gd_parse_pid() on the content, report the lock holder exactly, never
 * change a live instance's file, and never signal the helper: a signal kills
 * it, and the next input then finds its lock gone and aborts.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "gd_internal.h"

#define INSPECT_READ 25		/* gd_pidfile_inspect() reads GD_PIDFILE_MAX + 1 bytes */

static char dir[64], plain[96], owned[96];
static pid_t helper;
static int owned_fd = -1;

static void check(int ok, const char *what)
{
	if (!ok) {
		(void)!write(2, "pidinspect: ", 12);
		(void)!write(2, what, strlen(what));
		(void)!write(2, "\n", 1);
		abort();
	}
}

static void cleanup(void)
{
	if (helper > 0 && getpid() != helper)
		kill(helper, SIGKILL);
	unlink(plain);
	unlink(owned);
	rmdir(dir);
}

static void start_helper(void)
{
	int p[2];
	char c = 0;

	check(pipe(p) == 0, "pipe");
	helper = fork();
	check(helper >= 0, "fork");
	if (helper == 0) {
		struct flock lk = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
				    .l_start = 1, .l_len = 1 };
		int fd = open(owned, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd < 0 || fcntl(fd, F_SETLK, &lk) < 0)
			_exit(1);
		(void)!write(p[1], "", 1);
		for (;;)
			pause();
	}
	close(p[1]);
	check(read(p[0], &c, 1) == 1, "helper did not lock");
	close(p[0]);
}

/* Is pid a live process (as the library judges: signal 0 reaches it, or EPERM)? */
static bool pid_alive(pid_t pid)
{
	return pid > 1 && (kill(pid, 0) == 0 || errno == EPERM);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int null = open("/dev/null", O_WRONLY);

	/* gd_status_pid() prints on stdout; libFuzzer reports on stderr. */
	check(null >= 0 && dup2(null, 1) == 1, "stdout");
	close(null);
	if (!tmp || strlen(tmp) > 40)
		tmp = "/tmp";
	strcpy(dir, tmp);
	strcat(dir, "/gd-fuzz.XXXXXX");
	check(mkdtemp(dir) != NULL, "mkdtemp");
	strcpy(plain, dir);
	strcat(plain, "/plain.pid");
	strcpy(owned, dir);
	strcat(owned, "/owned.pid");
	start_helper();
	atexit(cleanup);
	owned_fd = open(owned, O_RDWR | O_CLOEXEC);
	check(owned_fd >= 0, "open owned");
	return 0;
}

/* Replace path's content; the owned file is rewritten in place (its inode is locked). */
static void put_content(const char *path, const char *buf, size_t len)
{
	int fd = path == owned ? owned_fd : open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);

	check(fd >= 0, "open content");
	check(ftruncate(fd, 0) == 0, "ftruncate");
	check(len == 0 || pwrite(fd, buf, len, 0) == (ssize_t)len, "pwrite");
	if (fd != owned_fd)
		close(fd);
}

static void check_content(const char *buf, size_t len)
{
	char now[4200];
	ssize_t n = pread(owned_fd, now, sizeof(now), 0);

	check(n == (ssize_t)len && memcmp(now, buf, len) == 0, "live pidfile changed");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char buf[4200];
	size_t len = 0, head;
	struct gd_pidstate st;
	const char *path;
	pid_t want, holder;
	int mode, fd, want_err, code, r;
	bool running, alive;

	if (size < 1 || size > 4096)
		return -1;
	mode = data[0];
	path = mode & 1 ? owned : plain;
	holder = mode & 1 ? helper : 0;
	if (mode & 2)
		len = gd_utoa((unsigned long)helper, buf);
	memcpy(buf + len, data + 1, size - 1);
	len += size - 1;
	put_content(path, buf, len);

	head = len < INSPECT_READ ? len : INSPECT_READ;
	errno = 0;
	want = gd_parse_pid(buf, head);
	want_err = want < 0 ? errno : 0;

	fd = gd_pidfile_open(path, GD_PF_READ);
	check(fd >= 0, "gd_pidfile_open refused a plain file");
	check(gd_pidfile_inspect(fd, &st) == 0, "gd_pidfile_inspect failed");
	close(fd);
	check(st.pid == want && st.err == want_err, "inspect disagrees with gd_parse_pid");
	check(st.owner == holder, "wrong owner (helper gone?)");
	check(st.claimed == 0, "claimed");

	errno = 0;
	r = gd_read_pid_file(path, &running);
	check(r == want && (r >= 0 || errno == want_err), "gd_read_pid_file");
	check(running == (holder && want == holder), "gd_read_pid_file running");

	alive = pid_alive(want);
	code = gd_status_pid(path);
	if (want < 0)
		check(code == 4, "status of bad content is not 4");
	else if (!holder) {
		/* Unlocked: dead (1) if its PID is not alive; alive, it cannot tell (4). */
		if (alive == pid_alive(want))	/* else it came or went meanwhile */
			check(code == (alive ? 4 : 1),
			      "status of an unlocked pidfile: not 1 (dead PID) or 4 (live PID)");
	} else
		check(code == (want == holder ? 0 : 4), "status of a locked pidfile");

	if (holder) {
		/* A live instance: nobody may take or rewrite its file. */
		errno = 0;
		check(!gd_persist_pid(path) && errno == EEXIST, "persist over a live pidfile");
		check(!gd_update_pid_file(path), "update over a live pidfile");
		check_content(buf, len);
		if (want != holder) {
			errno = 0;
			check(!gd_kill_pid(path) && errno == (want < 0 ? want_err : ESRCH),
			      "gd_kill_pid on a mismatched pidfile");
			errno = 0;
			r = gd_stop_pid(path, SIGTERM, 0);
			check(r == -1 && errno == (want < 0 ? want_err : EBADMSG),
			      "gd_stop_pid on a mismatched pidfile");
			check_content(buf, len);
		}
		return 0;
	}
	errno = 0;
	check(!gd_kill_pid(path) && errno == (want < 0 ? want_err : ESRCH), "gd_kill_pid stale");
	errno = 0;
	r = gd_stop_pid(path, SIGTERM, 0);
	if (want < 0) {
		/* Untrusted content: refused, the file kept for a human to look at. */
		check(r == -1 && errno == want_err, "gd_stop_pid on bad content");
		check(access(path, F_OK) == 0, "gd_stop_pid removed bad content");
	} else {
		/* Stale: nobody was signalled and the file is gone. */
		check(r == 0, "gd_stop_pid on a stale pidfile");
		check(access(path, F_OK) < 0 && errno == ENOENT, "stale pidfile kept");
	}
	return 0;
}

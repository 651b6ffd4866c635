/*
 * gd_internal.h - what the library files and the applet share, and nothing
 * else includes. Only libc headers and godaemon.h; the configuration (ENABLE_*,
 * IF_*, CONFIG_*) comes from the build's -include of the config header.
 */
#ifndef GD_INTERNAL_H
#define GD_INTERNAL_H 1

#include <fcntl.h>
#include <signal.h>
#include <stddef.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include "godaemon.h"
#include "gd_sys.h"

#ifndef CONFIG_GODAEMON_PIDDIR
# define CONFIG_GODAEMON_PIDDIR "/tmp"
#endif
#ifndef ENABLE_FEATURE_GODAEMON_REEXEC
# define ENABLE_FEATURE_GODAEMON_REEXEC 0
#endif
/* A .config from before the option: the texts, as before. */
#ifndef ENABLE_FEATURE_GODAEMON_ERROR_TEXTS
# define ENABLE_FEATURE_GODAEMON_ERROR_TEXTS 1
#endif

/*
 * BusyBox's (include/platform.h): a static table at the alignment of its
 * type. Otherwise gcc raises an array of 16 bytes or more to 16 on x86-64,
 * of 32 or more to 32, for vector loads that these tables never see (64
 * bytes of padding in the applet).
 */
#ifndef ALIGN1
# define ALIGN1 __attribute__((aligned(1)))
# define ALIGN2 __attribute__((aligned(2)))
#endif

/* Enough for the decimal form of any long, its sign and a NUL. */
#define GD_ULONG_DIGITS (3 * sizeof(long) + 2)

/*
 * Steps of the staging, reported from the stages to the caller through a
 * close-on-exec pipe as struct gd_report records. GD_STEP_PID carries the
 * daemon's PID; every other step carries the errno that made it fail. The
 * applet adds its own steps from GD_STEP_USER_BASE on.
 */
enum gd_step {
	GD_STEP_NONE,
	GD_STEP_PID,
	GD_STEP_PIPE,
	GD_STEP_FORK1,
	GD_STEP_SETSID,
	GD_STEP_FORK2,
	GD_STEP_FILES,
	GD_STEP_STDIO,
	GD_STEP_CHDIR,
	GD_STEP_SIGNALS,
	GD_STEP_CAPTURE,
	GD_STEP_REEXEC,
	GD_STEP_USER_BASE = 32
};

struct gd_report {
	int step;
	int value;
};

/* write() all of buf, retrying on EINTR and short writes: 0 or -1 and errno. */
int gd_write_all(int fd, const void *buf, size_t len);
/* read() retrying on EINTR. */
ssize_t gd_read(int fd, void *buf, size_t len);
/* close() keeping errno; never retried (musl src/unistd/close.c). */
void gd_close(int fd);
/* dup2() retrying on EINTR/EBUSY. */
int gd_dup2(int from, int to);
/* Decimal form of v into buf (GD_ULONG_DIGITS bytes): its length, NUL-terminated. */
size_t gd_utoa(unsigned long v, char *buf);
/*
 * The whole of s as a number in base (2 to 10), at most max (which is at
 * least base - 1), into *v: 0, or -1 when s is empty, has another
 * character, or is over max.
 */
int gd_parse_ulong(const char *s, unsigned base, unsigned long max, unsigned long *v);
/*
 * strlen() and string equality as plain loops: musl's word-at-a-time
 * strlen(), strcmp() and memcmp() weigh 0.2 KB in a static binary, and
 * godaemon's strings are short.
 */
size_t gd_strlen(const char *s);
/* strchrnul(): the first c in s, or its end (musl's strchrnul() and memchr() weigh 0.4 KB). */
char *gd_find_char(const char *s, int c);
/* Does s start with prefix? Then the rest of s, else NULL. */
const char *gd_skip(const char *s, const char *prefix);
static inline int gd_streq(const char *a, const char *b)
{
	a = gd_skip(a, b);
	return a && !*a;
}

/* Copy src to dst[size]: length, or -1 and ERANGE when it does not fit. */
ssize_t gd_strlcpy(char *dst, const char *src, size_t size);

/* CLOCK_MONOTONIC in milliseconds, for intervals (wraps on 32-bit: subtract). */
unsigned long gd_now_ms(void);
/* strerror() for the errors godaemon meets, with musl's texts; "error N" otherwise. */
const char *gd_strerror(int err);

/*
 * One line in one writev() on fd (continued if the write is cut short):
 * head, then fmt with %s the next argument, %d the next one as a number
 * (one per line), %m the text of errno, then tail. Keeps errno;
 * async-signal-safe. The applet's messages and the status lines use it.
 */
void gd_vsay(int fd, const char *head, const char *fmt, va_list ap, const char *tail);
/* Async-signal-safe: send one record to the caller; errors are ignored (it may be gone). */
void gd_report(int fd, int step, int value);

/*
 * The staging without its end. In the daemon returns 0 with *report the
 * close-on-exec write end of the pipe to the caller, which the daemon closes
 * (or lets exec close) once it is fully set up, or writes a failure into. In
 * the caller returns the daemon's PID with *report the read end, to be given
 * to gd_spawn_wait(); or -1 with errno and *step naming what failed. The
 * daemon has cwd "/", stdio on /dev/null, the umask of attr, default signals,
 * and only attr->files and *report open.
 */
pid_t gd_spawn(const struct gd_attr *attr, int *report, int *step);
/*
 * gd_spawn() with another fork(): the applet gives the bare system call,
 * which runs no pthread_atfork() handlers and takes none of libc's internal
 * locks (in a single-threaded process nothing else differs), and saves
 * musl's fork() machinery (1.9 KB static). Only for callers whose daemon
 * makes nothing but async-signal-safe calls until it execs; gd_make_daemon()
 * keeps fork(), as the daemon goes on running the caller's code. attr is
 * not NULL, and every descriptor it lists is open: gd_spawn() checks that
 * for the library; the applet checked its -k FDs and opened the others.
 */
pid_t gd_spawn_with(const struct gd_attr *attr, int *report, int *step, pid_t (*fork_fn)(void));

/* In the caller: wait until the daemon closes the pipe. 0, or -1 with errno and *step. */
int gd_spawn_wait(int report, int *step);

/* Daemon side of the staging once it runs as the final process (gd_fdkeep.c). */
int gd_keep_only(const struct gd_attr *attr, int report);
/*
 * The daemon's own set-up once it runs as the final process (gd_spawn.c):
 * stage DAEMON, only attr->files and report open, stdio on /dev/null, cwd
 * "/", umask, signals. Returns the failed step or GD_STEP_NONE.
 */
int gd_become_daemon(const struct gd_attr *attr, int report);
/* stdin, stdout and stderr on /dev/null, cwd "/": GD_STEP_NONE, or the failed step. */
int gd_detach_stdio(void);
/* Reset every signal disposition to default and unblock all (async-signal-safe). */
void gd_reset_signals(void);
/* Only the dispositions: the mask stays (the keeper keeps every signal blocked). */
void gd_default_signals(void);
/* Is sig's disposition SIG_IGN? 0 also when it cannot be read. */
int gd_sig_ignored(int sig);

/*
 * Stage bookkeeping (gd_spawn.c): what a staging made of this process.
 * gd_stage() (gd_stage.c) asks re-exec mode too.
 */
void gd_set_stage(enum gd_stage stage);
enum gd_stage gd_current_stage(void);

/* Re-exec mode (gd_reexec.c); only called when ENABLE_FEATURE_GODAEMON_REEXEC. */
int gd_reexec_make_daemon(const struct gd_attr *attr, int *out_fd, int *err_fd);
enum gd_stage gd_reexec_stage(void);

/* Capture (gd_capture.c): make stdout/stderr pipes in the daemon. */
int gd_capture(int *out_fd, int *err_fd);

/*
 * Pidfile internals shared with the applet (gd_pidfile.c).
 *
 * Locking protocol, POSIX record locks on the pidfile itself:
 *   byte 0, the claim lock: held by a starter from its check until its daemon
 *           owns byte 1;
 *   byte 1, the owner lock: held by the daemon for its whole life.
 * A starter takes bytes 0-1 at once (so nobody owns it and nobody else is
 * starting), empties the file, then gives byte 1 up for its daemon, which
 * takes it in the final process before anyone can: every other starter needs
 * byte 0 too. F_GETLK on byte 1 names the daemon's PID exactly: record locks
 * are not inherited by fork, so a daemon's children never hold it, and the
 * kernel drops it when the daemon dies, so a reused PID never owns it.
 */
/* gd_pidfile_open() modes: the open() flags of each */
enum { GD_PF_READ = O_RDONLY, GD_PF_WRITE = O_RDWR, GD_PF_CREATE = O_RDWR | O_CREAT };
/*
 * Open a pidfile safely: never through a symlink (ELOOP), never blocking on a
 * FIFO; refused unless a regular file (EISDIR, EINVAL) with one link (EMLINK)
 * owned by us, or by root for reading (EPERM). The descriptor is close-on-exec.
 */
int gd_pidfile_open(const char *path, int mode);
/*
 * Open path for a query, unless it is the pidfile this process persisted:
 * then its own descriptor is lent (*own = 1), since closing any descriptor of
 * the file would drop our lock. Give it back with gd_pidfile_put().
 */
int gd_pidfile_get(const char *path, int mode, int *own);
void gd_pidfile_put(int fd, int own);
/* Starter: claim path: fd holding the claim lock over an empty file, or -1 (EEXIST: running). */
int gd_pidfile_claim(const char *path);
/* Final process: take the owner lock on a claimed fd and write our PID (async-signal-safe). */
int gd_pidfile_own(int fd);
/*
 * The applet's keeper (godaemon_keeper.c) holds byte 1 and byte 2, the
 * keeper lock, for PROG's whole life, and writes PROG's PID in the file:
 * F_GETLK on byte 2 tells a keeper's pidfile from a daemon's own.
 */
int gd_pidfile_keep(int fd);
/* Keeper: make the file name pid (it may name another already), or nothing (pid 0): 0, or -1 and errno. */
int gd_pidfile_write(int fd, pid_t pid);
/* Starter: give up the claim lock (its daemon now owns the file). */
int gd_pidfile_unclaim(int fd);

/* What a pidfile says and who holds its locks. */
struct gd_pidstate {
	pid_t pid;	/* the recorded PID, or -1 with err set */
	int err;	/* why the content is not a usable PID (gd_read_pid_file's errno) */
	pid_t owner;	/* PID holding the owner lock; 0 none; -1 untrusted: a read lock, or held outside our PID namespace */
	int claimed;	/* a starter holds the claim lock */
	pid_t keeper;	/* PID holding the keeper lock (byte 2); 0 none */
};
/* Read an open pidfile's content and locks: 0, or -1 and errno when fcntl fails. */
int gd_pidfile_inspect(int fd, struct gd_pidstate *st);
/* Parse a pidfile's content strictly: the PID, or -1 and errno as gd_read_pid_file(). */
pid_t gd_parse_pid(const char *buf, size_t len);
/* A short reason for a pidfile errno, for messages ("empty", "not a PID", ...). */
const char *gd_pidfile_reason(int err);
/*
 * Is err a pidfile that cannot be trusted: one of the reasons above (bad
 * contents, unsafe file), or unreadable? stop then signals nothing (exit 4).
 */
int gd_pidfile_untrusted(int err);
/* Resolve NULL/"" to the default name into buf. */
const char *gd_pidfile_name(const char *pidfile, char *buf, size_t size);
/* Remove path if nobody owns or claims it and it is still the file fd has open. */
int gd_pidfile_remove(const char *path);
/*
 * gd_read_pid_file(), gd_stop_pid() and gd_status_pid() of a pidfile named
 * already (path NULL: gd_status_path() tells errno's failure to name it), so
 * that the applet links no gd_pid_filename().
 */
int gd_read_pid_path(const char *path, bool *running);
int gd_stop_path(const char *path, int sig, unsigned timeout_ms);
int gd_status_path(const char *path);
/*
 * gd_status_pid()'s return values, the LSB's codes for "status" (LSB Core,
 * "Init Script Actions"); the applet's status exits with them.
 */
enum gd_lsb_status {
	GD_LSB_RUNNING = 0,	/* "program is running or service is OK" */
	GD_LSB_DEAD = 1,	/* "program is dead and /var/run pid file exists" */
	GD_LSB_STOPPED = 3,	/* "program is not running" */
	GD_LSB_UNKNOWN = 4	/* "program or service status is unknown" */
};
/*
 * Wait up to ms for pid to stop owning fd's pidfile, woken by pidfd when it
 * is one, else watching the lock: 0 gone; -1 and ETIMEDOUT, or fcntl's errno.
 */
int gd_wait_gone(int fd, pid_t pid, int pidfd, unsigned ms);
/*
 * Send sig to pid if it still holds fd's lock at byte (1 the owner, 2 the
 * keeper), through a pidfd opened before that check when the kernel has one
 * (*pidfd set, or -1); with info (a queued signal's value), as
 * sigqueue() sends it.
 */
int gd_signal_owner(int fd, int byte, pid_t pid, int sig, const siginfo_t *info, int *pidfd);

/* Is there a process pid (a zombie included)? Never asks for 0, 1 or a group. */
int gd_pid_alive(pid_t pid);




#endif

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
/* For gd_vsay()'s callers: no floating-point arguments, so that x86-64 saves no vector registers. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
# define GD_NO_FP_ARGS __attribute__((target("general-regs-only")))
#else
# define GD_NO_FP_ARGS
#endif

/*
 * The architectures where the standalone applet, linked with musl, has its
 * own start-up and system calls (applet/gd_start.c; the Makefile defines
 * GD_APPLET_CRT for those objects, never for the library). There syscall()
 * is a call of gd_sys(), or of gd_sys3() when it has at most three
 * arguments, so that musl's wrappers are not linked. Each argument becomes
 * a long, as musl's syscall() reads them: on 32-bit, a 64-bit value goes as
 * two (GD_OFF0 of gd_pidfile.c).
 */
#if (defined(__x86_64__) && !defined(__ILP32__)) || defined(__aarch64__)
# define GD_ARCH_64 1	/* struct stat and struct flock are the kernel's */
#elif defined(__arm__) || (defined(__mips__) && _MIPS_SIM == _ABIO32)
# define GD_ARCH_32 1	/* musl's struct stat begins as the kernel's stat64 */
#endif
#if defined(GD_ARCH_64) || defined(GD_ARCH_32)
# define GD_START_ARCH 1
# ifdef __mips__
#  define GD_SYS_ATTR __attribute__((nomips16))	/* the syscall instruction is not in MIPS16 */
# else
#  define GD_SYS_ATTR
# endif
GD_SYS_ATTR long gd_sys(long n, long a, long b, long c, long d, long e, long f);
long gd_sys3(long n, long a, long b, long c);
# ifdef GD_APPLET_CRT
#  define syscall(...) GD_SYS_PICK(__VA_ARGS__, GD_SYS6, GD_SYS6, GD_SYS6, \
		GD_SYS3, GD_SYS3, GD_SYS3, GD_SYS3, 0)(__VA_ARGS__, 0, 0, 0, 0, 0, 0, 0)
#  define GD_SYS_PICK(n, a, b, c, d, e, f, call, ...) call
#  define GD_SYS3(n, a, b, c, ...) gd_sys3(n, (long)(a), (long)(b), (long)(c))
#  define GD_SYS6(n, a, b, c, d, e, f, ...) \
	gd_sys(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
# endif
#endif

/*
 * Raw system calls where a static musl's wrapper weighs more than the call:
 * open() and pipe2() carry fallbacks for kernels before 2.6.23 and 2.6.27
 * (0.4 KB); fstat(), stat() and lstat() go through fstatat() and its /proc
 * fallback for O_PATH descriptors on kernels before 3.6 (0.8 KB); fcntl()
 * handles F_GETOWN and F_DUPFD_CLOEXEC before 2.6.24 (0.4 KB). open()
 * adds O_LARGEFILE on 32-bit architectures, as libc's does. struct stat and
 * struct flock are the kernel's own on 64-bit x86 and ARM; see below for
 * 32-bit ARM and MIPS o32. Other architectures keep libc's calls there.
 */
static inline int gd_open(const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_LARGEFILE, mode);
}

static inline int gd_pipe(int fds[2])
{
	return (int)syscall(SYS_pipe2, fds, O_CLOEXEC);
}

#ifdef GD_ARCH_64
# define GD_SYS_FSTAT SYS_fstat
# define GD_SYS_FSTATAT SYS_newfstatat
# define GD_SYS_FCNTL SYS_fcntl
#elif defined(GD_ARCH_32) && !defined(__GLIBC__)
/*
 * 32-bit ARM and MIPS o32 with musl (glibc and uClibc, which defines
 * __GLIBC__ too, keep their calls: their struct stat differs without
 * _FILE_OFFSET_BITS=64). musl's struct stat begins as the kernel's struct
 * stat64 does, up to st_ino, the last field godaemon reads: fstat64 fills
 * st_dev, st_ino, st_mode, st_nlink and st_uid in place, and only the
 * 64-bit times after it stay unset. musl's own fstatat() tries statx first
 * and then converts (0.8 KB on ARM, 1.5 KB on MIPS with fcntl()). The one
 * difference: MIPS has a 32-bit st_dev, which is the low half of musl's
 * 64-bit one on little-endian MIPS and the high half on big-endian; the
 * pidfile code only compares it with another st_dev read the same way.
 * The checks below fail the build where a header differs. fcntl64 is the
 * call that musl's fcntl() makes, whose F_*LK numbers and struct flock
 * are the kernel's flock64 ones on 32-bit.
 */
# if defined(__arm__)
#  define GD_KSTAT_INO 96	/* arch/arm/include/uapi/asm/stat.h, struct stat64 */
#  define GD_KSTAT_MODE 16
# else
#  define GD_KSTAT_INO 16	/* arch/mips/include/uapi/asm/stat.h, struct stat64 */
#  define GD_KSTAT_MODE 24
# endif
typedef char gd_kstat_check[offsetof(struct stat, st_ino) == GD_KSTAT_INO
			    && offsetof(struct stat, st_mode) == GD_KSTAT_MODE
			    && offsetof(struct stat, st_nlink) == GD_KSTAT_MODE + 4
			    && offsetof(struct stat, st_uid) == GD_KSTAT_MODE + 8
			    && sizeof(struct stat) >= 104 ? 1 : -1];
typedef char gd_kflock_check[offsetof(struct flock, l_start) == 8
			     && offsetof(struct flock, l_pid) == 24 && F_SETLK != 6 ? 1 : -1];
# define GD_SYS_FSTAT SYS_fstat64
# define GD_SYS_FSTATAT SYS_fstatat64
# define GD_SYS_FCNTL SYS_fcntl64
#endif

#ifdef GD_SYS_FSTAT
static inline int gd_fstat(int fd, struct stat *st)
{
	return (int)syscall(GD_SYS_FSTAT, fd, st);
}

/* flags 0 follows a symlink (stat), AT_SYMLINK_NOFOLLOW does not (lstat). */
static inline int gd_stat(const char *path, struct stat *st, int flags)
{
	return (int)syscall(GD_SYS_FSTATAT, AT_FDCWD, path, st, flags);
}

static inline int gd_fcntl(int fd, int cmd, long arg)
{
	return (int)syscall(GD_SYS_FCNTL, fd, cmd, arg);
}
#else
# define gd_fstat fstat
# define gd_stat(path, st, flags) fstatat(AT_FDCWD, path, st, flags)
# define gd_fcntl fcntl
#endif

/*
 * The kernel's signal set, for raw rt_sigprocmask() and rt_sigaction(): one
 * bit per signal, _NSIG / 8 bytes (16 on MIPS, which has 128 signals); signal
 * N < 32 is bit N - 1 of w[0] on every architecture. Where no handler is
 * installed the raw calls do all that libc's do, without musl's sigaction()
 * and its locks (0.9 KB static).
 */
typedef struct {
	unsigned long w[_NSIG / 8 / sizeof(long)];
} gd_sigset;
#define GD_SIGBIT(sig) (1UL << ((sig) - 1))

static inline int gd_sigmask(int how, const gd_sigset *set, gd_sigset *old)
{
	return (int)syscall(SYS_rt_sigprocmask, how, set, old, _NSIG / 8);
}

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
 * The daemon's own set-up once it runs as the final process (gd_stage.c):
 * stage DAEMON, only attr->files and report open, stdio on /dev/null, cwd
 * "/", umask, signals. Returns the failed step or GD_STEP_NONE.
 */
int gd_become_daemon(const struct gd_attr *attr, int report);
/* Where the handler sits in the kernel's struct sigaction, in longs. */
#ifdef __mips__
# define GD_KSA_HANDLER 1	/* after an unsigned flags field */
#else
# define GD_KSA_HANDLER 0
#endif
/* Reset every signal disposition to default and unblock all (async-signal-safe). */
void gd_reset_signals(void);
/* Is sig's disposition SIG_IGN? 0 also when it cannot be read. */
int gd_sig_ignored(int sig);

/* Stage bookkeeping (gd_stage.c). */
void gd_set_stage(enum gd_stage stage);

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
/* Starter: give up the claim lock (its daemon now owns the file). */
int gd_pidfile_unclaim(int fd);

/* What a pidfile says and who holds its locks. */
struct gd_pidstate {
	pid_t pid;	/* the recorded PID, or -1 with err set */
	int err;	/* why the content is not a usable PID (gd_read_pid_file's errno) */
	pid_t owner;	/* PID holding the owner lock; 0 none; -1 untrusted: a read lock, or held outside our PID namespace */
	int claimed;	/* a starter holds the claim lock */
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
 * Wait up to ms for pid to stop owning fd's pidfile, woken by pidfd when it
 * is one, else watching the lock: 0 gone; -1 and ETIMEDOUT, or fcntl's errno.
 */
int gd_wait_gone(int fd, pid_t pid, int pidfd, unsigned ms);
/* Send sig to pid, using a pidfd when the kernel has one (*pidfd set, or -1). */
int gd_signal_owner(int fd, pid_t pid, int sig, int *pidfd);

/* Set by the start-stop-daemon front end: godaemon.c exits with gd_exit_hook(code). */
extern int (*gd_exit_hook)(int code);

#endif

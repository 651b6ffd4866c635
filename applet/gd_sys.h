/*
 * gd_sys.h - the architecture layer: which architecture this is, the
 * system calls made raw (and, in the standalone applet, syscall() itself),
 * and the kernel's own layouts. Every architecture #if of the library and
 * the applet is here, next to an inline stub, so that their .c files have
 * none. Only libc headers; included by gd_internal.h.
 */
#ifndef GD_SYS_H
#define GD_SYS_H 1

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* For gd_vsay()'s callers: no floating-point arguments, so that x86-64 saves no vector registers. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
# define GD_NO_FP_ARGS __attribute__((target("general-regs-only")))
#else
# define GD_NO_FP_ARGS
#endif

/*
 * The architectures where the standalone applet, linked with musl, has its
 * own start-up and system calls (applet/standalone/; the Makefile defines
 * GD_APPLET_CRT for the applet's objects, never for the library). There syscall()
 * is a call of gd_sys(), or of gd_sys3() when it has at most three
 * arguments, so that musl's wrappers are not linked. Each argument becomes
 * a long, as musl's syscall() reads them: on 32-bit, a 64-bit value goes as
 * two (GD_OFF0 below).
 */
#if defined(__x86_64__) && !defined(__ILP32__)
# define GD_ARCH_64 1	/* struct stat and struct flock are the kernel's */
# define GD_ARCH_NAME x86_64	/* applet/standalone/arch/NAME */
#elif defined(__aarch64__)
# define GD_ARCH_64 1
# define GD_ARCH_NAME aarch64
#elif defined(__arm__)
# define GD_ARCH_32 1	/* musl's struct stat begins as the kernel's stat64 */
# define GD_ARCH_NAME arm
#elif defined(__mips__) && _MIPS_SIM == _ABIO32
# define GD_ARCH_32 1
# define GD_ARCH_NAME mips
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

/* Where the handler sits in the kernel's struct sigaction, in longs. */
#ifdef __mips__
# define GD_KSA_HANDLER 1	/* after an unsigned flags field */
#else
# define GD_KSA_HANDLER 0
#endif

/*
 * Raw calls: musl's pread() and pwrite() are cancellation points, its
 * ftruncate() splits a 64-bit length, and its unlink() is unlinkat() on newer
 * architectures anyway (0.1 KB static). Offsets and lengths here are always
 * 0, which is zero in every register however an architecture splits or pads
 * a 64-bit argument.
 */
#if ULONG_MAX > 0xffffffff
# define GD_OFF0 0L		/* one register */
#else
# define GD_OFF0 0L, 0L, 0L	/* a register pair, on some architectures after a pad */
#endif
#define gd_pread0(fd, buf, len) syscall(SYS_pread64, fd, buf, len, GD_OFF0)
#define gd_pwrite0(fd, buf, len) syscall(SYS_pwrite64, fd, buf, len, GD_OFF0)
#define gd_unlink(path) syscall(SYS_unlinkat, AT_FDCWD, path, 0)
#ifdef SYS_ftruncate	/* a short length: the 32-bit call is as good as ftruncate64 */
# define gd_truncate(fd, len) syscall(SYS_ftruncate, fd, (long)(len))
#else
# define gd_truncate(fd, len) ftruncate(fd, (off_t)(len))
#endif
#define gd_truncate0(fd) gd_truncate(fd, 0)

/* Back to a directory's first entry; offset 0 needs no 64-bit call (libc's lseek() is one). */
#ifdef SYS_lseek
# define gd_rewind(fd) syscall(SYS_lseek, fd, 0L, SEEK_SET)
#else
# define gd_rewind(fd) lseek(fd, 0, SEEK_SET)
#endif

/* One dup2(), not retried: libc's is this call; aarch64 has only dup3(), which refuses from == to. */
static inline int gd_dup2_once(int from, int to)
{
#ifdef SYS_dup2
	return (int)syscall(SYS_dup2, from, to);
#else
	return dup2(from, to);
#endif
}

/* musl's 32-bit headers name the time32 call so. */
#ifdef SYS_clock_gettime32
# define GD_SYS_CLOCK_GETTIME SYS_clock_gettime32
#else
# define GD_SYS_CLOCK_GETTIME SYS_clock_gettime
#endif
/*
 * CLOCK_MONOTONIC in ms through the 64-bit time call where 32-bit
 * architectures have it, since their legacy call may be configured out
 * (COMPAT_32BIT_TIME=n): 0, or -1 to try GD_SYS_CLOCK_GETTIME.
 */
/* NOLINTNEXTLINE(readability-non-const-parameter): written where SYS_clock_gettime64 is */
static inline int gd_clock_ms64(unsigned long *ms)
{
#ifdef SYS_clock_gettime64
	long long t[2];

	/* In unsigned long: a 64-bit division would link libgcc's (1.2 KB on MIPS). */
	if (syscall(SYS_clock_gettime64, CLOCK_MONOTONIC, t) == 0) {
		*ms = (unsigned long)t[0] * 1000 + (unsigned long)t[1] / 1000000;
		return 0;
	}
#endif
	(void)ms;	/* 64-bit: the one call is the legacy one */
	return -1;
}

/*
 * pidfds (Linux 5.3): the numbers are the same on every architecture; older
 * headers lack them. -1 and ENOSYS on older kernels.
 */
/*
 * The id calls: 32-bit ARM and i386 have 32-bit ids only in the *32 calls.
 * Raw, because musl's setuid() family synchronises every thread, which a
 * process about to exec has none of.
 */
#ifdef SYS_setuid32
# define GD_SYS_SETUID SYS_setuid32
# define GD_SYS_SETGID SYS_setgid32
# define GD_SYS_SETGROUPS SYS_setgroups32
#else
# define GD_SYS_SETUID SYS_setuid
# define GD_SYS_SETGID SYS_setgid
# define GD_SYS_SETGROUPS SYS_setgroups
#endif
/*
 * The applet's fork(): the bare system call. Every child of godaemon makes
 * only async-signal-safe system calls until it execs, so the bookkeeping of
 * musl's _Fork() (thread list, robust list, cached TID, its locks) has
 * nothing to mend there; that is 0.5 KB of a static binary. The keeper
 * itself runs on after a bare fork: it uses no thread, no stdio and no
 * heap. Architectures without fork have clone.
 */
static inline pid_t gd_raw_fork(void)
{
#ifdef SYS_fork
	return (pid_t)syscall(SYS_fork);
#else
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0L, 0L, 0L, 0L);
#endif
}
#ifdef SYS_pidfd_open
# define GD_SYS_PIDFD_OPEN SYS_pidfd_open
#else
# define GD_SYS_PIDFD_OPEN 434
#endif
#ifdef SYS_pidfd_send_signal
# define GD_SYS_PIDFD_SEND_SIGNAL SYS_pidfd_send_signal
#else
# define GD_SYS_PIDFD_SEND_SIGNAL 424
#endif

static inline int gd_pidfd_open(pid_t pid)
{
	return (int)syscall(GD_SYS_PIDFD_OPEN, pid, 0);
}

static inline int gd_pidfd_send_signal(int pidfd, int sig, siginfo_t *info)
{
	return (int)syscall(GD_SYS_PIDFD_SEND_SIGNAL, pidfd, sig, info, 0);
}

/*
 * The error numbers of gd_util.c's table: one byte each where they all fit
 * (not on MIPS, whose EDQUOT is 1133).
 */
#if EDQUOT < 256
typedef unsigned char gd_errnum;
#else
typedef unsigned short gd_errnum;
#endif

#endif

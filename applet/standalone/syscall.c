/*
 * syscall.c - the standalone applet's system calls, when linked with musl
 * (see start.c).
 *
 * musl's wrappers weigh more than the calls: syscall() is variadic (134
 * bytes on x86_64, stack-protected, so it needed a thread pointer set for
 * its canary), and read(), close(), poll() and the rest go through the
 * cancellation-point plumbing (__syscall_cp, sccp) and __syscall_ret.
 * gd_sys() makes every call the applet makes: the number and six arguments
 * in the kernel's registers (arch/NAME/syscall_arch.h), and -4095..-1
 * turned into errno and -1, as __syscall_ret() does, in this one place.
 * gd_sys.h makes syscall() a call of it, or of gd_sys3() for up to three arguments: 32-bit
 * arm and mips pass the fifth argument of a call on the stack, and the
 * common short calls then need no frame. The libc functions the applet
 * calls follow, with musl 1.2.3's semantics; LTO inlines most of them.
 * Saved: 0.6 KB on x86_64, 0.9 KB on aarch64, 0.25 KB on armhf, 1.9 KB on
 * mipsel.
 */
/* This file defines read(), poll() and the others: fortify-headers' inline
 * wrappers of them (OpenWrt's musl) must not be in the way. */
#undef _FORTIFY_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "gd_internal.h"
#include "syscall_arch.h"

GD_SYS_ATTR __attribute__((noinline)) long gd_sys(long n, long a, long b, long c, long d, long e, long f)
{
	unsigned long r = gd_syscall_arch(n, a, b, c, d, e, f);

	if (r > -4096UL) {
		errno = (int)-r;
		return -1;
	}
	return (long)r;
}

__attribute__((noinline)) long gd_sys3(long n, long a, long b, long c)
{
	return gd_sys(n, a, b, c, 0, 0, 0);
}

/*
 * syscall() itself, for a caller that does not see gd_internal.h's macro,
 * so that musl's is never linked (without the thread pointer, its canary
 * check would fault on x86_64). Nothing calls it today: LTO drops it.
 */
/* NOLINTNEXTLINE(cert-dcl37-c,cert-dcl51-cpp) */
long (syscall)(long n, ...)
{
	va_list ap;
	long a, b, c, d, e, f;

	va_start(ap, n);
	a = va_arg(ap, long);
	b = va_arg(ap, long);
	c = va_arg(ap, long);
	d = va_arg(ap, long);
	e = va_arg(ap, long);
	f = va_arg(ap, long);
	va_end(ap);
	return gd_sys(n, a, b, c, d, e, f);
}

/* The libc functions the applet calls: each its one system call, as in musl. */
ssize_t read(int fd, void *buf, size_t len)
{
	return syscall(SYS_read, fd, buf, len);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	return syscall(SYS_writev, fd, iov, n);
}

/* As musl: never retried (Linux frees fd even then), and EINTR is success. */
int close(int fd)
{
	int saved = errno;

	if (syscall(SYS_close, fd) == 0)
		return 0;
	if (errno != EINTR)
		return -1;
	errno = saved;
	return 0;
}

int poll(struct pollfd *fds, nfds_t n, int timeout)
{
#ifdef SYS_poll
	return (int)syscall(SYS_poll, fds, n, timeout);
#else	/* aarch64: ppoll with the timeout as a timespec, no mask, as musl */
	struct timespec ts = { timeout / 1000, timeout % 1000 * 1000000L };

	return (int)syscall(SYS_ppoll, fds, n, timeout >= 0 ? &ts : NULL, 0, _NSIG / 8);
#endif
}

pid_t waitpid(pid_t pid, int *status, int options)
{
	return (pid_t)syscall(SYS_wait4, pid, status, options);	/* no rusage */
}

#ifndef SYS_dup2
/* aarch64 has dup3 only, which refuses old == new: then check old is open, as musl. */
int dup2(int old, int new)
{
	long r;

	if (old == new)
		return syscall(SYS_fcntl, old, F_GETFD) < 0 ? -1 : old;
	while ((r = syscall(SYS_dup3, old, new)) < 0 && errno == EBUSY)
		;	/* musl retries EBUSY here, which dup2 on Linux may give */
	return (int)r;
}
#endif

int kill(pid_t pid, int sig)
{
	return (int)syscall(SYS_kill, pid, sig);
}

int access(const char *path, int mode)
{
#ifdef SYS_access
	return (int)syscall(SYS_access, path, mode);
#else
	return (int)syscall(SYS_faccessat, AT_FDCWD, path, mode);	/* flags 0 */
#endif
}

int chdir(const char *path)
{
	return (int)syscall(SYS_chdir, path);
}

mode_t umask(mode_t mask)
{
	return (mode_t)syscall(SYS_umask, mask);
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)syscall(SYS_execve, path, argv, envp);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)syscall(SYS_connect, fd, addr, len);
}

uid_t geteuid(void)
{
#ifdef SYS_geteuid32
	return (uid_t)syscall(SYS_geteuid32);
#else
	return (uid_t)syscall(SYS_geteuid);
#endif
}

pid_t getpid(void)
{
	return (pid_t)syscall(SYS_getpid);
}

/* exit_group, then exit should it ever return, as musl. */
void _Exit(int code)
{
	syscall(SYS_exit_group, code);
	for (;;)
		syscall(SYS_exit, code);
}

void _exit(int code)
{
	_Exit(code);
}

/* musl keeps two real-time signals for itself: SIGRTMIN is 35. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
int __libc_current_sigrtmin(void)
{
	return 35;
}

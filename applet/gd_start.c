/* gd_start.c - the standalone applet's start-up and system calls, when
 * linked with musl.
 *
 * musl's crt1.o hands argc and argv to __libc_start_main(), which
 * prepares what threads, the stack protector and the dynamic linker need:
 * thread-local storage, the auxiliary vector, a random canary (1.9 KB, a
 * tenth of the applet). The applet is one thread without TLS, is built
 * without the stack protector and keeps errno in a plain variable, so its
 * own _start only sets environ and runs main(), and crt1.o is not linked
 * (the Makefile asks gd_internal.h whether GD_START_ARCH is set).
 * ___errno_location(), musl's internal name, is defined too, for any musl
 * function still linked.
 *
 * The thread pointer is never set: no code linked reads it (objdump finds
 * no %fs on x86_64, no tpidr_el0 on aarch64, no rdhwr on mips, no
 * __aeabi_read_tp on arm). Where the canary of musl's own stack-protected
 * functions lives in a global (aarch64, arm, mips), it is left 0.
 * Other architectures and ABIs (x32, mips n32 and n64) keep musl's start-up
 * and system calls: this file defines nothing for them. The BusyBox build
 * never sees this file: BusyBox has its own main(). */
/* This file defines read(), poll() and the others: fortify-headers' inline
 * wrappers of them (OpenWrt's musl) must not be in the way. */
#undef _FORTIFY_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include "gd_internal.h"
/* Only for the applet that the Makefile links without start files (GD_APPLET_CRT). */
#if defined(GD_START_ARCH) && defined(GD_APPLET_CRT)

int main(int argc, char **argv);

static int the_errno;

int *__errno_location(void)
{
	return &the_errno;
}
/* musl's names, replaced on purpose: NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
int *___errno_location(void) __attribute__((const, alias("__errno_location")));

/* No atexit handlers, destructors or stdio buffers to run or flush. */
void exit(int code)
{
	_Exit(code);
}

/*
 * The entry point, in place of musl's crt1.o: the kernel leaves argc, then
 * argv[] and its NULL, then envp[] on the stack. Each _start clears the
 * frame and return registers that end a backtrace, aligns the stack as the
 * ABI wants it at a call, and calls gd_start_c() with the stack pointer as
 * it found it, as musl's does.
 */
__attribute__((used, noreturn)) void gd_start_c(long *sp);
void gd_start_c(long *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);

	environ = argv + argc + 1;
	exit(main(argc, argv));
}

#if defined(__x86_64__)
__asm__(".pushsection .text\n.global _start\n.type _start,@function\n_start:\n"
	"	xor %ebp,%ebp\n	mov %rsp,%rdi\n	and $-16,%rsp\n	call gd_start_c\n.popsection\n");
#elif defined(__aarch64__)
__asm__(".pushsection .text\n.global _start\n.type _start,%function\n_start:\n"
	"	mov x29,#0\n	mov x30,#0\n	mov x0,sp\n	and sp,x0,#-16\n	b gd_start_c\n.popsection\n");
#elif defined(__arm__)
/* In ARM state whatever the compiler's; bl to a Thumb gd_start_c becomes blx. */
# ifdef __thumb__
#  define GD_ISA ".thumb\n"
# else
#  define GD_ISA ".arm\n"
# endif
__asm__(".pushsection .text\n.arm\n.global _start\n.type _start,%function\n_start:\n"
	"	mov fp,#0\n	mov lr,#0\n	mov a1,sp\n	and ip,a1,#-16\n	mov sp,ip\n"
	"	bl gd_start_c\n" GD_ISA ".popsection\n");
#else
/* MIPS o32: $gp from the distance between two words, which works at any
 * load address; then gd_start_c() through $25, as the ABI calls. */
__asm__(".set push\n.set noreorder\n.set nomips16\n.pushsection .text\n"
	".global __start\n.global _start\n.type __start,@function\n.type _start,@function\n"
	"__start:\n_start:\n"
	"	bal 1f\n	 move $fp,$0\n	.gpword .\n	.gpword gd_start_c\n"
	"1:	lw $gp,0($ra)\n	subu $gp,$ra,$gp\n	move $4,$sp\n	subu $sp,$sp,16\n"
	"	and $sp,$sp,-8\n	lw $25,4($ra)\n	addu $25,$25,$gp\n	jalr $25\n	 nop\n"
	".popsection\n.set pop\n");
#endif

/*
 * The system calls. musl's wrappers weigh more than the calls: syscall() is
 * variadic (134 bytes on x86_64, stack-protected, so it needed a thread
 * pointer set for its canary), and read(), close(), poll() and the rest go
 * through the cancellation-point plumbing (__syscall_cp, sccp) and
 * __syscall_ret. gd_sys() makes every call the applet makes: the number and
 * six arguments in the kernel's registers, and -4095..-1 turned into errno
 * and -1, as __syscall_ret() does, in this one place. gd_internal.h makes
 * syscall() a call of it, or of gd_sys3() for up to three arguments: 32-bit
 * arm and mips pass the fifth argument of a call on the stack, and the
 * common short calls then need no frame. The libc functions the applet
 * calls follow, with musl 1.2.3's semantics; LTO inlines most of them.
 * Saved: 0.6 KB on x86_64, 0.9 KB on aarch64, 0.25 KB on armhf, 1.9 KB on
 * mipsel.
 */
GD_SYS_ATTR __attribute__((noinline)) long gd_sys(long n, long a, long b, long c, long d, long e, long f)
{
	unsigned long r;
#if defined(__x86_64__)
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile ("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			: "rcx", "r11", "memory");
#elif defined(__aarch64__) || defined(__arm__)
	/*
	 * The number in x8 (aarch64) or r7 (arm EABI), the arguments from x0 or
	 * r0 on. r7 is the Thumb frame pointer, free as -O1 and up omit it. At
	 * -O0 gcc refuses to build this (it never miscompiles it); musl's way,
	 * r7 saved in a scratch register around the call, costs 8 bytes.
	 */
# ifdef __aarch64__
#  define GD_REG(i) __asm__("x" #i)
#  define GD_NR __asm__("x8")
# else
#  define GD_REG(i) __asm__("r" #i)
#  define GD_NR __asm__("r7")
# endif
	register long nr GD_NR = n;
	register long r0 GD_REG(0) = a;
	register long r1 GD_REG(1) = b;
	register long r2 GD_REG(2) = c;
	register long r3 GD_REG(3) = d;
	register long r4 GD_REG(4) = e;
	register long r5 GD_REG(5) = f;

	__asm__ volatile ("svc 0" : "+r"(r0) : "r"(nr), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5) : "memory");
	r = (unsigned long)r0;
#else
	/*
	 * o32: the number in $2, set just before the instruction, as musl does
	 * for the kernel's restart of an interrupted call; four arguments in $4-$7, the
	 * fifth and sixth at 16 and 20 of a frame made for the call (32 bytes
	 * keep $sp 8-aligned). The kernel flags an error with $7 nonzero and the
	 * positive errno in $2; musl 1.2.3 trusts the flag only with $2 > 0.
	 * $10 carries the number in so that no callee-saved register is spent:
	 * the kernel may change it, as it may $1, $3, $8-$15, $24, $25, hi, lo.
	 */
	register long v0 __asm__("$2");
	register long a0 __asm__("$4") = a;
	register long a1 __asm__("$5") = b;
	register long a2 __asm__("$6") = c;
	register long a3 __asm__("$7") = d;
	register long t0 __asm__("$8") = e;
	register long t1 __asm__("$9") = f;
	register long t2 __asm__("$10") = n;

	__asm__ volatile ("subu $sp, $sp, 32\n\tsw $8, 16($sp)\n\tsw $9, 20($sp)\n\t"
			"addu $2, $0, $10\n\tsyscall\n\taddu $sp, $sp, 32"
			: "=&r"(v0), "+r"(a3), "+r"(t0), "+r"(t1), "+r"(t2)
			: "r"(a0), "r"(a1), "r"(a2)
			: "$1", "$3", "$11", "$12", "$13", "$14", "$15", "$24", "$25", "hi", "lo", "memory");
	r = (unsigned long)(a3 && v0 > 0 ? -v0 : v0);
#endif
	if (r > -4096UL) {
		the_errno = (int)-r;
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
	int saved = the_errno;

	if (syscall(SYS_close, fd) == 0)
		return 0;
	if (the_errno != EINTR)
		return -1;
	the_errno = saved;
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
	while ((r = syscall(SYS_dup3, old, new)) < 0 && the_errno == EBUSY)
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

/*
 * Byte by byte: the applet copies a path or a line at most, and clears its
 * options once. musl's word-at-a-time versions weigh 0.1-0.5 KB on x86_64
 * and aarch64, 0.9 KB on arm and 2 KB on mips. No loop here may become a
 * call of memset() or memcpy(): gcc's loop distribution is off for memset(),
 * as glibc's inhibit_loop_to_libcall does it, and memmove()'s direction is
 * not known at compile time.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;
	ptrdiff_t step = 1;

	if (d > s) {
		d += n - 1;
		s += n - 1;
		step = -1;
	}
	for (; n; n--, d += step, s += step)
		*d = *s;
	return dst;
}

void *memcpy(void *restrict dst, const void *restrict src, size_t n)
	__attribute__((alias("memmove")));

#ifdef __clang__
__attribute__((no_builtin("memset")))
#else
__attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

#ifdef __arm__
/*
 * libgcc's division routines call this on a division by zero. Its own
 * raises SIGFPE with musl's raise(), which reads the thread pointer and
 * blocks every signal around the call (0.2 KB). The applet divides only by
 * constants and parse_num()'s base (8 or 10); should it ever divide by
 * zero, this raises SIGFPE all the same. Used: only libgcc, linked after
 * LTO, refers to it.
 */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
int __aeabi_idiv0(int r);
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
__attribute__((used)) int __aeabi_idiv0(int r)
{
	kill(getpid(), SIGFPE);
	return r;
}
#endif

/* musl keeps two real-time signals for itself: SIGRTMIN is 35. */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
int __libc_current_sigrtmin(void)
{
	return 35;
}
#endif

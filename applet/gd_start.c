/* gd_start.c - the standalone applet's start-up, when linked with musl.
 *
 * musl's crt1.o hands argc and argv to __libc_start_main(). musl's own
 * prepares what threads, the stack protector and the dynamic linker need:
 * thread-local storage, the auxiliary vector, a random canary (1.9 KB, a
 * tenth of the applet). The applet is one thread without TLS, is built
 * without the stack protector and keeps errno in a plain variable, so this
 * one only sets environ and runs main(). The rest of musl that the applet
 * links is its system call wrappers: they reach errno through
 * ___errno_location(), musl's internal name, defined here too.
 *
 * Where the canary of musl's own stack-protected functions (syscall())
 * lives in a global, it is left 0. Where it lives behind the thread
 * pointer (x86_64), the thread pointer is set to a zeroed block that
 * points to itself, as musl's __pthread_self() expects. Other
 * architectures keep musl's start-up: this file defines nothing for them.
 * The BusyBox build never sees this file: BusyBox has its own main(). */
#if defined(__x86_64__) || defined(__aarch64__) || defined(__arm__) || defined(__mips__)
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

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

/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
int __libc_start_main(int (*start)(int, char **, char **), int argc, char **argv,
		void (*init)(void), void (*fini)(void), void (*ldso)(void));
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
int __libc_start_main(int (*start)(int, char **, char **), int argc, char **argv,
		void (*init)(void), void (*fini)(void), void (*ldso)(void))
{
#ifdef __x86_64__
	static unsigned long tcb[64];
	long r;

	tcb[0] = (unsigned long)tcb;
	/* arch_prctl(ARCH_SET_FS, tcb) */
	__asm__ volatile ("syscall" : "=a"(r) : "0"(SYS_arch_prctl), "D"(0x1002),
			"S"(tcb) : "rcx", "r11", "memory");
	if (r)
		_Exit(127);
#endif
	environ = argv + argc + 1;
	exit(start(argc, argv, environ));
}
#endif

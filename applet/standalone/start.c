/*
 * start.c - the standalone applet's start-up, when linked with musl on an
 * architecture of arch/ (the Makefile asks gd_sys.h, GD_START_ARCH and
 * GD_ARCH_NAME, and builds this folder's start-up only then).
 *
 * musl's crt1.o hands argc and argv to __libc_start_main(), which
 * prepares what threads, the stack protector and the dynamic linker need:
 * thread-local storage, the auxiliary vector, a random canary (1.9 KB, a
 * tenth of the applet). The applet is one thread without TLS, is built
 * without the stack protector and keeps errno in a plain variable, so its
 * own _start (arch/NAME/crt_arch.h) only sets environ and runs main(), and
 * crt1.o is not linked. ___errno_location(), musl's internal name, is
 * defined too, for any musl function still linked.
 *
 * The thread pointer is never set: no code linked reads it (objdump finds
 * no %fs on x86_64, no tpidr_el0 on aarch64, no rdhwr on mips, no
 * __aeabi_read_tp on arm). Where the canary of musl's own stack-protected
 * functions lives in a global (aarch64, arm, mips), it is left 0.
 * Other architectures and ABIs (x32, mips n32 and n64) keep musl's start-up
 * and system calls. The BusyBox build never sees this folder: BusyBox has
 * its own main().
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "gd_internal.h"

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

#include "crt_arch.h"

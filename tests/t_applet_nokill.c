/*
 * t_applet_nokill CMD [ARG]... - run CMD in a seccomp sandbox where kill()
 * and pidfd_send_signal() pretend to succeed and do nothing: the one way
 * to have `godaemon stop` meet a process that "would not die" (exit 1)
 * without a process stuck in the kernel. Exits 77 when seccomp is missing.
 * The BPF constants are spelled out: musl-gcc has no kernel headers.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "t.h"

struct bpf_insn { uint16_t code; uint8_t jt, jf; uint32_t k; };
struct bpf_prog { unsigned short len; struct bpf_insn *insn; };

enum {
	LD_W_ABS = 0x00 | 0x00 | 0x20,	/* BPF_LD | BPF_W | BPF_ABS */
	JEQ_K = 0x05 | 0x10 | 0x00,	/* BPF_JMP | BPF_JEQ | BPF_K */
	RET_K = 0x06 | 0x00		/* BPF_RET | BPF_K */
};
#define RET_ALLOW 0x7fff0000U		/* SECCOMP_RET_ALLOW */
#define RET_ERRNO_0 0x00050000U		/* SECCOMP_RET_ERRNO, errno 0: "success" */
#ifndef SYS_pidfd_send_signal
# define SYS_pidfd_send_signal 424
#endif

int main(int argc, char **argv)
{
	struct bpf_insn f[] = {
		{ LD_W_ABS, 0, 0, 0 },	/* seccomp_data.nr */
		{ JEQ_K, 2, 0, SYS_kill },
		{ JEQ_K, 1, 0, SYS_pidfd_send_signal },
		{ RET_K, 0, 0, RET_ALLOW },
		{ RET_K, 0, 0, RET_ERRNO_0 },
	};
	struct bpf_prog prog = { sizeof(f) / sizeof(f[0]), f };

	(void)errname;
	if (argc < 2)
		return 2;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0
	    || prctl(PR_SET_SECCOMP, 2 /* SECCOMP_MODE_FILTER */, &prog) < 0) {
		perror("t_applet_nokill: seccomp");
		return 77;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}

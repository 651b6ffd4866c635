/*
 * MIPS o32: one system call (see syscall.c). The number in $2, set just before the instruction, as musl does
 * for the kernel's restart of an interrupted call; four arguments in $4-$7, the
 * fifth and sixth at 16 and 20 of a frame made for the call (32 bytes
 * keep $sp 8-aligned). The kernel flags an error with $7 nonzero and the
 * positive errno in $2; musl 1.2.3 trusts the flag only with $2 > 0.
 * $10 carries the number in so that no callee-saved register is spent:
 * the kernel may change it, as it may $1, $3, $8-$15, $24, $25, hi, lo.
 */
/* nomips16: the syscall instruction is not in MIPS16 (MIPS16=1 builds). */
static inline __attribute__((nomips16)) unsigned long gd_syscall_arch(long n, long a, long b, long c, long d, long e, long f)
{
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
	return (unsigned long)(a3 && v0 > 0 ? -v0 : v0);
}

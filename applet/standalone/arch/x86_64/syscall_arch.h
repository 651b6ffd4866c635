/* x86_64: one system call (see syscall.c); the number in rax, the arguments in rdi, rsi, rdx, r10, r8, r9. */
static inline unsigned long gd_syscall_arch(long n, long a, long b, long c, long d, long e, long f)
{
	unsigned long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;

	__asm__ volatile ("syscall" : "=a"(r) : "0"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
			: "rcx", "r11", "memory");
	return r;
}

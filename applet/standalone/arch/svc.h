/*
 * aarch64 and arm EABI: the number in GD_NR (x8, r7), the arguments in
 * GD_REG(0) on. r7 is the Thumb frame pointer, free as -O1 and up omit
 * it. At -O0 gcc refuses to build this (it never miscompiles it); musl's
 * way, r7 saved in a scratch register around the call, costs 8 bytes.
 */
static inline unsigned long gd_syscall_arch(long n, long a, long b, long c, long d, long e, long f)
{
	register long nr GD_NR = n;
	register long r0 GD_REG(0) = a;
	register long r1 GD_REG(1) = b;
	register long r2 GD_REG(2) = c;
	register long r3 GD_REG(3) = d;
	register long r4 GD_REG(4) = e;
	register long r5 GD_REG(5) = f;

	__asm__ volatile ("svc 0" : "+r"(r0) : "r"(nr), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5) : "memory");
	return (unsigned long)r0;
}

/* arm EABI _start: see start.c. In ARM state whatever the compiler's; bl to a Thumb gd_start_c becomes blx. */
#ifdef __thumb__
# define GD_ISA ".thumb\n"
#else
# define GD_ISA ".arm\n"
#endif
__asm__(".pushsection .text\n.arm\n.global _start\n.type _start,%function\n_start:\n"
	"	mov fp,#0\n	mov lr,#0\n	mov a1,sp\n	and ip,a1,#-16\n	mov sp,ip\n"
	"	bl gd_start_c\n" GD_ISA ".popsection\n");

/*
 * libgcc's division routines call this on a division by zero. Its own
 * raises SIGFPE with musl's raise(), which reads the thread pointer and
 * blocks every signal around the call (0.2 KB). The applet divides only by
 * constants and a number base (8 or 10); should it ever divide by zero,
 * this raises SIGFPE all the same. Used: only libgcc, linked after LTO,
 * refers to it.
 */
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
int __aeabi_idiv0(int r);
/* NOLINTNEXTLINE(bugprone-reserved-identifier,cert-dcl37-c,cert-dcl51-cpp) */
__attribute__((used)) int __aeabi_idiv0(int r)
{
	kill(getpid(), SIGFPE);
	return r;
}

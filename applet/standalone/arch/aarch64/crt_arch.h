/* aarch64 _start: see start.c. */
__asm__(".pushsection .text\n.global _start\n.type _start,%function\n_start:\n"
	"	mov x29,#0\n	mov x30,#0\n	mov x0,sp\n	and sp,x0,#-16\n	b gd_start_c\n.popsection\n");

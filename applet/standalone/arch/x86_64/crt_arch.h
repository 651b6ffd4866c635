/* x86_64 _start: see start.c. */
__asm__(".pushsection .text\n.global _start\n.type _start,@function\n_start:\n"
	"	xor %ebp,%ebp\n	mov %rsp,%rdi\n	and $-16,%rsp\n	call gd_start_c\n.popsection\n");

/*
 * MIPS o32 _start (see start.c): $gp from the distance between two words,
 * which works at any load address; then gd_start_c() through $25, as the
 * ABI calls.
 */
__asm__(".set push\n.set noreorder\n.set nomips16\n.pushsection .text\n"
	".global __start\n.global _start\n.type __start,@function\n.type _start,@function\n"
	"__start:\n_start:\n"
	"	bal 1f\n	 move $fp,$0\n	.gpword .\n	.gpword gd_start_c\n"
	"1:	lw $gp,0($ra)\n	subu $gp,$ra,$gp\n	move $4,$sp\n	subu $sp,$sp,16\n"
	"	and $sp,$sp,-8\n	lw $25,4($ra)\n	addu $25,$25,$gp\n	jalr $25\n	 nop\n"
	".popsection\n.set pop\n");

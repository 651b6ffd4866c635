/* arm EABI: one system call (see syscall.c). */
#define GD_REG(i) __asm__("r" #i)
#define GD_NR __asm__("r7")
#include "../svc.h"

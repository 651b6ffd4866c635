/* aarch64: one system call (see syscall.c). */
#define GD_REG(i) __asm__("x" #i)
#define GD_NR __asm__("x8")
#include "../svc.h"

/*
 * godaemon_libbb.h - the helpers of BusyBox's libbb that the applet calls,
 * by libbb's names: inside BusyBox libbb's own (one copy in the binary),
 * in the standalone build the small versions of applet/standalone/libbb.c,
 * which behave as libbb's do for every input the applet accepts.
 * Only those whose libbb version does what the applet's did are here: the
 * README ("BusyBox drop-in") lists the others and why they stay the applet's.
 */
#ifndef GODAEMON_LIBBB_H
#define GODAEMON_LIBBB_H 1
#ifdef BB_VER
# include "libbb.h"
#else
# include <stdint.h>

/* The exit code of bb_show_usage() (and of libbb's die functions). */
extern uint8_t xfunc_error_retval;
/*
 * The usage text and exit(xfunc_error_retval). BusyBox's prints it all on
 * stderr; the standalone one, with xfunc_error_retval 0 (--help), all on
 * stdout, else the synopsis alone on stderr.
 */
void bb_show_usage(void) __attribute__((noreturn));
/*
 * A signal's number from 15, TERM, SIGTERM or term; -1 for none (0 is a
 * number). libbb knows every name; the standalone one the names -s takes.
 */
int get_signum(const char *name);
#endif
#endif

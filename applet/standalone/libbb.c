/*
 * libbb.c - the standalone applet's small versions of the BusyBox libbb
 * helpers that godaemon_libbb.h names; inside BusyBox, libbb has them.
 * (main.c has the option FEATURE_VERBOSE_USAGE, BusyBox's own inside it.)
 */
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include "gd_internal.h"
#include "godaemon_libbb.h"
#include "usage.h"
/* A .config from before the standalone build had it: the options shown, as BusyBox's default. */
#ifndef ENABLE_FEATURE_VERBOSE_USAGE
# define ENABLE_FEATURE_VERBOSE_USAGE 1
#endif

uint8_t xfunc_error_retval;

/* --help (xfunc_error_retval 0): the whole text on stdout; a bad call: the synopsis on stderr. */
void bb_show_usage(void)
{
	static const char text[] ALIGN1 = "Usage: godaemon " godaemon_trivial_usage "\n";
	int help = !xfunc_error_retval, fd = help ? 1 : 2;

	gd_write_all(fd, text, sizeof(text) - 2);
	if (ENABLE_FEATURE_VERBOSE_USAGE && help)
		gd_write_all(fd, godaemon_full_usage, sizeof(godaemon_full_usage) - 1);
	gd_write_all(fd, "\n", 1);
	exit(xfunc_error_retval);
}

/* The names -s may be given, each with its number (they differ between architectures). */
static const unsigned char signal_nums[] ALIGN1 = {
	SIGHUP, SIGINT, SIGQUIT, SIGABRT, SIGKILL, SIGUSR1, SIGUSR2, SIGALRM,
	SIGTERM, SIGCONT, SIGSTOP, SIGWINCH, SIGPWR
};
static const char signal_names[] ALIGN1 =
	"HUP\0INT\0QUIT\0ABRT\0KILL\0USR1\0USR2\0ALRM\0TERM\0CONT\0STOP\0WINCH\0PWR";

/* If s starts with name (upper case) in any case, the rest of s; else NULL. */
static const char *match_upper(const char *s, const char *name)
{
	for (; *name; s++, name++)
		if (*s != *name && (*s ^ 0x20) != *name)
			return NULL;
	return s;
}

int get_signum(const char *name)
{
	const char *end, *p = signal_names;
	unsigned long n;
	size_t i;

	if (gd_parse_ulong(name, 10, _NSIG - 1, &n) == 0)
		return (int)n;
	end = match_upper(name, "SIG");
	if (end)
		name = end;
	for (i = 0; i < sizeof(signal_nums); i++, p += gd_strlen(p) + 1) {
		end = match_upper(name, p);
		if (end && !*end)
			return signal_nums[i];
	}
	return -1;
}

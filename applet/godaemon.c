/* godaemon applet: placeholder until the applet lands. */
//kbuild:lib-$(CONFIG_GODAEMON) += godaemon.o
#include <unistd.h>
#include "gd_internal.h"

int godaemon_main(int argc, char **argv)
{
	static const char usage[] = "Usage: godaemon start|stop|status ...\n";
	write(2, usage, sizeof(usage) - 1);
	return 2;
}

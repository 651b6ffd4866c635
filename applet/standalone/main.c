/*
 * main.c - main() of the standalone applet; inside BusyBox, BusyBox has it.
 * So has it the option below, which config/Config.in takes from here.
 */
//config:
//config:# Standalone only: inside a BusyBox tree, BusyBox's own option of this name
//config:# decides, for every applet.
//config:config FEATURE_VERBOSE_USAGE
//config:	bool "Explain every option in --help (1.4 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  Without it, --help and usage errors print the synopsis alone.

#ifndef ENABLE_FEATURE_GODAEMON_SSD
# define ENABLE_FEATURE_GODAEMON_SSD 0	/* a .config from before the option */
#endif

int godaemon_main(int argc, char **argv);
int start_stop_daemon_main(int argc, char **argv);

/* Called start-stop-daemon (a link), the binary is that front end. */
static int called_ssd(const char *p)
{
	const char *base = p, *n = "start-stop-daemon";

	for (; *p; p++)
		if (*p == '/')
			base = p + 1;
	while (*base && *base == *n)
		base++, n++;
	return *base == *n;
}

int main(int argc, char **argv)
{
	if (ENABLE_FEATURE_GODAEMON_SSD && argv[0] && called_ssd(argv[0]))
		return start_stop_daemon_main(argc, argv);
	return godaemon_main(argc, argv);
}

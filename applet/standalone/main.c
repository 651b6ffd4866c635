/*
 * main.c - main() of the standalone applet; inside BusyBox, BusyBox has it.
 * So has it the option below, which config/Config.in takes from here.
 */
//config:
//config:# Standalone only: inside a BusyBox tree, BusyBox's own option of this name
//config:# decides, for every applet.
//config:config FEATURE_VERBOSE_USAGE
//config:	bool "Explain every option in --help (742 bytes)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  Without it, --help and usage errors print the synopsis alone.

int godaemon_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return godaemon_main(argc, argv);
}

/*
 * gd_main.c - main() of the standalone applet; inside BusyBox, BusyBox has
 * it. Called start-stop-daemon (a link), the binary is that front end.
 */
int godaemon_main(int argc, char **argv);
int start_stop_daemon_main(int argc, char **argv);

int main(int argc, char **argv)
{
#if ENABLE_FEATURE_GODAEMON_SSD
	const char *p = argv[0], *base = p;

	for (; p && *p; p++)
		if (*p == '/')
			base = p + 1;
	if (base) {
		const char *n = "start-stop-daemon";

		for (p = base; *p && *p == *n; p++, n++)
			;
		if (*p == *n)
			return start_stop_daemon_main(argc, argv);
	}
#endif
	return godaemon_main(argc, argv);
}

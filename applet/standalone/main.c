/* main.c - main() of the standalone applet; inside BusyBox, BusyBox has it. */
int godaemon_main(int argc, char **argv);

int main(int argc, char **argv)
{
	return godaemon_main(argc, argv);
}

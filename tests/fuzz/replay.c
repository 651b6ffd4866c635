/*
 * replay.c - main() for a libFuzzer harness built without libFuzzer: runs
 * every FILE (or every file of DIR) given once through the harness, so that
 * the committed corpus and crashes stay checked by tests/fuzz.test.
 *   replay FILE|DIR...   prints "N inputs" on stderr; a failed property aborts
 */
#undef open
#undef exit
#undef write
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUTS 4096
static struct { uint8_t *data; size_t size; } inputs[MAX_INPUTS];
static int ninputs;

/* Read everything first: the harness may change directory. */
static void load(const char *path)
{
	static uint8_t buf[65536];
	char sub[PATH_MAX];
	struct dirent *e;
	DIR *d = opendir(path);
	ssize_t n;
	int fd;

	if (d) {
		while ((e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			load(sub);
		}
		closedir(d);
		return;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || (n = read(fd, buf, sizeof(buf))) < 0 || ninputs == MAX_INPUTS) {
		perror(path);
		exit(2);
	}
	close(fd);
	inputs[ninputs].data = malloc((size_t)n + 1);
	if (!inputs[ninputs].data)
		exit(2);
	memcpy(inputs[ninputs].data, buf, (size_t)n);
	inputs[ninputs++].size = (size_t)n;
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		load(argv[i]);
	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 0; i < ninputs; i++)
		LLVMFuzzerTestOneInput(inputs[i].data, inputs[i].size);
	fprintf(stderr, "%d inputs\n", ninputs);
	return 0;
}

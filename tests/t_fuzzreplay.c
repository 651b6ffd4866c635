/*
 * t_fuzzreplay.c - run inputs of tests/fuzz/ through a harness without
 * libFuzzer, in the normal build: the committed corpus and every crash once
 * found stay checked by each test run (tests/fuzz.test).
 *
 *   t_fuzzreplay HARNESS FILE|DIR...   prints "N inputs"; a failed property aborts
 *   HARNESS "broken" has a property that never holds, to show that it does.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define LLVMFuzzerTestOneInput pidparse_one
#include "fuzz/pidparse.c"
#undef LLVMFuzzerTestOneInput

#define LLVMFuzzerInitialize pidinspect_init
#define LLVMFuzzerTestOneInput pidinspect_one
#include "fuzz/pidinspect.c"
#undef LLVMFuzzerInitialize
#undef LLVMFuzzerTestOneInput

static int (*one)(const uint8_t *, size_t);

/* A property that never holds: shows that a failing input fails the replay. */
static int broken_one(const uint8_t *data, size_t size)
{
	int err;

	if (gd_parse_pid((const char *)data, size) != reference_parse((const char *)data, size, &err) + 1)
		abort();
	return 0;
}
static unsigned long count;

static void replay_file(const char *path)
{
	static uint8_t buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || (n = read(fd, buf, sizeof(buf))) < 0) {
		perror(path);
		exit(2);
	}
	close(fd);
	one(buf, (size_t)n);
	count++;
}

static void replay(const char *path)
{
	char sub[4096];
	struct dirent *d;
	DIR *dir = opendir(path);

	if (!dir) {
		replay_file(path);
		return;
	}
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, d->d_name);
		replay(sub);
	}
	closedir(dir);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 2;
	if (!strcmp(argv[1], "pidparse")) {
		one = pidparse_one;
	} else if (!strcmp(argv[1], "broken")) {
		one = broken_one;
	} else if (!strcmp(argv[1], "pidinspect")) {
		pidinspect_init(&argc, &argv);
		one = pidinspect_one;
	} else {
		fprintf(stderr, "unknown harness %s\n", argv[1]);
		return 2;
	}
	for (i = 2; i < argc; i++)
		replay(argv[i]);
	fprintf(stderr, "%lu inputs\n", count);
	return 0;
}

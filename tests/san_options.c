/*
 * san_options.c - linked into every program of a sanitizer build
 * (tests/hardening.mk): the runtime options, built in. The sanitizers read
 * ASAN_OPTIONS and UBSAN_OPTIONS from /proc/self/environ, which a test
 * without /proc (the AT_EXECFN fallback of gd_executable_path) does not
 * have; these defaults hold there too, and the environment still overrides.
 */
const char *__asan_default_options(void);
const char *__ubsan_default_options(void);

const char *__asan_default_options(void)
{
	return SAN_ASAN_OPTIONS;
}

const char *__ubsan_default_options(void)
{
	return SAN_UBSAN_OPTIONS;
}

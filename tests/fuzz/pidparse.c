/*
 * pidparse.c - libFuzzer harness: gd_parse_pid() against a second, plain
 * reading of the pidfile rules written here from the header's contract:
 *   ENODATA empty; EFBIG longer than any PID line can be; EBADMSG anything
 *   but decimal digits (no sign, no leading blank, no leading zero before a
 *   digit) followed by blanks only; ERANGE a number <= 1 or > PID_MAX_LIMIT.
 * Any difference in the PID or the errno aborts.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include "gd_internal.h"

#define PARSE_MAX 24		/* GD_PIDFILE_MAX */
#define PID_LIMIT 4194304L	/* PID_MAX_LIMIT on 64-bit Linux */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static long reference_parse(const char *b, size_t n, int *err)
{
	size_t i, digits = 0;
	long v = 0;

	*err = 0;
	if (n == 0)
		*err = ENODATA;
	else if (n > PARSE_MAX)
		*err = EFBIG;
	if (*err)
		return -1;
	while (digits < n && is_digit(b[digits]))
		digits++;
	for (i = digits; i < n; i++)
		if (!is_blank(b[i]))
			break;
	if (digits == 0 || i < n || (b[0] == '0' && digits > 1)) {
		*err = EBADMSG;
		return -1;
	}
	/* At most 24 digits: stop adding once past the limit, it stays past. */
	for (i = 0; i < digits && v <= PID_LIMIT; i++)
		v = v * 10 + (b[i] - '0');
	if (v <= 1 || v > PID_LIMIT) {
		*err = ERANGE;
		return -1;
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	int want_err, got_err;
	long want;
	pid_t got;

	want = reference_parse(buf, size, &want_err);
	errno = 0;
	got = gd_parse_pid(buf, size);
	got_err = got < 0 ? errno : 0;
	if (got != want || got_err != want_err)
		abort();
	return 0;
}

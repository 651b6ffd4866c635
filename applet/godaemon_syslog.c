/*
 * godaemon_syslog.c - -l: the keeper reads PROG's stdout and stderr and
 * sends each line to /dev/log as "<PRI>TAG[PID]: line", one datagram per
 * line, as BusyBox syslogd and every syslog daemon read them: stdout at
 * info, stderr at err, facility daemon. No second process: the keeper polls
 * these pipes beside its signals. A line longer than its buffer goes out in
 * pieces rather than being cut. A syslogd that is not there (yet, or any
 * more) only costs the lines sent meanwhile: each line connects again.
 */
//config:config FEATURE_GODAEMON_SYSLOG
//config:	bool "Send the program's output to syslog (-l) (1.2 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  The keeper sends each line of PROG's output to /dev/log, stdout at
//config:	  info and stderr at err, facility daemon.
//config:

//kbuild:lib-$(CONFIG_FEATURE_GODAEMON_SYSLOG) += godaemon_syslog.o

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>
#include "godaemon_applet.h"

static size_t log_header(char *h, int pri, const char *tag, pid_t pid)
{
	size_t n = 1, t = gd_strlen(tag);

	h[0] = '<';
	n += gd_utoa((unsigned long)pri, h + n);
	h[n++] = '>';
	if (t > TAG_MAX)
		t = TAG_MAX;
	while (t--)
		h[n++] = *tag++;
	h[n++] = '[';
	n += gd_utoa((unsigned long)pid, h + n);
	h[n++] = ']';
	h[n++] = ':';
	h[n++] = ' ';
	return n;
}

void log_open(struct logstream ls[2], const int fds[2], const char *tag, pid_t pid)
{
	int i;

	for (i = 0; i < 2; i++) {
		ls[i].fd = fds[i];
		ls[i].len = 0;
		ls[i].hlen = log_header(ls[i].hdr, LOG_DAEMON | (i ? LOG_ERR : LOG_INFO), tag, pid);
	}
}

/* Connect to /dev/log: 0, or -1 (no syslogd: the line is lost). */
static int log_connect(int *sock)
{
	static const struct {
		sa_family_t family;
		char path[sizeof("/dev/log")];
	} addr = { AF_UNIX, "/dev/log" };

	/* Raw: musl's socket() carries a fallback for kernels before 2.6.27. */
	*sock = (int)syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (*sock < 0)
		return -1;
	if (connect(*sock, (const struct sockaddr *)&addr, sizeof(addr)) < 0) {
		close(*sock);
		*sock = -1;
		return -1;
	}
	return 0;
}

void log_line(struct logstream *ls, int *sock, const char *line, size_t len)
{
	struct iovec iov[2] = { { ls->hdr, ls->hlen }, { (void *)line, len } };
	int tries;

	if (!len)
		return;
	for (tries = 0; tries < 2; tries++) {
		if (*sock < 0 && log_connect(sock) < 0)
			return;
		/* One writev() on a datagram socket is one datagram. */
		while (writev(*sock, iov, 2) < 0) {
			if (errno != EINTR) {
				close(*sock);	/* syslogd restarted: connect again */
				*sock = -1;
				break;
			}
		}
		if (*sock >= 0)
			return;
	}
}

int log_read(struct logstream *ls, int *sock)
{
	char *start = ls->buf, *nl;
	ssize_t n;

	if (ls->fd < 0)
		return -1;
	n = read(ls->fd, ls->buf + ls->len, sizeof(ls->buf) - ls->len);
	if (n <= 0) {
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			return 0;	/* the read end is non-blocking */
		log_line(ls, sock, ls->buf, ls->len);	/* a last line without newline */
		close(ls->fd);
		ls->fd = -1;
		return -1;
	}
	ls->len += (size_t)n;
	while ((nl = find_byte(start, '\n', ls->len - (size_t)(start - ls->buf)))) {
		log_line(ls, sock, start, (size_t)(nl - start));
		start = nl + 1;
	}
	ls->len -= (size_t)(start - ls->buf);
	memmove(ls->buf, start, ls->len);
	if (ls->len == sizeof(ls->buf)) {
		log_line(ls, sock, ls->buf, ls->len);
		ls->len = 0;
	}
	return 1;
}

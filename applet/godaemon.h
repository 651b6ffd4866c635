/*
 * godaemon.h - run a program as a Unix daemon: the public C API.
 *
 * A C implementation of the Go package godaemon, name for name:
 *   Stage()           gd_stage()          MakeDaemon()     gd_make_daemon()
 *   DaemonStage.String gd_stage_string()  Daemonize()      gd_daemonize()
 *   GetExecutablePath gd_executable_path() Readlink()      gd_readlink()
 *   PIDFilename       gd_pid_filename()   PersistPID()     gd_persist_pid()
 *   UpdatePIDFile     gd_update_pid_file() ReadPIDFile()   gd_read_pid_file()
 *   UpdateFile        gd_update_file()    KillPID()        gd_kill_pid()
 *   StatusPID         gd_status_pid()
 *
 * Conventions: int and ssize_t functions return -1 and set errno on failure;
 * bool functions set errno when they return false. Buffers belong to the
 * caller: on success the answer is NUL-terminated and its length (without the
 * NUL) is returned; when it does not fit the call fails with ERANGE and the
 * buffer holds no truncated answer. A NULL or "" pidfile means
 * gd_pid_filename(). The library never allocates from the heap, never prints
 * (but gd_status_pid) and never exits the caller (but the staging exits that
 * the Go API defines).
 */
#ifndef GODAEMON_H
#define GODAEMON_H 1

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Go's DaemonStage: where a process stands in the staging. */
enum gd_stage {
	GD_STAGE_PARENT,	/* the original process */
	GD_STAGE_CHILD,		/* first child: session leader, about to fork again */
	GD_STAGE_DAEMON		/* the final daemon */
};

/* struct gd_attr.flags */
enum {
	GD_KEEP_UMASK = 1 << 0,	/* keep the inherited umask instead of 0 */
	GD_REEXEC = 1 << 1	/* re-execute the program at each stage, as Go does */
};

/* Go's DaemonAttr. A zeroed struct gives Go's defaults. */
struct gd_attr {
	const char *program_name;	/* argv[0] of re-executed stages (GD_REEXEC); NULL keeps it */
	bool capture_output;		/* daemon's stdout/stderr become pipes it can read */
	int *files;			/* descriptors kept open (locks held) in the daemon */
	size_t nfiles;
	unsigned flags;			/* GD_KEEP_UMASK, GD_REEXEC */
};

/* The stage of the calling process; GD_STAGE_PARENT in a program that never daemonized. */
enum gd_stage gd_stage(void);

/* "parent", "first child", "daemon", or "unknown" for any other value. */
const char *gd_stage_string(enum gd_stage stage);

/*
 * Turn the calling process into a daemon. Returns 0 only in the daemon: a
 * grandchild of the caller, not a session leader, with cwd "/", umask 0 (or
 * kept), default signal dispositions and an empty signal mask, stdin, stdout
 * and stderr on /dev/null (or, with capture_output, stdout and stderr on pipes
 * whose close-on-exec read ends are stored in *out_fd and *err_fd; either
 * pointer may be NULL), and every other descriptor closed but attr->files.
 * The caller exits with status 0 once the daemon is fully set up; if any
 * stage fails the caller gets -1 with that stage's errno and no daemon is
 * left. attr may be NULL. Fork mode runs the code before the call once;
 * GD_REEXEC runs it in each stage, as Go does.
 */
int gd_make_daemon(const struct gd_attr *attr, int *out_fd, int *err_fd);

/* gd_make_daemon() with a zeroed attr: 0 in the daemon, -1 and errno in the caller. */
int gd_daemonize(void);

/* Absolute path of the running executable: length, or -1 and errno (ERANGE if buf is short). */
ssize_t gd_executable_path(char *buf, size_t size);

/* Target of symlink path, cut at the first NUL byte: length, or -1 and errno (ERANGE). */
ssize_t gd_readlink(const char *path, char *buf, size_t size);

/* "<piddir>/<program name>.pid" into buf; returns buf, or NULL and errno (ERANGE). */
const char *gd_pid_filename(char *buf, size_t size);

/*
 * Claim pidfile for the calling process for the rest of its life: the file is
 * created or taken over when stale, holds the PID and stays locked while the
 * process lives. Of processes racing for one pidfile exactly one wins; the
 * others get false with errno EEXIST. Returns false and errno on failure.
 */
bool gd_persist_pid(const char *pidfile);

/* Write the caller's PID into pidfile, atomically. false and errno on failure. */
bool gd_update_pid_file(const char *pidfile);

/*
 * The PID recorded in pidfile, or -1 and errno: ENOENT no file, ENODATA empty,
 * EBADMSG not a number, ERANGE not a usable PID (<= 1 or too large), EFBIG too
 * long, ELOOP a symlink, EISDIR/EINVAL not a regular file, EPERM owned by
 * another user. *running (may be NULL) is true only while the process that
 * owns the pidfile's lock is alive and is that PID.
 */
int gd_read_pid_file(const char *pidfile, bool *running);

/* Replace filename's content with data, atomically (write beside, then rename). */
bool gd_update_file(const char *filename, const char *data);

/* Send SIGTERM to the daemon that owns pidfile (never to anyone else). false and errno. */
bool gd_kill_pid(const char *pidfile);

/*
 * Stop the daemon that owns pidfile: send sig, wait up to timeout_ms for it
 * to be gone, then SIGKILL and wait again; remove the pidfile once it is gone.
 * Returns 1 if a daemon was stopped, 0 if none was running (a stale pidfile is
 * removed), -1 and errno otherwise: ETIMEDOUT it survived SIGKILL, or the
 * gd_read_pid_file() errors for a pidfile that cannot be trusted, in which
 * case nothing is signalled.
 */
int gd_stop_pid(const char *pidfile, int sig, unsigned timeout_ms);

/*
 * Print the Go package's status line for pidfile on stdout and return the LSB
 * code: 0 "Running. PID: 'N'", 1 "Stopped. But PIDFile 'F' is present with
 * PID 'N'.", 3 "Stopped.", 4 "Unknown. PIDFile 'F' is unreadable: REASON".
 */
int gd_status_pid(const char *pidfile);

#ifdef __cplusplus
}
#endif
#endif

/*
 * gd_stage.c - Stage, MakeDaemon and Daemonize: which staging runs.
 *
 * Fork mode (gd_spawn.c) is the default; GD_REEXEC, or a process that is
 * already a re-executed stage, takes re-exec mode (gd_reexec.c). Both
 * mechanisms sit below this file and never call back into it.
 */
//kbuild:lib-$(CONFIG_GODAEMON) += gd_stage.o

#include <errno.h>
#include <unistd.h>
#include "gd_internal.h"

enum gd_stage gd_stage(void)
{
	if (ENABLE_FEATURE_GODAEMON_REEXEC && gd_current_stage() == GD_STAGE_PARENT)
		return gd_reexec_stage();
	return gd_current_stage();
}

const char *gd_stage_string(enum gd_stage stage)
{
	switch (stage) {
	case GD_STAGE_PARENT:
		return "parent";
	case GD_STAGE_CHILD:
		return "first child";
	case GD_STAGE_DAEMON:
		return "daemon";
	}
	return "unknown";
}

int gd_make_daemon(const struct gd_attr *attr, int *out_fd, int *err_fd)
{
	static const struct gd_attr none;
	int report, step;
	pid_t pid;

	if (!attr)
		attr = &none;
	/* A re-executed stage goes on re-executing, whatever its flags say. */
	if ((attr->flags & GD_REEXEC)
	    || (ENABLE_FEATURE_GODAEMON_REEXEC && gd_reexec_stage() != GD_STAGE_PARENT)) {
		if (ENABLE_FEATURE_GODAEMON_REEXEC)
			return gd_reexec_make_daemon(attr, out_fd, err_fd);
		errno = ENOTSUP;	/* built without CONFIG_FEATURE_GODAEMON_REEXEC */
		return -1;
	}
	pid = gd_spawn(attr, &report, &step);
	if (pid < 0)
		return -1;
	if (pid == 0) {
		if (attr->capture_output && gd_capture(out_fd, err_fd) < 0) {
			gd_report(report, GD_STEP_CAPTURE, errno);
			_exit(1);
		}
		close(report);
		return 0;
	}
	if (gd_spawn_wait(report, &step) < 0)
		return -1;
	/* Go's MakeDaemon: the parent exits once the daemon is on its way. */
	_exit(0);
}

int gd_daemonize(void)
{
	return gd_make_daemon(NULL, NULL, NULL);
}

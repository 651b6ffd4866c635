/* gd_reexec.c - re-exec staging (GD_REEXEC): placeholder, see its issue. */
//kbuild:lib-$(CONFIG_FEATURE_GODAEMON_REEXEC) += gd_reexec.o
#include <errno.h>
#include "gd_internal.h"

int gd_reexec_make_daemon(const struct gd_attr *attr, int *out_fd, int *err_fd)
{
	errno = ENOTSUP;
	return -1;
}

enum gd_stage gd_reexec_stage(void)
{
	return GD_STAGE_PARENT;
}

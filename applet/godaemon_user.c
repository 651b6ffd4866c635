/*
 * godaemon_user.c - -u USER[:GROUP]: the user database read from the files
 * themselves, before the fork (getpwnam() would pull in stdio and NSS).
 */
//config:config FEATURE_GODAEMON_USER
//config:	bool "Run the program as another user (-u USER[:GROUP]) (1.3 kb)"
//config:	default y
//config:	depends on GODAEMON
//config:	help
//config:	  Reads /etc/passwd and /etc/group itself, without getpwnam().
//config:

//kbuild:lib-$(CONFIG_FEATURE_GODAEMON_USER) += godaemon_user.o

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "godaemon_applet.h"

#define DB_LINE		1024	/* longest /etc/passwd or /etc/group line */

struct db {
	int fd;
	int skip;		/* inside a line longer than buf */
	size_t pos, len;	/* unread bytes: buf[pos..len) */
	char buf[DB_LINE];
};

/* The next line of an /etc file split at ':' into f[0..3]: 1, or 0 at its end. */
static int db_next(struct db *db, char **f)
{
	char *line, *nl;
	ssize_t n;
	int i;

	for (;;) {
		line = db->buf + db->pos;
		nl = find_byte(line, '\n', db->len - db->pos);
		if (nl) {
			*nl = '\0';
			db->pos = (size_t)(nl + 1 - db->buf);
			if (!db->skip)
				break;
			db->skip = 0;
			continue;
		}
		db->len -= db->pos;
		memmove(db->buf, line, db->len);
		db->pos = 0;
		if (db->len == sizeof(db->buf) - 1) {
			db->len = 0;	/* no entry we look for is that long: skip it */
			db->skip = 1;
		}
		n = gd_read(db->fd, db->buf + db->len, sizeof(db->buf) - 1 - db->len);
		if (n <= 0) {
			if (n < 0 || !db->len)
				return 0;
			n = 1;		/* a last line without its newline */
			db->buf[db->len] = '\n';
		}
		db->len += (size_t)n;
	}
	for (i = 0; i < 4; i++) {
		f[i] = line;
		line = gd_find_char(line, ':');
		if (*line)
			*line++ = '\0';
	}
	return 1;
}

static int db_open(struct db *db, const char *file)
{
	db->fd = gd_open(file, O_RDONLY | O_CLOEXEC, 0);
	db->skip = 0;
	db->pos = db->len = 0;
	return db->fd;
}

/* The entry of file named key, or numbered key (field 2): 1 with f set, or 0. */
static int db_find(struct db *db, const char *file, const char *key, char **f)
{
	unsigned long want, id;
	int numeric = gd_parse_ulong(key, 10, INT_MAX, &want) == 0, found = 0;

	if (db_open(db, file) < 0)
		return 0;
	while (!found && db_next(db, f))
		found = gd_streq(f[0], key)
			|| (numeric && gd_parse_ulong(f[2], 10, INT_MAX, &id) == 0 && id == want);
	close(db->fd);
	return found;
}

static unsigned long db_id(const char *field, const char *entry, const char *file)
{
	unsigned long id;

	if (gd_parse_ulong(field, 10, INT_MAX, &id) < 0)
		die(EXIT_FAILED, "bad entry '%s' in %s", entry, file);
	return id;
}

static int in_list(const char *list, const char *name)
{
	for (;;) {
		const char *end = gd_find_char(list, ',');
		if (gd_skip(list, name) == end)
			return 1;
		if (!*end)
			return 0;
		list = end + 1;
	}
}

/*
 * -u USER[:GROUP], numbers allowed, resolved before the fork from the files
 * themselves (getpwnam() would pull in stdio and NSS). Without GROUP: USER's
 * group and every group of /etc/group that lists USER, as initgroups() does;
 * with GROUP: that group only, as runit's chpst -u does. A number that
 * /etc/passwd lacks is used as is, with the same number as its group.
 */
void resolve_user(struct prog *s, char *spec)
{
	static const char passwd[] ALIGN1 = "/etc/passwd", group_file[] ALIGN1 = "/etc/group";
	char name[DB_LINE] = "", *f[4], *group = gd_find_char(spec, ':');
	struct db db;
	unsigned long id;

	if (*group)
		*group++ = '\0';
	else
		group = NULL;
	if (db_find(&db, passwd, spec, f)) {
		s->uid = (uid_t)db_id(f[2], f[0], passwd);
		s->gid = (gid_t)db_id(f[3], f[0], passwd);
		if (gd_strlcpy(name, f[0], sizeof(name)) < 0)
			name[0] = '\0';
	} else if (gd_parse_ulong(spec, 10, INT_MAX, &id) == 0) {
		s->uid = (uid_t)id;
		s->gid = (gid_t)id;
	} else {
		die(EXIT_FAILED, "unknown user '%s'", spec);
	}
	if (group) {
		if (db_find(&db, group_file, group, f))
			s->gid = (gid_t)db_id(f[2], f[0], group_file);
		else if (gd_parse_ulong(group, 10, INT_MAX, &id) == 0)
			s->gid = (gid_t)id;
		else
			die(EXIT_FAILED, "unknown group '%s'", group);
	}
	s->groups[0] = s->gid;
	s->ngroups = 1;
	if (group || !name[0] || db_open(&db, group_file) < 0)
		return;
	while (db_next(&db, f)) {
		if (!in_list(f[3], name) || (id = db_id(f[2], f[0], group_file)) == s->gid)
			continue;
		if (s->ngroups == GROUPS_MAX)
			die(EXIT_FAILED, "user '%s' is in too many groups", spec);
		s->groups[s->ngroups++] = (gid_t)id;
	}
	close(db.fd);
}


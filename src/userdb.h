#pragma once
/*
 * Users and groups from the text of the container's /etc/passwd and /etc/group, for -u. Pure
 * (style rule 2): the caller reads the files, so the unit tests and the fuzzer feed text.
 * Not getpwnam(): a static musl binary would also ask nscd, and the files of the container are
 * what gosu, su-exec and Docker's --user read.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The highest id: (uint32_t)-1 means "leave unchanged" to setresuid() and setresgid(). */
#define USERDB_ID_MAX 4294967294U

struct userdb_ids {
	uint32_t uid, gid;
	bool known;       /* USER is in passwd: HOME and the supplementary groups come from there */
	const char *name; /* the user's name in passwd (not NUL-terminated), when known */
	size_t name_len;
	const char *home; /* the passwd home directory (not NUL-terminated), when known */
	size_t home_len;
};

/*
 * userdb_resolve() - SPEC, "USER[:GROUP]" with names or numbers, against PASSWD and GROUP (the
 * files' texts, NUL-terminated, NULL when unreadable). A numeric USER is looked up by uid; absent
 * from passwd it is still valid, with DEFAULT_GID and no groups (as gosu and Docker do). GROUP
 * replaces the primary group: a number as it is, a name from GROUP.
 * Returns 0, or -EINVAL with a message in @err naming what is wrong; the user's text is quoted
 * as given (whoever prints it escapes it).
 */
int userdb_resolve(const char *spec, const char *passwd, const char *group, uint32_t default_gid,
                   struct userdb_ids *out, char *err, size_t errlen);

/*
 * userdb_groups() - the supplementary groups, as initgroups() makes them: ids->gid first, then
 * the gid of every line of GROUP that lists the user's name as a member, each once. None for
 * a user not in passwd. Writes at most @max into @list and returns how many there are (more
 * than @max: call again with room).
 */
size_t userdb_groups(const struct userdb_ids *ids, const char *group, uint32_t *list, size_t max);

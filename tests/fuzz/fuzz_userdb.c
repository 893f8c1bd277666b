/*
 * libFuzzer target for src/userdb.c. Input: one mode byte, then the spec, the passwd text and
 * the group text, separated by NUL bytes (the group text runs to the end). Each is its own
 * exact-size allocation, so ASan sees a read past any string's end. The mode byte's bits 0
 * and 1 make passwd and group NULL (an unreadable file), bits 2-3 choose the default gid, and
 * the rest sizes the message buffer and the truncated group list.
 *
 * Properties (besides no crash, leak or undefined behaviour):
 * - userdb_resolve() returns 0 or -EINVAL, the same with a small message buffer, and the short
 *   message is a prefix of the long one; a message is NUL-terminated and not empty;
 * - on success uid and gid are <= USERDB_ID_MAX; a user that is not known had a number for
 *   USER (names must be in passwd) and, without GROUP, has the default gid; a known user's
 *   name and home lie inside the passwd text, hold no ':' or newline, and the name is USER
 *   itself when USER was given by name;
 * - a known user's uid and (without GROUP) gid are the digits of the line the name is on, and
 *   a numeric USER is that uid; an unknown numeric USER keeps its number;
 * - userdb_groups() gives the same count twice and with a smaller list, writes no more than
 *   asked, lists no id twice, every id <= USERDB_ID_MAX, the gid first for a known user, and
 *   nothing for an unknown one; there are at most 1 + the number of group lines.
 */
#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "userdb.h"

#define ERR_LEN 256

static const uint32_t default_gids[] = {0, 7, 65534, USERDB_ID_MAX};

/* The next NUL-separated piece of @data, or NULL when @data is used up. */
static char *next_piece(const uint8_t **data, size_t *size, bool *more)
{
	char *s;

	if (!*more) {
		return NULL;
	}
	*more = memchr(*data, 0, *size) != NULL;
	s = fuzz_split(*data, *size, data, size);
	return s;
}

static bool all_digits(const char *s, size_t n)
{
	if (n == 0) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
	}
	return true;
}

static void check_inside(const char *what, const char *p, size_t n, const char *text)
{
	FUZZ_CHECK(text != NULL, "%s of a known user without a passwd text", what);
	FUZZ_CHECK(p != NULL, "%s is NULL", what);
	FUZZ_CHECK(p >= text && p + n <= text + strlen(text), "%s %p+%zu outside [%p, +%zu]", what,
	           (const void *)p, n, (const void *)text, strlen(text));
	FUZZ_CHECK(memchr(p, ':', n) == NULL && memchr(p, '\n', n) == NULL,
	           "%s '%.*s' holds a separator", what, (int)n, p);
}

/* The decimal field at *@p up to the next ':', or UINT64_MAX when it is not one; *@p moves past. */
static uint64_t field_value(const char **p)
{
	uint64_t v = 0;
	const char *s = *p;

	for (; *s >= '0' && *s <= '9'; s++) {
		v = v > USERDB_ID_MAX ? v : v * 10 + (uint64_t)(*s - '0');
	}
	if (s == *p || *s != ':') {
		return UINT64_MAX;
	}
	*p = s + 1;
	return v;
}

static uint64_t spec_value(const char *s, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++) {
		v = v > USERDB_ID_MAX ? v : v * 10 + (uint64_t)(s[i] - '0');
	}
	return v;
}

static void check_ids(const char *spec, const char *passwd, uint32_t dgid,
                      const struct userdb_ids *ids)
{
	const char *colon = strchr(spec, ':'), *p;
	size_t ulen = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	uint64_t gid;

	FUZZ_CHECK(ids->uid <= USERDB_ID_MAX, "uid %u", ids->uid);
	FUZZ_CHECK(ids->gid <= USERDB_ID_MAX, "gid %u", ids->gid);
	if (!ids->known) {
		FUZZ_CHECK(all_digits(spec, ulen), "'%s' resolved, but is not in passwd", spec);
		FUZZ_CHECK(colon != NULL || ids->gid == dgid, "'%s': gid %u, default %u", spec,
		           ids->gid, dgid);
		FUZZ_CHECK(ids->uid == spec_value(spec, ulen), "'%s': uid %u", spec, ids->uid);
		return;
	}
	check_inside("name", ids->name, ids->name_len, passwd);
	check_inside("home", ids->home, ids->home_len, passwd);
	FUZZ_CHECK(ids->name == passwd || ids->name[-1] == '\n', "name not at a line start");
	FUZZ_CHECK(ids->name[ids->name_len] == ':', "name not followed by ':'");
	if (!all_digits(spec, ulen)) {
		FUZZ_CHECK(ids->name_len == ulen && memcmp(ids->name, spec, ulen) == 0,
		           "'%s' resolved to '%.*s'", spec, (int)ids->name_len, ids->name);
	} else {
		FUZZ_CHECK(ids->uid == spec_value(spec, ulen), "'%s': uid %u", spec, ids->uid);
	}
	/* The line: NAME:PASSWORD:UID:GID: */
	p = strchr(ids->name + ids->name_len + 1, ':');
	FUZZ_CHECK(p != NULL && memchr(ids->name, '\n', (size_t)(p - ids->name)) == NULL,
	           "no uid field on the line of '%.*s'", (int)ids->name_len, ids->name);
	p++;
	FUZZ_CHECK(field_value(&p) == ids->uid, "uid %u not the line's", ids->uid);
	gid = field_value(&p);
	FUZZ_CHECK(gid <= USERDB_ID_MAX, "the line of '%.*s' has no valid gid", (int)ids->name_len,
	           ids->name);
	FUZZ_CHECK(colon != NULL || gid == ids->gid, "gid %u not the line's", ids->gid);
}

static void check_groups(const struct userdb_ids *ids, const char *group, size_t small_max)
{
	size_t lines = 1, n, n2, n3;
	uint32_t *list, *list2;

	for (const char *p = group; p != NULL && *p != '\0'; p++) {
		lines += *p == '\n';
	}
	n = userdb_groups(ids, group, NULL, 0);
	FUZZ_CHECK(ids->known || n == 0, "%zu groups for a user not in passwd", n);
	FUZZ_CHECK(!ids->known || n >= 1, "no groups for a known user");
	FUZZ_CHECK(n <= 1 + lines, "%zu groups from %zu lines", n, lines);
	/* Exact sizes, so ASan sees a write past them. */
	list = malloc((n + 1) * sizeof(*list));
	list2 = malloc((small_max + 1) * sizeof(*list2));
	if (list == NULL || list2 == NULL) {
		abort();
	}
	n2 = userdb_groups(ids, group, list, n);
	FUZZ_CHECK(n2 == n, "%zu groups, then %zu", n, n2);
	if (small_max > n) {
		small_max = n;
	}
	list2[small_max] = 0xdeadbeef;
	n3 = userdb_groups(ids, group, list2, small_max);
	FUZZ_CHECK(n3 == n, "%zu groups, then %zu with max %zu", n, n3, small_max);
	FUZZ_CHECK(list2[small_max] == 0xdeadbeef, "written past max %zu", small_max);
	FUZZ_CHECK(memcmp(list, list2, small_max * sizeof(*list)) == 0, "a truncated list differs");
	if (n > 0) {
		FUZZ_CHECK(list[0] == ids->gid, "first group %u, gid %u", list[0], ids->gid);
	}
	for (size_t i = 0; i < n; i++) {
		FUZZ_CHECK(list[i] <= USERDB_ID_MAX, "group %u", list[i]);
		for (size_t j = 0; j < i; j++) {
			FUZZ_CHECK(list[i] != list[j], "group %u twice", list[i]);
		}
	}
	free(list);
	free(list2);
}

static void check_err(const char *err, size_t errlen)
{
	const char *nul = memchr(err, '\0', errlen);

	FUZZ_CHECK(nul != NULL, "message not NUL-terminated within %zu bytes", errlen);
	FUZZ_CHECK(nul > err || errlen == 1, "empty message");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct userdb_ids ids, ids2;
	char err[ERR_LEN], *small, *spec, *passwd, *group;
	uint8_t mode;
	bool more = true;
	uint32_t dgid;
	size_t small_len;
	int rc, rc_small;

	if (size == 0) {
		return 0;
	}
	mode = data[0];
	data++;
	size--;
	dgid = default_gids[(mode >> 2) & 3];
	small_len = 1 + (mode >> 4);
	spec = next_piece(&data, &size, &more);
	passwd = next_piece(&data, &size, &more);
	/* The rest, NULs and all, is the group text: it reads as far as the first. */
	group = more ? fuzz_strndup(data, size) : NULL;
	if (mode & 1) {
		free(passwd);
		passwd = NULL;
	}
	if (mode & 2) {
		free(group);
		group = NULL;
	}
	small = malloc(small_len);
	if (small == NULL) {
		abort();
	}

	memset(err, 0xaa, sizeof(err));
	rc = userdb_resolve(spec, passwd, group, dgid, &ids, err, sizeof(err));
	FUZZ_CHECK(rc == 0 || rc == -EINVAL, "userdb_resolve() = %d", rc);
	memset(small, 0xaa, small_len);
	rc_small = userdb_resolve(spec, passwd, group, dgid, &ids2, small, small_len);
	FUZZ_CHECK(rc_small == rc, "userdb_resolve() = %d, then %d", rc, rc_small);
	if (rc == 0) {
		check_ids(spec, passwd, dgid, &ids);
		FUZZ_CHECK(ids.uid == ids2.uid && ids.gid == ids2.gid && ids.known == ids2.known,
		           "a second call differs");
		check_groups(&ids, group, mode >> 4);
	} else {
		check_err(err, sizeof(err));
		check_err(small, small_len);
		FUZZ_CHECK(strncmp(err, small, strlen(small)) == 0,
		           "\"%s\" is not a prefix of \"%s\"", small, err);
	}
	free(spec);
	free(passwd);
	free(group);
	free(small);
	return 0;
}

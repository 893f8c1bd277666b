/*
 * /etc/passwd and /etc/group lookups for -u, on the files' texts (pure: style rule 2). The
 * rules are those of gosu, su-exec and Docker's --user: a number is a uid whether or not the
 * file knows it, a name must be there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "userdb.h"

/* Fields of the passwd line "name:password:uid:gid:gecos:home:shell" and of the group line. */
enum { PW_NAME, PW_PASSWD, PW_UID, PW_GID, PW_GECOS, PW_HOME, PW_SHELL, PW_FIELDS };
enum { GR_NAME, GR_PASSWD, GR_GID, GR_MEMBERS, GR_FIELDS };

struct field {
	const char *s;
	size_t len;
};

/* Split the line at @s into exactly @n fields; false for any other count. */
static bool split(const char *s, size_t len, struct field *f, size_t n)
{
	size_t i = 0;

	for (;;) {
		const char *c = memchr(s, ':', len);
		size_t flen = c ? (size_t)(c - s) : len;

		if (i == n) {
			return false;
		}
		f[i++] = (struct field){s, flen};
		if (c == NULL) {
			return i == n;
		}
		s += flen + 1;
		len -= flen + 1;
	}
}

static bool field_is(const struct field *f, const char *s, size_t len)
{
	return f->len == len && memcmp(f->s, s, len) == 0;
}

/* A strict decimal id of at most USERDB_ID_MAX, from a field or a string of @len bytes. */
static bool id_of(const char *s, size_t len, uint32_t *out)
{
	char buf[16];
	uint64_t v;

	if (len == 0 || len >= sizeof(buf)) {
		return false;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (parse_uint(buf, USERDB_ID_MAX, &v) < 0) {
		return false;
	}
	*out = (uint32_t)v;
	return true;
}

/*
 * A lookup in a passwd or group text: the first line of exactly @nfields fields whose numeric
 * fields (@id_fields, up to two, SIZE_MAX for none) are valid ids and whose field @key equals
 * @name, or (for a NULL @name) whose id field @key is @id.
 */
struct query {
	size_t nfields, key, id_fields[2];
	const char *name;
	size_t name_len;
	uint32_t id;
};

static bool line_matches(const struct query *q, const struct field *f)
{
	uint32_t v;

	for (size_t i = 0; i < 2; i++) {
		size_t k = q->id_fields[i];

		if (k != SIZE_MAX && !id_of(f[k].s, f[k].len, &v)) {
			return false;
		}
	}
	if (q->name != NULL) {
		return field_is(&f[q->key], q->name, q->name_len);
	}
	return id_of(f[q->key].s, f[q->key].len, &v) && v == q->id;
}

/* Fills @f (q->nfields entries) with the matching line; false when there is none. */
static bool find_line(const char *text, const struct query *q, struct field *f)
{
	for (const char *line = text; line != NULL && *line != '\0';) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		if (split(line, len, f, q->nfields) && line_matches(q, f)) {
			return true;
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

static bool find_user(const char *passwd, const char *name, size_t len, struct field *f)
{
	struct query q = {.nfields = PW_FIELDS, .id_fields = {PW_UID, PW_GID}};
	uint32_t uid;

	if (id_of(name, len, &uid)) {
		q.key = PW_UID;
		q.id = uid;
	} else {
		q.key = PW_NAME;
		q.name = name;
		q.name_len = len;
	}
	return find_line(passwd, &q, f);
}

int userdb_resolve(const char *spec, const char *passwd, const char *group, uint32_t default_gid,
                   struct userdb_ids *out, char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	size_t ulen = colon ? (size_t)(colon - spec) : strlen(spec);
	struct field f[PW_FIELDS];

	memset(out, 0, sizeof(*out));
	if (ulen == 0 || (colon != NULL && colon[1] == '\0')) {
		return (snprintf(err, errlen,
		                 "invalid user '%s' for -u (USER[:GROUP], names or numbers)", spec),
		        -EINVAL);
	}
	if (find_user(passwd, spec, ulen, f)) {
		out->known = true;
		(void)id_of(f[PW_UID].s, f[PW_UID].len, &out->uid);
		(void)id_of(f[PW_GID].s, f[PW_GID].len, &out->gid);
		out->name = f[PW_NAME].s;
		out->name_len = f[PW_NAME].len;
		out->home = f[PW_HOME].s;
		out->home_len = f[PW_HOME].len;
	} else if (id_of(spec, ulen, &out->uid)) {
		out->gid = default_gid;
	} else {
		return (snprintf(err, errlen, "unknown user '%.*s' (not in /etc/passwd%s)",
		                 (int)ulen, spec, passwd == NULL ? ", which cannot be read" : ""),
		        -EINVAL);
	}
	if (colon != NULL) {
		const char *g = colon + 1;
		struct query q = {.nfields = GR_FIELDS,
		                  .key = GR_NAME,
		                  .id_fields = {GR_GID, SIZE_MAX},
		                  .name = g,
		                  .name_len = strlen(g)};
		struct field gf[GR_FIELDS];

		if (id_of(g, q.name_len, &out->gid)) {
			return 0;
		}
		if (!find_line(group, &q, gf)) {
			return (snprintf(err, errlen, "unknown group '%s' (not in /etc/group%s)", g,
			                 group == NULL ? ", which cannot be read" : ""),
			        -EINVAL);
		}
		(void)id_of(gf[GR_GID].s, gf[GR_GID].len, &out->gid);
	}
	return 0;
}

/* Is @name one of the comma-separated members in @m? */
static bool is_member(const struct field *m, const char *name, size_t len)
{
	const char *s = m->s, *end = m->s + m->len;

	if (len == 0) {
		return false;
	}

	while (s <= end) {
		const char *c = memchr(s, ',', (size_t)(end - s));
		size_t n = c ? (size_t)(c - s) : (size_t)(end - s);

		if (n == len && memcmp(s, name, len) == 0) {
			return true;
		}
		if (c == NULL) {
			break;
		}
		s = c + 1;
	}
	return false;
}

/*
 * The next well-formed group line that lists the user, starting at *@at and before @end: its
 * gid and where it starts. *@at moves past it.
 */
static bool next_membership(const char **at, const char *end, const struct userdb_ids *ids,
                            uint32_t *gid, const char **start)
{
	struct field f[GR_FIELDS];

	while (*at != NULL && *at < end) {
		const char *line = *at, *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		*at = nl ? nl + 1 : NULL;
		if (split(line, len, f, GR_FIELDS) && id_of(f[GR_GID].s, f[GR_GID].len, gid) &&
		    is_member(&f[GR_MEMBERS], ids->name, ids->name_len)) {
			*start = line;
			return true;
		}
	}
	return false;
}

size_t userdb_groups(const struct userdb_ids *ids, const char *group, uint32_t *list, size_t max)
{
	const char *end = group ? group + strlen(group) : NULL, *at = group, *line;
	size_t n = 1;
	uint32_t gid;

	if (!ids->known) {
		return 0;
	}
	if (max > 0) {
		list[0] = ids->gid;
	}
	while (next_membership(&at, end, ids, &gid, &line)) {
		/* Each gid once: skip one that the primary group or an earlier line gave. */
		const char *b = group, *bl;
		uint32_t earlier;
		bool dup = gid == ids->gid;

		while (!dup && next_membership(&b, line, ids, &earlier, &bl)) {
			dup = earlier == gid;
		}
		if (!dup) {
			if (n < max) {
				list[n] = gid;
			}
			n++;
		}
	}
	return n;
}

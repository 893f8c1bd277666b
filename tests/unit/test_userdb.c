/*
 * Unit tests for src/userdb.c: -u USER[:GROUP] against the texts of /etc/passwd and /etc/group.
 * Each case of the table gives the whole result: rc, uid, gid, known, name, home and the
 * supplementary groups in order, or for an error a piece of the message (the quoted name).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "userdb.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Written where a function must not write. */
#define UNTOUCHED 0xdeadbeefU

/* The default gid the callers pass: the init's own gid. Not 0, so a wrong default shows. */
#define DGID 7

/*
 * The usual files. "app" comes before "ap" and "apple", so a prefix comparison matches the
 * wrong line in both directions. Member lists hold names that contain, or are contained in,
 * "app".
 */
static const char PW[] = "root:x:0:0:root:/root:/bin/sh\n"
                         "daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
                         "app:x:1000:1000:App User,,,:/home/app:/bin/sh\n"
                         "ap:x:1001:1001::/home/ap:/bin/sh\n"
                         "apple:x:1002:1002::/home/apple:/bin/sh\n"
                         "nohome:x:1003:1003:::/bin/sh\n"
                         "\n"
                         "dup:x:2000:2000::/first:/bin/sh\n"
                         "dup:x:2001:2001::/second:/bin/sh\n"
                         "twin:x:3000:3000::/twin:/bin/sh\n"
                         "twin2:x:3000:3001::/twin2:/bin/sh\n"
                         "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";

static const char GR[] = "root:x:0:\n"
                         "daemon:x:1:\n"
                         "app:x:1000:\n"
                         "staff:x:50:a,b,app\n"
                         "wheel:x:10:app\n"
                         "audio:x:29:apple\n"
                         "video:x:44:xapp,appx,ap\n"
                         "\n"
                         "users:x:100:b,app,c\n"
                         "sudo:x:27:\n"
                         "dupg:x:10:app\n"
                         "self:x:1000:app\n"
                         "bad:x:abc:app\n"
                         "big:x:4294967295:app\n"
                         "neg:x:-5:app\n"
                         "twice:x:60:\n"
                         "twice:x:61:\n"
                         "adm:x:4:daemon,app\n";

/* app's groups by initgroups(): 1000 first, then staff, wheel, users, adm (dupg and self repeat).
 */
#define APP_GROUPS 1000, 50, 10, 100, 4

/*
 * Lines a parser must skip: too few fields, ids that are not numbers or above USERDB_ID_MAX,
 * trailing junk after the digits. "later" is malformed once, then good; "max" is the edge.
 */
static const char PW_BAD[] = "short:x:1100\n"
                             "four:x:1500:1500\n"
                             "bad1:x:abc:1000::/h:/bin/sh\n"
                             "bad2:x:1101:g::/h:/bin/sh\n"
                             "big:x:4294967295:0::/h:/bin/sh\n"
                             "big2:x:4294967296:0::/h:/bin/sh\n"
                             "neg:x:-1:0::/h:/bin/sh\n"
                             "empty:x::0::/h:/bin/sh\n"
                             "emptygid:x:1700::/h:/bin/sh\n"
                             "trail:x:1300x:0::/h:/bin/sh\n"
                             "biggid:x:1400:4294967295::/h:/bin/sh\n"
                             "later:x:abc:1::/bad:/bin/sh\n"
                             "later:x:1200:1200::/good:/bin/sh\n"
                             "max:x:4294967294:4294967294::/max:/bin/sh\n";

/* The last line has no newline. */
static const char PW_NONL[] = "first:x:5:5::/f:/bin/sh\nlast:x:6:6::/home/last:/bin/sh";
static const char GR_NONL[] = "g:x:8:first\ntail:x:9:a,last";

struct resolve_case {
	const char *spec;
	const char *passwd, *group;
	uint32_t dgid;
	int rc;
	const char *msg; /* for an error: a piece of the message */
	uint32_t uid, gid;
	bool known;
	const char *name, *home; /* when known */
	size_t ngroups;
	uint32_t groups[8];
};

#define OK(s, pw, gr, u, g, nm, hm, n, ...)                                                        \
	{                                                                                          \
		.spec = s, .passwd = pw, .group = gr, .dgid = DGID, .uid = u, .gid = g,            \
		.known = true, .name = nm, .home = hm, .ngroups = n, .groups = {                   \
			__VA_ARGS__                                                                \
		}                                                                                  \
	}
/* A numeric user absent from passwd, with default gid @dg: no name, no home, no groups. */
#define ANON_D(s, pw, gr, dg, u, g)                                                                \
	{                                                                                          \
		.spec = s, .passwd = pw, .group = gr, .dgid = dg, .uid = u, .gid = g               \
	}
#define ANON(s, pw, gr, u, g) ANON_D(s, pw, gr, DGID, u, g)
#define BAD(s, pw, gr, m)                                                                          \
	{                                                                                          \
		.spec = s, .passwd = pw, .group = gr, .dgid = DGID, .rc = -EINVAL, .msg = m        \
	}

static const struct resolve_case cases[] = {
    /* Names. */
    OK("root", PW, GR, 0, 0, "root", "/root", 1, 0),
    OK("daemon", PW, GR, 1, 1, "daemon", "/usr/sbin", 2, 1, 4),
    OK("app", PW, GR, 1000, 1000, "app", "/home/app", 5, APP_GROUPS),
    OK("nobody", PW, GR, 65534, 65534, "nobody", "/nonexistent", 1, 65534),
    /* A name that is a prefix of another, or has one: each its own line and own groups. */
    OK("ap", PW, GR, 1001, 1001, "ap", "/home/ap", 2, 1001, 44),
    OK("apple", PW, GR, 1002, 1002, "apple", "/home/apple", 2, 1002, 29),
    BAD("appl", PW, GR, "unknown user 'appl'"),
    BAD("a", PW, GR, "unknown user 'a'"),
    BAD("App", PW, GR, "unknown user 'App'"),
    BAD("applex", PW, GR, "unknown user 'applex'"),
    /* An empty home directory. */
    OK("nohome", PW, GR, 1003, 1003, "nohome", "", 1, 1003),
    /* The first match wins, by name and by uid. */
    OK("dup", PW, GR, 2000, 2000, "dup", "/first", 1, 2000),
    OK("3000", PW, GR, 3000, 3000, "twin", "/twin", 1, 3000),
    /* Numbers: looked up by uid, then the name's groups. */
    OK("0", PW, GR, 0, 0, "root", "/root", 1, 0),
    OK("1000", PW, GR, 1000, 1000, "app", "/home/app", 5, APP_GROUPS),
    OK("1001", PW, GR, 1001, 1001, "ap", "/home/ap", 2, 1001, 44),
    /* A number absent from passwd: the default gid, nothing else. */
    ANON("12345", PW, GR, 12345, DGID),
    ANON("4294967294", PW, GR, 4294967294U, DGID),
    ANON("999", PW, GR, 999, DGID),
    ANON_D("12345", PW, GR, 0, 12345, 0),
    ANON_D("12345", PW, GR, USERDB_ID_MAX, 12345, USERDB_ID_MAX),
    /*
     * USER:GROUP. The group replaces the primary gid, which leads the groups, once; the
     * passwd gid is then only there through a member list ("self:x:1000:app").
     */
    OK("app:staff", PW, GR, 1000, 50, "app", "/home/app", 5, 50, 10, 100, 1000, 4),
    OK("app:50", PW, GR, 1000, 50, "app", "/home/app", 5, 50, 10, 100, 1000, 4),
    OK("app:sudo", PW, GR, 1000, 27, "app", "/home/app", 6, 27, 50, 10, 100, 1000, 4),
    OK("app:0", PW, GR, 1000, 0, "app", "/home/app", 6, 0, 50, 10, 100, 1000, 4),
    OK("app:root", PW, GR, 1000, 0, "app", "/home/app", 6, 0, 50, 10, 100, 1000, 4),
    OK("app:12345", PW, GR, 1000, 12345, "app", "/home/app", 6, 12345, 50, 10, 100, 1000, 4),
    OK("app:4294967294", PW, GR, 1000, 4294967294U, "app", "/home/app", 6, 4294967294U, 50, 10, 100,
       1000, 4),
    OK("1000:staff", PW, GR, 1000, 50, "app", "/home/app", 5, 50, 10, 100, 1000, 4),
    OK("root:app", PW, GR, 0, 1000, "root", "/root", 1, 1000),
    OK("app:twice", PW, GR, 1000, 60, "app", "/home/app", 6, 60, 50, 10, 100, 1000, 4),
    ANON("12345:staff", PW, GR, 12345, 50),
    ANON("12345:0", PW, GR, 12345, 0),
    ANON("12345:99", PW, GR, 12345, 99),
    /* Unknown users and groups: the name, quoted, in the message. */
    BAD("bob", PW, GR, "unknown user 'bob'"),
    BAD("bob:staff", PW, GR, "unknown user 'bob'"),
    BAD("bob:0", PW, GR, "unknown user 'bob'"),
    BAD("app:grp", PW, GR, "unknown group 'grp'"),
    BAD("12345:grp", PW, GR, "unknown group 'grp'"),
    BAD("app:sta", PW, GR, "unknown group 'sta'"),
    BAD("app:staffs", PW, GR, "unknown group 'staffs'"),
    BAD("app:Staff", PW, GR, "unknown group 'Staff'"),
    /* Groups whose line is malformed do not exist. */
    BAD("app:bad", PW, GR, "unknown group 'bad'"),
    BAD("app:big", PW, GR, "unknown group 'big'"),
    BAD("app:neg", PW, GR, "unknown group 'neg'"),
    /* "-1" is not a number: a name, and unknown. */
    BAD("-1", PW, GR, "unknown user '-1'"),
    BAD("app:-1", PW, GR, "unknown group '-1'"),
    BAD("+1", PW, GR, "'+1'"),
    /* Malformed specs. */
    BAD("", PW, GR, "''"),
    BAD(":", PW, GR, "':'"),
    BAD("a:", PW, GR, "'a:'"),
    BAD("app:", PW, GR, "'app:'"),
    BAD(":g", PW, GR, "':g'"),
    BAD(":0", PW, GR, "':0'"),
    BAD("app::", PW, GR, ":'"), /* invalid user 'app::', or unknown group ':' */
    BAD("app:staff:x", PW, GR, "staff:x'"),
    /* Ids above USERDB_ID_MAX ((uint32_t)-1 means "unchanged" to setresuid()). */
    BAD("4294967295", PW, GR, "'4294967295'"),
    BAD("4294967296", PW, GR, "'4294967296'"),
    BAD("99999999999999999999999", PW, GR, "'99999999999999999999999'"),
    BAD("app:4294967295", PW, GR, "4294967295'"),
    BAD("app:4294967296", PW, GR, "4294967296'"),
    /* Malformed passwd lines are skipped, by name and by uid, not matched. */
    BAD("short", PW_BAD, GR, "unknown user 'short'"),
    BAD("four", PW_BAD, GR, "unknown user 'four'"),
    BAD("bad1", PW_BAD, GR, "unknown user 'bad1'"),
    BAD("bad2", PW_BAD, GR, "unknown user 'bad2'"),
    BAD("big", PW_BAD, GR, "unknown user 'big'"),
    BAD("big2", PW_BAD, GR, "unknown user 'big2'"),
    BAD("neg", PW_BAD, GR, "unknown user 'neg'"),
    BAD("empty", PW_BAD, GR, "unknown user 'empty'"),
    BAD("emptygid", PW_BAD, GR, "unknown user 'emptygid'"),
    BAD("trail", PW_BAD, GR, "unknown user 'trail'"),
    BAD("biggid", PW_BAD, GR, "unknown user 'biggid'"),
    ANON("1100", PW_BAD, GR, 1100, DGID),
    ANON("1500", PW_BAD, GR, 1500, DGID),
    ANON("1101", PW_BAD, GR, 1101, DGID),
    ANON("0", PW_BAD, GR, 0, DGID), /* 4294967296 wrapped is 0 */
    ANON("1700", PW_BAD, GR, 1700, DGID),
    ANON("1300", PW_BAD, GR, 1300, DGID),
    ANON("1400", PW_BAD, GR, 1400, DGID),
    OK("later", PW_BAD, GR, 1200, 1200, "later", "/good", 1, 1200),
    OK("max", PW_BAD, GR, 4294967294U, 4294967294U, "max", "/max", 1, 4294967294U),
    OK("4294967294", PW_BAD, GR, 4294967294U, 4294967294U, "max", "/max", 1, 4294967294U),
    /* Unreadable files (NULL) and empty ones. */
    BAD("app", NULL, GR, "unknown user 'app'"),
    BAD("root", "", GR, "unknown user 'root'"),
    ANON("1000", NULL, GR, 1000, DGID),
    ANON("0", "", GR, 0, DGID),
    ANON("1000:50", NULL, NULL, 1000, 50),
    BAD("1000:staff", NULL, NULL, "unknown group 'staff'"),
    OK("app", PW, NULL, 1000, 1000, "app", "/home/app", 1, 1000),
    OK("app", PW, "", 1000, 1000, "app", "/home/app", 1, 1000),
    OK("app:50", PW, NULL, 1000, 50, "app", "/home/app", 1, 50),
    BAD("app:staff", PW, NULL, "unknown group 'staff'"),
    BAD("app:staff", PW, "", "unknown group 'staff'"),
    /* A last line without a newline. */
    OK("last", PW_NONL, GR_NONL, 6, 6, "last", "/home/last", 2, 6, 9),
    OK("6:tail", PW_NONL, GR_NONL, 6, 9, "last", "/home/last", 1, 9),
    OK("first:tail", PW_NONL, GR_NONL, 5, 9, "first", "/f", 2, 9, 8),
    BAD("las", PW_NONL, GR_NONL, "unknown user 'las'"),
    BAD("first:tai", PW_NONL, GR_NONL, "unknown group 'tai'"),
};

/* @p with @n bytes lies inside the NUL-terminated @text. */
static bool inside(const char *p, size_t n, const char *text)
{
	return text != NULL && p != NULL && p >= text && p + n <= text + strlen(text);
}

static void check_ok(size_t i, const struct resolve_case *c, const struct userdb_ids *ids)
{
	uint32_t list[16];
	size_t n;

	cr_expect_eq(ids->uid, c->uid, "case %zu '%s': uid %u, want %u", i, c->spec, ids->uid,
	             c->uid);
	cr_expect_eq(ids->gid, c->gid, "case %zu '%s': gid %u, want %u", i, c->spec, ids->gid,
	             c->gid);
	cr_expect_eq(ids->known, c->known, "case %zu '%s': known %d", i, c->spec, ids->known);
	if (ids->known && c->known) {
		cr_expect(inside(ids->name, ids->name_len, c->passwd),
		          "case %zu '%s': name outside the passwd text", i, c->spec);
		cr_expect(inside(ids->home, ids->home_len, c->passwd),
		          "case %zu '%s': home outside the passwd text", i, c->spec);
		cr_expect(ids->name_len == strlen(c->name) &&
		              memcmp(ids->name, c->name, ids->name_len) == 0,
		          "case %zu '%s': name '%.*s', want '%s'", i, c->spec, (int)ids->name_len,
		          ids->name, c->name);
		cr_expect(ids->home_len == strlen(c->home) &&
		              memcmp(ids->home, c->home, ids->home_len) == 0,
		          "case %zu '%s': home '%.*s', want '%s'", i, c->spec, (int)ids->home_len,
		          ids->home, c->home);
	}
	for (size_t k = 0; k < LEN(list); k++) {
		list[k] = UNTOUCHED;
	}
	n = userdb_groups(ids, c->group, list, LEN(list));
	cr_expect_eq(n, c->ngroups, "case %zu '%s': %zu groups, want %zu", i, c->spec, n,
	             c->ngroups);
	for (size_t k = 0; k < c->ngroups && k < n; k++) {
		cr_expect_eq(list[k], c->groups[k], "case %zu '%s': group %zu is %u, want %u", i,
		             c->spec, k, list[k], c->groups[k]);
	}
	for (size_t k = n; k < LEN(list); k++) {
		cr_expect_eq(list[k], UNTOUCHED, "case %zu '%s': list[%zu] written", i, c->spec, k);
	}
}

Test(userdb, resolve_and_groups)
{
	for (size_t i = 0; i < LEN(cases); i++) {
		const struct resolve_case *c = &cases[i];
		struct userdb_ids ids;
		char err[256] = "";
		int rc;

		memset(&ids, 0xa5, sizeof(ids));
		rc = userdb_resolve(c->spec, c->passwd, c->group, c->dgid, &ids, err, sizeof(err));
		cr_expect_eq(rc, c->rc, "case %zu '%s': rc %d, want %d (\"%s\")", i, c->spec, rc,
		             c->rc, err);
		if (rc != c->rc) {
			continue;
		}
		if (rc == 0) {
			check_ok(i, c, &ids);
		} else {
			cr_expect_not_null(strstr(err, c->msg),
			                   "case %zu '%s': \"%s\" lacks \"%s\"", i, c->spec, err,
			                   c->msg);
			cr_expect_null(strchr(err, '\n'), "case %zu: newline in \"%s\"", i, err);
		}
	}
}

/* The message quotes the name as given, and says which file it is not in. */
Test(userdb, messages_name_the_file)
{
	struct userdb_ids ids;
	char err[256] = "";

	cr_assert_eq(userdb_resolve("bob", PW, GR, DGID, &ids, err, sizeof(err)), -EINVAL);
	cr_expect_not_null(strstr(err, "/etc/passwd"), "\"%s\"", err);
	cr_assert_eq(userdb_resolve("app:grp", PW, GR, DGID, &ids, err, sizeof(err)), -EINVAL);
	cr_expect_not_null(strstr(err, "/etc/group"), "\"%s\"", err);
	/* Control characters are the printer's business: quoted as they are. */
	cr_assert_eq(userdb_resolve("b\tob", PW, GR, DGID, &ids, err, sizeof(err)), -EINVAL);
	cr_expect_not_null(strstr(err, "'b\tob'"), "\"%s\"", err);
}

/* The truncation contract: at most @max written, the full count returned. */
Test(userdb, groups_max)
{
	static const uint32_t want[] = {APP_GROUPS};
	struct userdb_ids ids;
	char err[256] = "";

	cr_assert_eq(userdb_resolve("app", PW, GR, DGID, &ids, err, sizeof(err)), 0, "%s", err);
	cr_expect_eq(userdb_groups(&ids, GR, NULL, 0), LEN(want));
	for (size_t max = 0; max <= LEN(want) + 2; max++) {
		/* Exactly @max entries on the heap, so ASan sees a write past them. */
		uint32_t *list = malloc((max + 1) * sizeof(uint32_t));
		size_t n;

		cr_assert_not_null(list);
		for (size_t k = 0; k <= max; k++) {
			list[k] = UNTOUCHED;
		}
		n = userdb_groups(&ids, GR, list, max);
		cr_expect_eq(n, LEN(want), "max %zu: returned %zu, want %zu", max, n, LEN(want));
		for (size_t k = 0; k < max && k < LEN(want); k++) {
			cr_expect_eq(list[k], want[k], "max %zu: list[%zu] %u, want %u", max, k,
			             list[k], want[k]);
		}
		for (size_t k = max < LEN(want) ? max : LEN(want); k <= max; k++) {
			cr_expect_eq(list[k], UNTOUCHED, "max %zu: list[%zu] written", max, k);
		}
		free(list);
	}
}

/* A user not in passwd has no groups, whatever GROUP says, and nothing is written. */
Test(userdb, groups_of_anonymous)
{
	static const char gr[] = "g:x:5:\nh:x:6:,\n";
	struct userdb_ids ids;
	uint32_t list[4] = {UNTOUCHED, UNTOUCHED, UNTOUCHED, UNTOUCHED};
	char err[256] = "";

	cr_assert_eq(userdb_resolve("4242:5", PW, gr, DGID, &ids, err, sizeof(err)), 0, "%s", err);
	cr_expect_not(ids.known);
	cr_expect_eq(userdb_groups(&ids, gr, list, LEN(list)), 0);
	cr_expect_eq(userdb_groups(&ids, NULL, list, LEN(list)), 0);
	for (size_t k = 0; k < LEN(list); k++) {
		cr_expect_eq(list[k], UNTOUCHED, "list[%zu] written", k);
	}
}

/*
 * The name is name_len bytes, not a C string: a name that continues in memory ("apple" with
 * length 3 is "app") matches "app" members only; an empty member ("a,,b", a trailing ",")
 * matches no name.
 */
Test(userdb, groups_use_name_len)
{
	static const char gr[] = "m1:x:1:apple\n"
	                         "m2:x:2:app\n"
	                         "m3:x:3:x,,y,\n"
	                         "m4:x:4:ap,appl\n"
	                         "m5:x:5:z,app\n";
	static const uint32_t want[] = {9, 2, 5};
	const struct userdb_ids ids = {.uid = 1,
	                               .gid = 9,
	                               .known = true,
	                               .name = "apple",
	                               .name_len = 3,
	                               .home = "/",
	                               .home_len = 1};
	uint32_t list[8];
	size_t n = userdb_groups(&ids, gr, list, LEN(list));

	cr_assert_eq(n, LEN(want), "%zu groups", n);
	for (size_t k = 0; k < n; k++) {
		cr_expect_eq(list[k], want[k], "list[%zu] %u, want %u", k, list[k], want[k]);
	}

	/* An empty name (a passwd line "::5:5::/:", found by uid) is in no member list. */
	const struct userdb_ids empty = {
	    .uid = 5, .gid = 5, .known = true, .name = "", .home = "/"};

	n = userdb_groups(&empty, gr, list, LEN(list));
	cr_expect_eq(n, 1, "%zu groups for an empty name", n);
	cr_expect_eq(list[0], 5);
}

/* Every error again into exact-size heap buffers: NUL-terminated, never past the end. */
Test(userdb, small_error_buffer)
{
	static const size_t sizes[] = {1, 2, 8, 16};

	for (size_t s = 0; s < LEN(sizes); s++) {
		for (size_t i = 0; i < LEN(cases); i++) {
			struct userdb_ids ids;
			char *err;
			int rc;

			if (cases[i].rc == 0) {
				continue;
			}
			err = malloc(sizes[s]);
			cr_assert_not_null(err);
			memset(err, 'x', sizes[s]);
			rc = userdb_resolve(cases[i].spec, cases[i].passwd, cases[i].group, DGID,
			                    &ids, err, sizes[s]);
			cr_expect_eq(rc, -EINVAL, "case %zu, %zu bytes: rc %d", i, sizes[s], rc);
			cr_expect_not_null(memchr(err, '\0', sizes[s]),
			                   "case %zu, %zu bytes: not terminated", i, sizes[s]);
			free(err);
		}
	}
	/* A zero-length buffer is never written. */
	struct userdb_ids ids;
	char guard = 'x';

	cr_expect_eq(userdb_resolve("bob", PW, GR, DGID, &ids, &guard, 0), -EINVAL);
	cr_expect_eq(userdb_resolve("", PW, GR, DGID, &ids, &guard, 0), -EINVAL);
	cr_expect_eq(guard, 'x');
}

/* The same answer twice: nothing is cached between calls, and the texts are not modified. */
Test(userdb, repeatable)
{
	char pw[sizeof(PW)], gr[sizeof(GR)];
	struct userdb_ids a, b;
	char err[256] = "";

	memcpy(pw, PW, sizeof(PW));
	memcpy(gr, GR, sizeof(GR));
	cr_assert_eq(userdb_resolve("apple:wheel", pw, gr, DGID, &a, err, sizeof(err)), 0, "%s",
	             err);
	cr_assert_eq(userdb_resolve("apple:wheel", pw, gr, DGID, &b, err, sizeof(err)), 0, "%s",
	             err);
	cr_expect(a.uid == b.uid && a.gid == b.gid && a.known == b.known && a.name == b.name &&
	          a.name_len == b.name_len && a.home == b.home && a.home_len == b.home_len);
	cr_expect_eq(memcmp(pw, PW, sizeof(PW)), 0, "passwd text modified");
	cr_expect_eq(memcmp(gr, GR, sizeof(GR)), 0, "group text modified");
}

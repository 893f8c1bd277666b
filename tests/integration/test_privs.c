/*
 * Privileges for the child (issue 8): -u USER[:GROUP], --cap-drop, --cap-add, --no-new-privs
 * and their INIT_* variables, and the init's own drop to CAP_KILL once the child runs.
 *
 * The child is `kid creds`: it prints what /proc/self/status says of its ids, groups,
 * capability sets and no_new_privs, and its HOME. Users and groups come from test copies of
 * /etc/passwd and /etc/group that launch -B bind-mounts in a mount namespace of the run's own
 * (the machine's files are never touched). Expected capability sets are computed from this
 * process's own (the machine's bounding set need not be full: a container's often is not).
 *
 * Under a deny-set (INIT_TEST_DENY) the init runs with no_new_privs already set by deny: the
 * child's NoNewPrivs is then 1 whatever the flags, and the kernel ignores setuid bits and file
 * capabilities, so the two tests that need those skip.
 */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "harness.h"

#define CAP_CHOWN            0
#define CAP_KILL             5
#define CAP_SETPCAP          8
#define CAP_NET_BIND_SERVICE 10
#define CAP_NET_RAW          13
#define CAP_SYS_ADMIN        21
#define BIT(cap)             (1ULL << (cap))

/*
 * The test's files: the passwd and group copies, a sticky world-writable directory for marker
 * files (so that a child of any uid could create one: "no marker" then means "no child"), and
 * copies of kid with a setuid bit or file capabilities. All in one mkdtemp directory that
 * privs_fini removes.
 */
static char dir[64], passwd_bind[160], group_bind[160], marks[96], kid_copy[128];

/*
 * Traps: `apple` precedes `app` (a prefix match finds the wrong line); `near` lists names that
 * contain `app` but are not it; `staff2` repeats gid 50, `twice` lists app twice and `appself`
 * gives app its primary gid again (each gid once in Groups); other's primary gid 1001 is
 * nobody's supplementary group, so it is in other's Groups only as the primary group.
 */
static const char passwd_text[] = "root:x:0:0:root:/var/roothome:/bin/sh\n"
                                  "apple:x:1500:1500:apple:/home/apple:/bin/sh\n"
                                  "app:x:1000:1000:app:/home/app:/bin/sh\n"
                                  "other:x:1001:1001::/srv/other:/bin/sh\n";
static const char group_text[] = "root:x:0:\n"
                                 "apple:x:1500:apple\n"
                                 "app:x:1000:\n"
                                 "staff:x:50:other,app\n"
                                 "audio:x:29:app\n"
                                 "near:x:77:application,apps,xapp,ap\n"
                                 "video:x:44:other\n"
                                 "staff2:x:50:app\n"
                                 "twice:x:60:app,other,app\n"
                                 "appself:x:1000:app\n"
                                 "other:x:1001:\n";
/* app's Groups, sorted: with any primary group, 1000 is there through `appself`. */
#define APP_GROUPS "29 50 60 1000"

static void privs_fini(void)
{
	char path[256];

	h_cleanup();
	if (!dir[0]) {
		return;
	}
	if (kid_copy[0]) {
		unlink(kid_copy);
	}
	snprintf(path, sizeof(path), "%s/passwd", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/group", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/mark", marks);
	unlink(path);
	rmdir(marks);
	rmdir(dir);
}

TestSuite(privs, .fini = privs_fini);

static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size_t len = strlen(text);

	cr_assert(fd >= 0, "open %s: %s", path, strerror(errno));
	cr_assert(write(fd, text, len) == (ssize_t)len, "write %s: %s", path, strerror(errno));
	close(fd);
}

/* The test directory with passwd, group and the marker directory (once per test). */
static void setup_files(void)
{
	char path[128];

	if (dir[0]) {
		return;
	}
	if (geteuid() != 0) {
		cr_skip_test("bind-mounting test /etc/passwd and /etc/group needs root");
	}
	snprintf(dir, sizeof(dir), "/tmp/init-privs-XXXXXX");
	cr_assert(mkdtemp(dir), "mkdtemp: %s", strerror(errno));
	cr_assert(chmod(dir, 0755) == 0, "chmod %s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/passwd", dir);
	write_file(path, passwd_text);
	snprintf(passwd_bind, sizeof(passwd_bind), "%s:/etc/passwd", path);
	snprintf(path, sizeof(path), "%s/group", dir);
	write_file(path, group_text);
	snprintf(group_bind, sizeof(group_bind), "%s:/etc/group", path);
	snprintf(marks, sizeof(marks), "%s/w", dir);
	cr_assert(mkdir(marks, 0755) == 0 && chmod(marks, 01777) == 0, "mkdir %s: %s", marks,
	          strerror(errno));
}

/* A marker file path a child of any uid can create; it does not exist yet. */
static const char *marker(void)
{
	static char path[128];

	setup_files();
	snprintf(path, sizeof(path), "%s/mark", marks);
	unlink(path);
	return path;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* Launch options: the passwd and group binds, then EXTRA. Static storage, one list at a time. */
static const char *const *opts(const char *const *extra)
{
	static const char *v[32];
	int n = 0;

	setup_files();
	v[n++] = "-B";
	v[n++] = passwd_bind;
	v[n++] = "-B";
	v[n++] = group_bind;
	for (int i = 0; extra && extra[i]; i++) {
		cr_assert(n < 31, "too many launch options");
		v[n++] = extra[i];
	}
	v[n] = NULL;
	return v;
}

/* Init arguments: FLAGS, then PROGRAM (NULL: kid) and WORDS. Static storage. */
static const char *const *args(const char *const *flags, const char *program,
                               const char *const *words)
{
	static const char *v[48];
	int n = 0;

	for (int i = 0; flags && flags[i]; i++) {
		v[n++] = flags[i];
	}
	v[n++] = program ? program : h_helper("kid");
	for (int i = 0; words && words[i]; i++) {
		cr_assert(n < 47, "too many init arguments");
		v[n++] = words[i];
	}
	v[n] = NULL;
	return v;
}

/* A hexadecimal field of /proc/PID/status (PID 0: ourselves); fails the test if missing. */
static unsigned long long status_hex(pid_t pid, const char *key)
{
	char path[64], line[256];
	size_t kl = strlen(key);
	FILE *f;

	if (pid == 0) {
		snprintf(path, sizeof(path), "/proc/self/status");
	} else {
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	}
	f = fopen(path, "re");
	cr_assert(f, "open %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			fclose(f);
			return strtoull(line + kl + 1, NULL, 16);
		}
	}
	fclose(f);
	cr_assert_fail("no %s in %s", key, path);
	return 0;
}

/* Our own sets: what launch, deny and the init start from. */
static unsigned long long our(const char *key)
{
	return status_hex(0, key);
}

/* Whether the child's NoNewPrivs is 1 without --no-new-privs (deny sets it on the init). */
static int nnp_base(void)
{
	return h_deny_rules() ? 1 : 0;
}

struct creds {
	char uid[64], gid[64], groups[256], home[512];
	unsigned long long inh, prm, eff, bnd, amb;
	int nnp;
};

/*
 * Wait for the complete line LINE on stdout; on failure say how the init ended (usually the
 * reason) with both streams.
 */
static void await_line(struct h_proc *h, const char *line)
{
	struct h_end e;

	if (h_wait_line(h, H_OUT, line, 5000)) {
		return;
	}
	h_close_stdin(h);
	e = h_finish(h, 5000);
	cr_assert_fail("[%s] no '%s' line from the kid; the init ended with %s %d; stdout:\n%s\n"
	               "stderr:\n%s",
	               h_mode_name(h->mode), line, e.signaled ? "signal" : "exit", e.code,
	               h_tail(h, H_OUT, 2000), h_tail(h, H_ERR, 2000));
}

static void value(struct h_proc *h, const char *name, char *out, size_t outsz)
{
	char prefix[64];

	snprintf(prefix, sizeof(prefix), "%s ", name);
	cr_assert(h_line_value(h, H_OUT, prefix, out, outsz), "[%s] no '%s' line:\n%s",
	          h_mode_name(h->mode), name, h_text(h, H_OUT));
}

static unsigned long long hex_value(struct h_proc *h, const char *name)
{
	char v[64], *end;
	unsigned long long x;

	value(h, name, v, sizeof(v));
	x = strtoull(v, &end, 16);
	cr_assert(end != v && *end == '\0', "[%s] '%s %s' is not hexadecimal", h_mode_name(h->mode),
	          name, v);
	return x;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* "44 29 1000" -> "29 44 1000"; "none" -> "". Duplicates stay (each gid must appear once). */
static void sort_groups(const char *in, char *out, size_t outsz)
{
	long g[64];
	size_t n = 0, o = 0;
	char copy[256];

	snprintf(copy, sizeof(copy), "%s", strcmp(in, "none") == 0 ? "" : in);
	for (char *save = NULL, *w = strtok_r(copy, " ", &save); w && n < 64;
	     w = strtok_r(NULL, " ", &save)) {
		g[n++] = atol(w);
	}
	qsort(g, n, sizeof(g[0]), cmp_long);
	out[0] = '\0';
	for (size_t i = 0; i < n && o < outsz; i++) {
		o += (size_t)snprintf(out + o, outsz - o, "%s%ld", i ? " " : "", g[i]);
	}
}

/* After `done`: the kid's lines. */
static void parse_creds(struct h_proc *h, struct creds *c)
{
	char raw[256], v[16];

	value(h, "uid", c->uid, sizeof(c->uid));
	value(h, "gid", c->gid, sizeof(c->gid));
	value(h, "groups", raw, sizeof(raw));
	sort_groups(raw, c->groups, sizeof(c->groups));
	value(h, "home", c->home, sizeof(c->home));
	c->inh = hex_value(h, "capinh");
	c->prm = hex_value(h, "capprm");
	c->eff = hex_value(h, "capeff");
	c->bnd = hex_value(h, "capbnd");
	c->amb = hex_value(h, "capamb");
	value(h, "nonewprivs", v, sizeof(v));
	c->nnp = atoi(v);
}

/*
 * Start `init INIT_FLAGS PROGRAM creds` (PROGRAM NULL: kid) with the test passwd and group and
 * LAUNCH_EXTRA, and read the kid's credentials. The kid then waits for EOF: end_creds().
 */
static void start_creds(struct h_proc *h, enum h_mode mode, const char *const *launch_extra,
                        const char *const *init_flags, const char *program, struct creds *c)
{
	h_start(h, mode, opts(launch_extra), args(init_flags, program, H_ARGS("creds")));
	await_line(h, "done");
	parse_creds(h, c);
}

static void end_creds(struct h_proc *h)
{
	h_close_stdin(h);
	h_expect_exit(h, 0, 10000);
}

/* One run: start, read, end. */
static void run_creds(enum h_mode mode, const char *const *launch_extra,
                      const char *const *init_flags, struct creds *c)
{
	struct h_proc h;

	start_creds(&h, mode, launch_extra, init_flags, NULL, c);
	end_creds(&h);
}

#define expect_str(what, got, want)                                                                \
	cr_expect(strcmp((got), (want)) == 0, "[%s] %s: %s '%s', want '%s'", h_mode_name(mode),    \
	          (what), #got, (got), (want))
#define expect_hex(what, got, want)                                                                \
	cr_expect((got) == (want), "[%s] %s: %s %016llx, want %016llx", h_mode_name(mode), (what), \
	          #got, (unsigned long long)(got), (unsigned long long)(want))

/* Every capability set of C, one by one. */
static void expect_caps(enum h_mode mode, const char *what, const struct creds *c,
                        unsigned long long inh, unsigned long long prm, unsigned long long eff,
                        unsigned long long bnd, unsigned long long amb)
{
	expect_hex(what, c->inh, inh);
	expect_hex(what, c->prm, prm);
	expect_hex(what, c->eff, eff);
	expect_hex(what, c->bnd, bnd);
	expect_hex(what, c->amb, amb);
}

/* A non-root child without --cap-add: no capability at all, the bounding set unchanged. */
static void expect_no_caps(enum h_mode mode, const char *what, const struct creds *c)
{
	expect_caps(mode, what, c, 0, 0, 0, our("CapBnd"), 0);
}

/* A root child with the init's whole bounding set. */
static void expect_root_caps(enum h_mode mode, const char *what, const struct creds *c)
{
	unsigned long long bnd = our("CapBnd");

	expect_caps(mode, what, c, our("CapInh") & bnd, bnd & our("CapPrm"), bnd & our("CapPrm"),
	            bnd, 0);
}

/* ---- Users and groups ---- */

/* -u NAME: uid, primary gid, initgroups-style Groups, HOME from passwd when unset. */
H_TEST_BOTH(privs, user_by_name, .timeout = 30)
{
	struct creds c;

	run_creds(mode, H_ARGS("-E", "HOME"), H_ARGS("-u", "app"), &c);
	expect_str("-u app", c.uid, "1000 1000 1000 1000");
	expect_str("-u app", c.gid, "1000 1000 1000 1000");
	expect_str("-u app", c.groups, APP_GROUPS);
	expect_str("-u app, HOME unset", c.home, "/home/app");
	expect_no_caps(mode, "-u app", &c);
	cr_expect_eq(c.nnp, nnp_base(), "[%s] -u app: NoNewPrivs %d without --no-new-privs",
	             h_mode_name(mode), c.nnp);
}

/*
 * An existing HOME is kept, for a user in passwd as for a bare uid (user_unknown_uid), unless
 * it is the init's own user's home from passwd, which is what the engines set.
 */
H_TEST_BOTH(privs, user_keeps_home, .timeout = 30)
{
	struct creds c;

	run_creds(mode, H_ARGS("-e", "HOME=/custom/home"), H_ARGS("-u", "app"), &c);
	expect_str("-u app, HOME=/custom/home", c.home, "/custom/home");
	/* What Docker and Podman set for the container's own user (root): replaced. */
	run_creds(mode, H_ARGS("-e", "HOME=/var/roothome"), H_ARGS("-u", "app"), &c);
	expect_str("-u app, HOME=/var/roothome (the init's own)", c.home, "/home/app");
	expect_str("-u app", c.uid, "1000 1000 1000 1000");
}

/*
 * -u NAME:GROUP: the group replaces the primary gid, which is then in Groups only if a group
 * line lists the user (app: `appself`; other: none).
 */
H_TEST_BOTH(privs, user_and_group_name, .timeout = 30)
{
	struct creds c;

	run_creds(mode, NULL, H_ARGS("-u", "app:staff"), &c);
	expect_str("-u app:staff", c.uid, "1000 1000 1000 1000");
	expect_str("-u app:staff", c.gid, "50 50 50 50");
	expect_str("-u app:staff", c.groups, APP_GROUPS);
	run_creds(mode, NULL, H_ARGS("-u", "other:audio"), &c);
	expect_str("-u other:audio", c.uid, "1001 1001 1001 1001");
	expect_str("-u other:audio", c.gid, "29 29 29 29");
	expect_str("-u other:audio", c.groups, "29 44 50 60");
}

/* -u NAME:NUMBER: any gid, in /etc/group or not. */
H_TEST_BOTH(privs, user_and_group_number, .timeout = 30)
{
	struct creds c;

	run_creds(mode, NULL, H_ARGS("-u", "app:4242"), &c);
	expect_str("-u app:4242", c.uid, "1000 1000 1000 1000");
	expect_str("-u app:4242", c.gid, "4242 4242 4242 4242");
	expect_str("-u app:4242", c.groups, APP_GROUPS " 4242");
}

/* -u UID of a user in passwd: that user, as by name. */
H_TEST_BOTH(privs, user_known_uid, .timeout = 30)
{
	struct creds c;

	run_creds(mode, H_ARGS("-E", "HOME"), H_ARGS("-u", "1001"), &c);
	expect_str("-u 1001", c.uid, "1001 1001 1001 1001");
	expect_str("-u 1001", c.gid, "1001 1001 1001 1001");
	expect_str("-u 1001", c.groups, "44 50 60 1001");
	expect_str("-u 1001, HOME unset", c.home, "/srv/other");
	run_creds(mode, NULL, H_ARGS("-u", "1000:staff"), &c);
	expect_str("-u 1000:staff", c.gid, "50 50 50 50");
	expect_str("-u 1000:staff", c.groups, APP_GROUPS);
}

/* -u UID absent from passwd: gid 0 (the init's, as root), no groups, HOME=/. */
H_TEST_BOTH(privs, user_unknown_uid, .timeout = 30)
{
	struct creds c;

	run_creds(mode, H_ARGS("-E", "HOME"), H_ARGS("-u", "4321"), &c);
	expect_str("-u 4321", c.uid, "4321 4321 4321 4321");
	expect_str("-u 4321", c.gid, "0 0 0 0");
	expect_str("-u 4321", c.groups, "");
	expect_str("-u 4321, HOME unset", c.home, "/");
	expect_no_caps(mode, "-u 4321", &c);
	run_creds(mode, H_ARGS("-e", "HOME=/kept"), H_ARGS("-u", "4321:audio"), &c);
	expect_str("-u 4321:audio", c.gid, "29 29 29 29");
	expect_str("-u 4321:audio", c.groups, "");
	expect_str("-u 4321:audio, HOME=/kept", c.home, "/kept");
}

/* -u root: root's passwd line (HOME), and a root child keeps the capabilities. */
H_TEST_BOTH(privs, user_root, .timeout = 30)
{
	struct creds c;

	run_creds(mode, H_ARGS("-E", "HOME"), H_ARGS("-u", "root"), &c);
	expect_str("-u root", c.uid, "0 0 0 0");
	expect_str("-u root", c.gid, "0 0 0 0");
	expect_str("-u root", c.groups, "0");
	expect_str("-u root, HOME unset", c.home, "/var/roothome");
	expect_root_caps(mode, "-u root", &c);
}

/* INIT_USER, and -u winning over it. */
H_TEST_BOTH(privs, user_from_env, .timeout = 30)
{
	struct creds c;

	run_creds(mode, H_ARGS("-e", "INIT_USER=app"), NULL, &c);
	expect_str("INIT_USER=app", c.uid, "1000 1000 1000 1000");
	expect_str("INIT_USER=app", c.groups, APP_GROUPS);
	run_creds(mode, H_ARGS("-e", "INIT_USER=bob"), H_ARGS("-u", "other"), &c);
	expect_str("INIT_USER=bob -u other", c.uid, "1001 1001 1001 1001");
}

/* --no-new-privs and INIT_NO_NEW_PRIVS; 0 without (unless deny already set it). */
H_TEST_BOTH(privs, no_new_privs, .timeout = 30)
{
	struct creds c;

	run_creds(mode, NULL, NULL, &c);
	cr_expect_eq(c.nnp, nnp_base(), "[%s] NoNewPrivs %d without --no-new-privs",
	             h_mode_name(mode), c.nnp);
	run_creds(mode, NULL, H_ARGS("--no-new-privs"), &c);
	cr_expect_eq(c.nnp, 1, "[%s] --no-new-privs: NoNewPrivs %d", h_mode_name(mode), c.nnp);
	expect_root_caps(mode, "--no-new-privs", &c);
	run_creds(mode, H_ARGS("-e", "INIT_NO_NEW_PRIVS=1"), H_ARGS("-u", "app"), &c);
	cr_expect_eq(c.nnp, 1, "[%s] INIT_NO_NEW_PRIVS=1: NoNewPrivs %d", h_mode_name(mode), c.nnp);
	expect_str("INIT_NO_NEW_PRIVS=1 -u app", c.uid, "1000 1000 1000 1000");
}

/*
 * The init's own supplementary groups (launch -G) reach a root child without -u, and never a
 * child with -u: it has exactly the groups of its user (none for a uid not in passwd).
 */
H_TEST_BOTH(privs, user_replaces_init_groups, .timeout = 30)
{
	struct creds c;

	run_creds(mode, H_ARGS("-G", "7,8"), NULL, &c);
	expect_str("init in groups 7 8, no -u", c.groups, "7 8");
	run_creds(mode, H_ARGS("-G", "7,8"), H_ARGS("-u", "4321"), &c);
	expect_str("init in groups 7 8, -u 4321", c.groups, "");
	run_creds(mode, H_ARGS("-G", "7,8"), H_ARGS("-u", "app"), &c);
	expect_str("init in groups 7 8, -u app", c.groups, APP_GROUPS);
	run_creds(mode, H_ARGS("-G", "7,8"), H_ARGS("-u", "root"), &c);
	expect_str("init in groups 7 8, -u root", c.groups, "0");
}

/* ---- Capabilities ---- */

/* No flag: a root child has the init's bounding set, all of it effective. */
H_TEST_BOTH(privs, caps_root_default, .timeout = 30)
{
	struct creds c;

	run_creds(mode, NULL, NULL, &c);
	expect_str("no flags", c.uid, "0 0 0 0");
	expect_root_caps(mode, "no flags", &c);
}

H_TEST_BOTH(privs, cap_drop_all, .timeout = 30)
{
	struct creds c;

	run_creds(mode, NULL, H_ARGS("--cap-drop", "all"), &c);
	expect_str("--cap-drop all", c.uid, "0 0 0 0");
	expect_caps(mode, "--cap-drop all", &c, 0, 0, 0, 0, 0);
	run_creds(mode, H_ARGS("-e", "INIT_CAP_DROP=ALL"), NULL, &c);
	expect_caps(mode, "INIT_CAP_DROP=ALL", &c, 0, 0, 0, 0, 0);
}

/* A list, names in any case and with or without CAP_; repeated flags add up. */
H_TEST_BOTH(privs, cap_drop_list, .timeout = 30)
{
	unsigned long long want = our("CapBnd") & our("CapPrm") & ~(BIT(CAP_NET_RAW) | BIT(0));
	struct creds c;

	cr_assert(want != (our("CapBnd") & our("CapPrm")),
	          "this process has neither CAP_NET_RAW nor CAP_CHOWN: the test proves nothing");
	run_creds(mode, NULL, H_ARGS("--cap-drop", "NET_RAW,chown"), &c);
	expect_caps(mode, "--cap-drop NET_RAW,chown", &c, 0, want, want,
	            our("CapBnd") & ~(BIT(CAP_NET_RAW) | BIT(CAP_CHOWN)), 0);
	run_creds(mode, NULL, H_ARGS("--cap-drop", "cap_net_raw", "--cap-drop", "CAP_CHOWN"), &c);
	expect_caps(mode, "--cap-drop cap_net_raw --cap-drop CAP_CHOWN", &c, 0, want, want,
	            our("CapBnd") & ~(BIT(CAP_NET_RAW) | BIT(CAP_CHOWN)), 0);
	/* A non-root child: the smaller bounding set, and no capability. */
	run_creds(mode, NULL, H_ARGS("-u", "app", "--cap-drop", "NET_RAW"), &c);
	expect_caps(mode, "-u app --cap-drop NET_RAW", &c, 0, 0, 0,
	            our("CapBnd") & ~BIT(CAP_NET_RAW), 0);
}

/* -u app alone: nothing; with --cap-add: ambient, so it survives the exec. */
H_TEST_BOTH(privs, cap_add_nonroot, .timeout = 30)
{
	static const char *const forms[] = {"NET_BIND_SERVICE", "net_bind_service",
	                                    "CAP_NET_BIND_SERVICE", "cap_net_bind_service"};
	unsigned long long nbs = BIT(CAP_NET_BIND_SERVICE);
	struct creds c;
	char what[64];

	run_creds(mode, NULL, H_ARGS("-u", "app"), &c);
	expect_no_caps(mode, "-u app", &c);
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		snprintf(what, sizeof(what), "-u app --cap-add %s", forms[i]);
		run_creds(mode, NULL, H_ARGS("-u", "app", "--cap-add", forms[i]), &c);
		expect_str(what, c.uid, "1000 1000 1000 1000");
		expect_caps(mode, what, &c, nbs, nbs, nbs, our("CapBnd"), nbs);
	}
	run_creds(mode, NULL, H_ARGS("-u", "app", "--cap-add", "NET_BIND_SERVICE,kill"), &c);
	expect_caps(mode, "-u app --cap-add NET_BIND_SERVICE,kill", &c, nbs | BIT(CAP_KILL),
	            nbs | BIT(CAP_KILL), nbs | BIT(CAP_KILL), our("CapBnd"), nbs | BIT(CAP_KILL));
	run_creds(mode, H_ARGS("-e", "INIT_USER=app", "-e", "INIT_CAP_ADD=net_bind_service"), NULL,
	          &c);
	expect_caps(mode, "INIT_USER=app INIT_CAP_ADD=net_bind_service", &c, nbs, nbs, nbs,
	            our("CapBnd"), nbs);
}

/* --cap-add all for a non-root child: every capability the init may give, as ambient. */
H_TEST_BOTH(privs, cap_add_all_nonroot, .timeout = 30)
{
	unsigned long long all = our("CapBnd") & our("CapPrm");
	struct creds c;

	run_creds(mode, NULL, H_ARGS("-u", "app", "--cap-add", "all"), &c);
	expect_caps(mode, "-u app --cap-add all", &c, all, all, all, our("CapBnd"), all);
}

/* --cap-drop all --cap-add X: the bounding set is X alone, for root and non-root children. */
H_TEST_BOTH(privs, cap_drop_all_add_one, .timeout = 30)
{
	unsigned long long nbs = BIT(CAP_NET_BIND_SERVICE);
	struct creds c;

	run_creds(mode, NULL, H_ARGS("--cap-drop", "all", "--cap-add", "NET_BIND_SERVICE"), &c);
	expect_caps(mode, "--cap-drop all --cap-add NET_BIND_SERVICE", &c, 0, nbs, nbs, nbs, 0);
	run_creds(mode, NULL,
	          H_ARGS("-u", "app", "--cap-add", "NET_BIND_SERVICE", "--cap-drop", "all"), &c);
	expect_caps(mode, "-u app --cap-add NET_BIND_SERVICE --cap-drop all", &c, nbs, nbs, nbs,
	            nbs, nbs);
	/* The environment's list is the default: the flag replaces it, it does not add to it. */
	run_creds(mode, H_ARGS("-e", "INIT_CAP_DROP=all"), H_ARGS("--cap-drop", "NET_RAW"), &c);
	expect_hex("INIT_CAP_DROP=all --cap-drop NET_RAW", c.bnd,
	           our("CapBnd") & ~BIT(CAP_NET_RAW));
	/* S = bounding - dropped + added: a capability both dropped and added stays. */
	run_creds(mode, NULL, H_ARGS("--cap-add", "NET_RAW", "--cap-drop", "NET_RAW"), &c);
	expect_hex("--cap-add NET_RAW --cap-drop NET_RAW", c.bnd, our("CapBnd"));
}

/*
 * The effect, not only the bits: a non-root child binds port 80 with --cap-add
 * NET_BIND_SERVICE and not without (a fresh network namespace: privileged ports are < 1024
 * there whatever the host says, and nothing else holds port 80).
 */
H_TEST_BOTH(privs, bind_privileged_port, .timeout = 30)
{
	struct h_proc h;

	h_start(
	    &h, mode, opts(H_ARGS("-N")),
	    args(H_ARGS("-u", "app", "--cap-add", "NET_BIND_SERVICE"), NULL, H_ARGS("bind", "80")));
	await_line(&h, "bind ok");
	h_expect_exit(&h, 0, 10000);
	h_start(&h, mode, opts(H_ARGS("-N")),
	        args(H_ARGS("-u", "app"), NULL, H_ARGS("bind", "80")));
	await_line(&h, "bind EACCES");
	h_expect_exit(&h, 0, 10000);
}

/*
 * A copy of kid in the test directory, owned by root, mode MODE (set after the chown, which
 * clears setuid bits and file capabilities). Skips where the kernel would ignore the bits.
 */
static void make_kid_copy(mode_t mode)
{
	char buf[65536];
	const char *kid = h_helper("kid");
	struct statvfs sv;
	int in, out;
	ssize_t n;

	if (h_deny_rules()) {
		cr_skip_test("deny sets no_new_privs: the kernel then ignores setuid bits and file "
		             "capabilities, and the positive control cannot pass");
	}
	setup_files();
	cr_assert(statvfs(dir, &sv) == 0, "statvfs %s: %s", dir, strerror(errno));
	if (sv.f_flag & ST_NOSUID) {
		cr_skip_test("%s is on a nosuid mount", dir);
	}
	snprintf(kid_copy, sizeof(kid_copy), "%s/kid", dir);
	in = open(kid, O_RDONLY | O_CLOEXEC);
	out = open(kid_copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	cr_assert(in >= 0 && out >= 0, "copy %s to %s: %s", kid, kid_copy, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		cr_assert(write(out, buf, (size_t)n) == n, "write %s: %s", kid_copy,
		          strerror(errno));
	}
	cr_assert(n == 0, "read %s: %s", kid, strerror(errno));
	cr_assert(fchown(out, 0, 0) == 0 && fchmod(out, mode) == 0, "chown/chmod %s: %s", kid_copy,
	          strerror(errno));
	close(in);
	close(out);
}

/*
 * setcap cap_net_bind_service+ep, without libcap2-bin: a struct vfs_cap_data revision 2 in
 * security.capability (little-endian words: magic_etc, then permitted and inheritable of the
 * low and the high 32 capabilities).
 */
static void set_file_cap_nbs(const char *path)
{
	uint32_t d[5] = {htole32(0x02000000U | 0x1U), htole32((uint32_t)BIT(CAP_NET_BIND_SERVICE)),
	                 0, 0, 0};
	uint32_t back[5] = {0};

	if (setxattr(path, "security.capability", d, sizeof(d), 0) < 0) {
		if (errno == ENOTSUP) {
			cr_skip_test("no file capabilities on %s's file system", path);
		}
		cr_assert_fail("setxattr(%s, security.capability): %s", path, strerror(errno));
	}
	cr_assert(getxattr(path, "security.capability", back, sizeof(back)) == sizeof(d) &&
	              memcmp(d, back, sizeof(d)) == 0,
	          "security.capability of %s does not read back", path);
}

/*
 * --cap-drop all: a file-capability binary gains nothing. Positive control first: the same
 * binary, run as app without the flag, binds port 80 thanks to its file capability. With the
 * flag the kernel refuses the exec itself (EPERM: the file's effective bit is set and its
 * permitted capability is out of the bounding set, commoncap.c bprm_caps_from_vfs_caps), so
 * the init exits 126 and the binary never runs.
 */
H_TEST_BOTH(privs, cap_drop_all_file_caps, .timeout = 30)
{
	struct h_proc h;

	make_kid_copy(0755);
	set_file_cap_nbs(kid_copy);
	h_start(&h, mode, opts(H_ARGS("-N")),
	        args(H_ARGS("-u", "app"), kid_copy, H_ARGS("bind", "80")));
	await_line(&h, "bind ok");
	h_expect_exit(&h, 0, 10000);
	h_start(&h, mode, opts(H_ARGS("-N")),
	        args(H_ARGS("-u", "app", "--cap-drop", "all"), kid_copy, H_ARGS("bind", "80")));
	h_expect_exit(&h, 126, 10000);
	cr_expect(strstr(h_text(&h, H_ERR), "Operation not permitted"),
	          "[%s] --cap-drop all, file-capability kid: stderr:\n%s", h_mode_name(mode),
	          h_text(&h, H_ERR));
	cr_expect_str_empty(h_text(&h, H_OUT), "[%s] --cap-drop all, file-capability kid ran:\n%s",
	                    h_mode_name(mode), h_text(&h, H_OUT));
}

/*
 * --cap-drop all: a setuid-root binary becomes euid 0 with no capability. Positive control:
 * without the flag it has them all; with --no-new-privs the setuid bit does nothing.
 */
H_TEST_BOTH(privs, cap_drop_all_setuid_root, .timeout = 30)
{
	struct h_proc h;
	struct creds c;

	make_kid_copy(04755);
	start_creds(&h, mode, NULL, H_ARGS("-u", "app"), kid_copy, &c);
	end_creds(&h);
	expect_str("setuid-root kid, -u app", c.uid, "1000 0 0 0");
	cr_expect(c.eff != 0 && c.eff == c.bnd,
	          "[%s] setuid-root kid, -u app: CapEff %016llx, CapBnd %016llx: the control "
	          "should have every capability",
	          h_mode_name(mode), c.eff, c.bnd);
	start_creds(&h, mode, NULL, H_ARGS("-u", "app", "--cap-drop", "all"), kid_copy, &c);
	end_creds(&h);
	expect_str("setuid-root kid, -u app --cap-drop all", c.uid, "1000 0 0 0");
	expect_caps(mode, "setuid-root kid, -u app --cap-drop all", &c, 0, 0, 0, 0, 0);
	start_creds(&h, mode, NULL, H_ARGS("-u", "app", "--no-new-privs"), kid_copy, &c);
	end_creds(&h);
	expect_str("setuid-root kid, -u app --no-new-privs", c.uid, "1000 1000 1000 1000");
	expect_caps(mode, "setuid-root kid, -u app --no-new-privs", &c, 0, 0, 0, our("CapBnd"), 0);
}

/* ---- The init's own privileges ---- */

/* How many stderr lines (the init's, not launch's) contain NEEDLE. */
static int lines_with(struct h_proc *h, const char *needle)
{
	const char *p = h_text(h, H_ERR);
	int n = 0;

	while (*p) {
		const char *nl = strchrnul(p, '\n');

		n += strncmp(p, "launch: ", 8) != 0 &&
		     memmem(p, (size_t)(nl - p), needle, strlen(needle)) != NULL;
		p = *nl ? nl + 1 : nl;
	}
	return n;
}

/* Once the child runs (and the init sleeps in its loop), the init keeps CAP_KILL alone. */
static void expect_init_caps(struct h_proc *h, const char *what, unsigned long long prm,
                             unsigned long long bnd)
{
	enum h_mode mode = h->mode;

	cr_assert(h_wait_asleep(h, 5000), "[%s] %s: the init never settled", h_mode_name(mode),
	          what);
	expect_hex(what, status_hex(h->init_pid, "CapPrm"), prm);
	expect_hex(what, status_hex(h->init_pid, "CapEff"), prm);
	expect_hex(what, status_hex(h->init_pid, "CapInh"), 0ULL);
	expect_hex(what, status_hex(h->init_pid, "CapAmb"), 0ULL);
	expect_hex(what, status_hex(h->init_pid, "CapBnd"), bnd);
}

H_TEST_BOTH(privs, init_keeps_only_kill, .timeout = 30)
{
	struct h_proc h;
	struct creds c;

	cr_assert(our("CapPrm") & BIT(CAP_KILL), "this test runs as root with CAP_KILL");
	start_creds(&h, mode, NULL, NULL, NULL, &c);
	expect_init_caps(&h, "init, no flags", BIT(CAP_KILL), BIT(CAP_KILL));
	expect_root_caps(mode, "no flags (child)", &c);
	end_creds(&h);
	start_creds(&h, mode, NULL, H_ARGS("-u", "app", "--cap-add", "NET_BIND_SERVICE"), NULL, &c);
	expect_init_caps(&h, "init, -u app --cap-add NET_BIND_SERVICE", BIT(CAP_KILL),
	                 BIT(CAP_KILL));
	end_creds(&h);
}

/*
 * Without CAP_SETPCAP the init cannot shrink its bounding set: it says so (-v) and carries on,
 * with CAP_KILL alone in its permitted set. The child keeps the bounding set it had.
 */
H_TEST_BOTH(privs, init_without_setpcap, .timeout = 30)
{
	unsigned long long bnd = our("CapBnd") & ~BIT(CAP_SETPCAP);
	struct h_proc h;
	struct creds c;
	int n;

	/* Silent at the default verbosity: a --cap-drop SETPCAP container is common. */
	start_creds(&h, mode, H_ARGS("-D", "8"), NULL, NULL, &c);
	expect_init_caps(&h, "init without CAP_SETPCAP", BIT(CAP_KILL), bnd);
	expect_hex("child of an init without CAP_SETPCAP", c.bnd, bnd);
	end_creds(&h);
	n = lines_with(&h, "SETPCAP");
	cr_expect_eq(n, 0, "[%s] without CAP_SETPCAP: %d lines about it, want 0; stderr:\n%s",
	             h_mode_name(mode), n, h_text(&h, H_ERR));
	/* With -v it says so, once. */
	start_creds(&h, mode, H_ARGS("-D", "8"), H_ARGS("-v"), NULL, &c);
	expect_init_caps(&h, "init -v without CAP_SETPCAP", BIT(CAP_KILL), bnd);
	end_creds(&h);
	n = lines_with(&h, "SETPCAP");
	cr_expect_eq(n, 1, "[%s] -v without CAP_SETPCAP: %d lines about it, want 1; stderr:\n%s",
	             h_mode_name(mode), n, h_text(&h, H_ERR));
}

/*
 * An init started with CAP_NET_RAW inheritable and ambient (launch -I 13 -A 13): it keeps
 * neither once the child runs. A root child inherits them (its inheritable set is the init's
 * within S; its ambient set may be empty or the init's within S); --cap-drop NET_RAW takes them
 * away; a new user (-u app) gets only what --cap-add gives, with or without other --cap-*.
 */
H_TEST_BOTH(privs, init_inheritable_ambient, .timeout = 60)
{
	const char *const *launch = H_ARGS("-I", "13", "-A", "13");
	unsigned long long raw = BIT(CAP_NET_RAW), nbs = BIT(CAP_NET_BIND_SERVICE);
	struct h_proc h;
	struct creds c;

	start_creds(&h, mode, launch, NULL, NULL, &c);
	expect_init_caps(&h, "init with NET_RAW inheritable and ambient", BIT(CAP_KILL),
	                 BIT(CAP_KILL));
	expect_hex("root child, no flags", c.inh, raw);
	cr_expect(c.amb == 0 || c.amb == raw, "[%s] root child, no flags: CapAmb %016llx",
	          h_mode_name(mode), c.amb);
	end_creds(&h);
	start_creds(&h, mode, launch, H_ARGS("--cap-drop", "NET_RAW"), NULL, &c);
	expect_init_caps(&h, "init with NET_RAW inheritable and ambient, --cap-drop NET_RAW",
	                 BIT(CAP_KILL), BIT(CAP_KILL));
	expect_hex("root child, --cap-drop NET_RAW", c.inh, 0ULL);
	expect_hex("root child, --cap-drop NET_RAW", c.amb, 0ULL);
	expect_hex("root child, --cap-drop NET_RAW", c.bnd, our("CapBnd") & ~raw);
	end_creds(&h);
	/* A new user starts with what --cap-add gives, and nothing of the init's own sets. */
	run_creds(mode, launch, H_ARGS("-u", "app", "--cap-add", "NET_BIND_SERVICE"), &c);
	expect_caps(mode, "init ambient NET_RAW, -u app --cap-add NET_BIND_SERVICE", &c, nbs, nbs,
	            nbs, our("CapBnd"), nbs);
	run_creds(mode, launch, H_ARGS("-u", "app", "--cap-drop", "CHOWN"), &c);
	expect_caps(mode, "init ambient NET_RAW, -u app --cap-drop CHOWN", &c, 0, 0, 0,
	            our("CapBnd") & ~BIT(CAP_CHOWN), 0);
	run_creds(mode, launch, H_ARGS("-u", "app"), &c);
	expect_no_caps(mode, "init ambient NET_RAW, -u app alone", &c);
}

/* An init started as uid 65534 has nothing to give or drop; its child runs all the same. */
H_TEST_BOTH(privs, init_as_nobody, .timeout = 30)
{
	struct h_proc h;
	struct creds c;

	start_creds(&h, mode, H_ARGS("-u", "65534"), NULL, NULL, &c);
	expect_str("init as 65534", c.uid, "65534 65534 65534 65534");
	expect_no_caps(mode, "init as 65534", &c);
	expect_init_caps(&h, "init as 65534", 0, our("CapBnd"));
	end_creds(&h);
}

/* ---- Signals and the drain reach a child of another uid ---- */

/* The host pid of the init's child, and its real uid from /proc. */
static long child_uid(struct h_proc *h, pid_t *pid)
{
	*pid = h_child_pid(h->init_pid);
	cr_assert(*pid > 0, "[%s] the init has no child", h_mode_name(h->mode));
	return h_proc_status(*pid, "Uid");
}

H_TEST_BOTH(privs, forward_to_other_uid, .timeout = 30)
{
	struct h_proc h;
	pid_t kid;
	long uid;

	h_start(&h, mode, opts(NULL), args(H_ARGS("-u", "app"), NULL, H_ARGS("sigs")));
	h_expect_str(&h, H_OUT, "ready pid=", 5000);
	uid = child_uid(&h, &kid);
	cr_assert_eq(uid, 1000, "[%s] the child %d runs as uid %ld", h_mode_name(mode), (int)kid,
	             uid);
	h_kill(&h, SIGUSR1);
	h_expect_line(&h, H_OUT, "sig 10", 5000);
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	h_expect_exit(&h, 0, 10000);
}

/* A main child of another uid that ignores SIGTERM gets SIGKILL at the --kill-after deadline. */
H_TEST_BOTH(privs, grace_kills_other_uid, .timeout = 30)
{
	struct h_proc h;
	long t0, end;
	pid_t kid;
	long uid;

	h_start(&h, mode, opts(NULL), args(H_ARGS("-u", "app", "-k", "1"), NULL, H_ARGS("deaf")));
	h_expect_str(&h, H_OUT, "ready pid=", 5000);
	uid = child_uid(&h, &kid);
	cr_assert_eq(uid, 1000, "[%s] the child %d runs as uid %ld", h_mode_name(mode), (int)kid,
	             uid);
	t0 = h_now_ms();
	h_kill(&h, SIGTERM);
	h_expect_line(&h, H_OUT, "sig 15", 5000);
	end = h_ended_at(&h, (int)(1000 + h_slack(2000)));
	if (end < 0) {
		h_kill_all(&h);
		cr_assert_fail("[%s] -k 1: the init still runs %ld ms after SIGTERM; stderr:\n%s",
		               h_mode_name(mode), 1000 + h_slack(2000), h_tail(&h, H_ERR, 2000));
	}
	cr_expect_geq(end - t0, 900, "[%s] -k 1: the init ended %ld ms after SIGTERM",
	              h_mode_name(mode), end - t0);
	h_expect_exit(&h, 137, 10000);
}

/*
 * The drain after the main child's exit: a descendant of uid 1000 that reports SIGTERM gets
 * it, one that ignores it is SIGKILLed after the grace period.
 */
H_TEST_BOTH(privs, drain_other_uid_descendants, .timeout = 30)
{
	struct h_proc h;
	long end;

	h_need_subreaper(mode);

	h_start(&h, mode, opts(NULL),
	        args(H_ARGS("-u", "app", "-t", "1"), NULL, H_ARGS("tree", "0", "0t", "0i")));
	h_expect_line(&h, H_OUT, "tree ready", 10000);
	h_close_stdin(&h);
	h_expect_line(&h, H_OUT, "main exit 0", 5000);
	h_expect_line(&h, H_OUT, "node 1 got TERM", 5000);
	end = h_ended_at(&h, (int)(1000 + h_slack(2000)));
	if (end < 0) {
		h_kill_all(&h);
		cr_assert_fail("[%s] the init still runs %ld ms after the main child; stderr:\n%s",
		               h_mode_name(mode), 1000 + h_slack(2000), h_tail(&h, H_ERR, 2000));
	}
	cr_expect_eq(h_session_procs(&h), 0, "[%s] a node outlived the init", h_mode_name(mode));
	h_expect_exit(&h, 0, 10000);
	cr_expect(strstr(h_text(&h, H_ERR), "SIGKILL to 1 process"),
	          "[%s] no `SIGKILL to 1 process`; stderr:\n%s", h_mode_name(mode),
	          h_text(&h, H_ERR));
}

/* ---- Refusals: one line, the exit code, and no child ---- */

/* Does LINE contain one of the '|'-separated NEEDLES, ignoring case? NULL: yes. */
static bool says(const char *line, const char *needles)
{
	char copy[256];

	if (!needles) {
		return true;
	}
	snprintf(copy, sizeof(copy), "%s", needles);
	for (char *save = NULL, *w = strtok_r(copy, "|", &save); w;
	     w = strtok_r(NULL, "|", &save)) {
		if (strcasestr(line, w)) {
			return true;
		}
	}
	return false;
}

/*
 * Run `init FLAGS kid mark PATH` and expect exit CODE, exactly one line from the init
 * containing one of NEEDLES (see says()), and no marker file.
 */
static void expect_refused(enum h_mode mode, const char *const *launch_extra,
                           const char *const *flags, int code, const char *needle)
{
	const char *mark = marker();
	char first[1024], what[256] = "";
	struct h_proc h;
	int n;

	for (int i = 0; launch_extra && launch_extra[i]; i++) {
		size_t l = strlen(what);

		snprintf(what + l, sizeof(what) - l, "%slaunch %s", l ? " " : "", launch_extra[i]);
	}
	for (int i = 0; flags && flags[i]; i++) {
		size_t l = strlen(what);

		snprintf(what + l, sizeof(what) - l, "%s%s", l ? " " : "", flags[i]);
	}
	h_start(&h, mode, opts(launch_extra), args(flags, NULL, H_ARGS("mark", mark)));
	h_expect_exit(&h, code, 10000);
	n = h_init_err_lines(&h, first, sizeof(first));
	cr_expect_eq(n, 1, "[%s] %s: %d stderr lines from the init, want 1:\n%s", h_mode_name(mode),
	             what, n, h_text(&h, H_ERR));
	cr_expect(says(first, needle), "[%s] %s: the line does not say '%s': %s", h_mode_name(mode),
	          what, needle, first);
	cr_expect(!exists(mark), "[%s] %s: the child ran (it made %s)", h_mode_name(mode), what,
	          mark);
	cr_expect_str_empty(h_text(&h, H_OUT), "[%s] %s: stdout:\n%s", h_mode_name(mode), what,
	                    h_text(&h, H_OUT));
}

/* The control for expect_refused: the same run with a good user makes the marker. */
H_TEST_BOTH(privs, marker_control, .timeout = 30)
{
	const char *mark = marker();
	struct h_proc h;

	h_start(&h, mode, opts(NULL), args(H_ARGS("-u", "app"), NULL, H_ARGS("mark", mark)));
	h_expect_exit(&h, 0, 10000);
	cr_expect(exists(mark), "[%s] -u app kid mark %s: no marker", h_mode_name(mode), mark);
}

H_TEST_BOTH(privs, unknown_user, .timeout = 30)
{
	expect_refused(mode, NULL, H_ARGS("-u", "bob"), 2, "unknown user 'bob'");
	/* A prefix of a name in passwd is not that name. */
	expect_refused(mode, NULL, H_ARGS("-u", "ap"), 2, "unknown user 'ap'");
	expect_refused(mode, NULL, H_ARGS("-u", "bob:staff"), 2, "unknown user 'bob'");
	expect_refused(mode, H_ARGS("-e", "INIT_USER=bob"), NULL, 2, "unknown user 'bob'");
}

H_TEST_BOTH(privs, unknown_group, .timeout = 30)
{
	expect_refused(mode, NULL, H_ARGS("-u", "app:grp"), 2, "unknown group 'grp'");
	expect_refused(mode, NULL, H_ARGS("-u", "app:staf"), 2, "unknown group 'staf'");
	expect_refused(mode, NULL, H_ARGS("-u", "4321:grp"), 2, "unknown group 'grp'");
}

/* Malformed -u values, and ids out of range ((uid_t)-1 would mean "unchanged" to the kernel). */
H_TEST_BOTH(privs, invalid_user, .timeout = 60)
{
	expect_refused(mode, NULL, H_ARGS("-u", "app:"), 2, "'app:'");
	expect_refused(mode, NULL, H_ARGS("-u", ""), 2, NULL);
	expect_refused(mode, NULL, H_ARGS("-u", "4294967295"), 2, NULL);
	expect_refused(mode, NULL, H_ARGS("-u", "app:4294967295"), 2, NULL);
	expect_refused(mode, NULL, H_ARGS("-u", "-1"), 2, NULL);
}

H_TEST_BOTH(privs, unknown_capability, .timeout = 30)
{
	expect_refused(mode, NULL, H_ARGS("--cap-add", "FOO"), 2, "unknown capability 'FOO'");
	expect_refused(mode, NULL, H_ARGS("--cap-drop", "NET_RAW,BOGUS"), 2,
	               "unknown capability 'BOGUS'");
	expect_refused(mode, H_ARGS("-e", "INIT_CAP_DROP=FOO"), NULL, 2, "unknown capability");
	expect_refused(mode, NULL, H_ARGS("--cap-add", ""), 2, NULL);
}

/* An empty name in a list is a typo, as an empty list is (`--cap-add ''`: exit 2). */
H_TEST_BOTH(privs, empty_capability_in_list, .timeout = 30)
{
	expect_refused(mode, NULL, H_ARGS("--cap-drop", "NET_RAW,"), 2, NULL);
	expect_refused(mode, NULL, H_ARGS("--cap-drop", ",NET_RAW"), 2, NULL);
	expect_refused(mode, NULL, H_ARGS("--cap-add", "NET_RAW,,CHOWN"), 2, NULL);
}

/* Pause mode has no child to give privileges to. */
H_TEST_BOTH(privs, pause_mode_refuses, .timeout = 30)
{
	struct h_proc h;
	char first[1024];
	int n;

	const char *const *const flags[] = {
	    H_ARGS("-P", "-u", "app"),
	    H_ARGS("-P", "--cap-drop", "all"),
	    H_ARGS("-P", "--cap-add", "NET_BIND_SERVICE"),
	    H_ARGS("-P", "--no-new-privs"),
	};

	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		h_start(&h, mode, opts(NULL), flags[i]);
		h_expect_exit(&h, 2, 10000);
		n = h_init_err_lines(&h, first, sizeof(first));
		cr_expect_eq(n, 1, "[%s] %s %s: %d lines from the init:\n%s", h_mode_name(mode),
		             flags[i][0], flags[i][1], n, h_text(&h, H_ERR));
	}
}

/* -u needs CAP_SETUID and CAP_SETGID: an init started as uid 65534 has neither. */
H_TEST_BOTH(privs, user_needs_setuid, .timeout = 30)
{
	expect_refused(mode, H_ARGS("-u", "65534"), H_ARGS("-u", "app"), 1, "setuid|setgid");
}

/* --cap-add of a capability the init does not hold. */
H_TEST_BOTH(privs, cap_add_not_held, .timeout = 60)
{
	/* Nothing in the permitted set. */
	expect_refused(mode, H_ARGS("-u", "65534"), H_ARGS("--cap-add", "SYS_ADMIN"), 1, NULL);
	/* Root, but CAP_SYS_ADMIN out of the bounding (and so the permitted) set. */
	expect_refused(mode, H_ARGS("-D", "21"), H_ARGS("--cap-add", "SYS_ADMIN"), 1, NULL);
	expect_refused(mode, H_ARGS("-D", "21"), H_ARGS("-u", "app", "--cap-add", "SYS_ADMIN"), 1,
	               NULL);
}

/* A bounding-set change needs CAP_SETPCAP. */
H_TEST_BOTH(privs, cap_drop_needs_setpcap, .timeout = 30)
{
	expect_refused(mode, H_ARGS("-D", "8"), H_ARGS("--cap-drop", "NET_RAW"), 1, NULL);
}

/*
 * The child's set-up refused by seccomp: exit 126 and `init: child set-up for CMD (STAGE):
 * ERROR`, and the command never runs.
 */
static void expect_setup_refused(enum h_mode mode, const char *rule, const char *stage,
                                 const char *const *flags)
{
	const char *mark = marker();
	char line[1024] = "";
	const char *err, *p;
	struct h_proc h;
	int n = 0;

	h_start_deny(&h, mode, opts(NULL), H_ARGS(rule), args(flags, NULL, H_ARGS("mark", mark)));
	h_expect_exit(&h, 126, 10000);
	err = h_text(&h, H_ERR);
	for (p = strstr(err, "child set-up"); p; p = strstr(p + 1, "child set-up")) {
		const char *bol = p, *eol = strchrnul(p, '\n');

		while (bol > err && bol[-1] != '\n') {
			bol--;
		}
		if (n++ == 0) {
			snprintf(line, sizeof(line), "%.*s", (int)(eol - bol), bol);
		}
	}
	cr_expect_eq(n, 1, "[%s] %s: %d `child set-up` lines:\n%s", h_mode_name(mode), rule, n,
	             err);
	cr_expect(strstr(line, stage) && strstr(line, "Operation not permitted"),
	          "[%s] %s: the line does not name %s and EPERM: %s", h_mode_name(mode), rule,
	          stage, line);
	cr_expect(strstr(line, "kid"), "[%s] %s: the line does not name the command: %s",
	          h_mode_name(mode), rule, line);
	cr_expect(!exists(mark), "[%s] %s: the command ran (it made %s)", h_mode_name(mode), rule,
	          mark);
	cr_expect_str_empty(h_text(&h, H_OUT), "[%s] %s: stdout:\n%s", h_mode_name(mode), rule,
	                    h_text(&h, H_OUT));
}

H_TEST_BOTH(privs, setup_refused, .timeout = 60)
{
	expect_setup_refused(mode, "setresuid=EPERM", "setresuid", H_ARGS("-u", "app"));
	expect_setup_refused(mode, "setresgid=EPERM", "setresgid", H_ARGS("-u", "app"));
	expect_setup_refused(mode, "setgroups=EPERM", "setgroups", H_ARGS("-u", "app"));
	expect_setup_refused(mode, "capset=EPERM", "capset",
	                     H_ARGS("-u", "app", "--cap-add", "NET_BIND_SERVICE"));
}

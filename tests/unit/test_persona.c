/*
 * Unit tests for the name the init is run as (issue 10): persona_of() on argv[0], and
 * config_parse() under the name dumb-init (new session and group forwarding by default, -c,
 * DUMB_INIT_SETSID, -r with dumb-init's numbers, -v and DUMB_INIT_DEBUG, exit 1 on bad usage)
 * and under the other names (init, tini, docker-init, catatonit), where nothing may differ
 * from the init's own behaviour. Each good case is checked against the whole struct config.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_case.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- persona_of() -------------------------------------------------------------------- */

Test(persona, by_name)
{
	static const struct {
		const char *argv0, *want;
	} cases[] = {
	    {"dumb-init", "dumb-init"},
	    {"/usr/bin/dumb-init", "dumb-init"},
	    {"./dumb-init", "dumb-init"},
	    {"../bin//dumb-init", "dumb-init"},
	    {"/usr/local/bin/dumb-init", "dumb-init"},
	    /* tini's, Docker's and Podman's names: the init's own behaviour. */
	    {"tini", "init"},
	    {"/sbin/tini", "init"},
	    {"tini-static", "init"},
	    {"docker-init", "init"},
	    {"/usr/bin/docker-init", "init"},
	    {"catatonit", "init"},
	    {"/usr/libexec/podman/catatonit", "init"},
	    {"init", "init"},
	    {"/sbin/init", "init"},
	    /* Near misses: only the exact last component counts. */
	    {"", "init"},
	    {"/", "init"},
	    {"dumb-init/", "init"},
	    {"dumb-init2", "init"},
	    {"xdumb-init", "init"},
	    {"dumb-ini", "init"},
	    {"dumb-init ", "init"},
	    {"DUMB-INIT", "init"},
	    {"dumb_init", "init"},
	    {"/usr/bin/dumb-init/x", "init"},
	    {"dumb-init.sh", "init"},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		const struct persona *p = persona_of(cases[i].argv0);

		cr_assert_not_null(p, "case %zu '%s': NULL persona", i, cases[i].argv0);
		cr_expect_str_eq(p->name, cases[i].want, "case %zu '%s': persona %s, want %s", i,
		                 cases[i].argv0, p->name, cases[i].want);
	}
	/* No argv[0] at all (execve with an empty argv): the init's own. */
	cr_assert_not_null(persona_of(NULL));
	cr_expect_str_eq(persona_of(NULL)->name, "init");
}

/* One table: every name the init does not know is the very entry of its own name. */
Test(persona, unknown_names_are_the_init)
{
	static const char *const names[] = {"tini", "docker-init", "catatonit",
	                                    "",     "dumb-init2",  "sh"};
	const struct persona *own = persona_of("init");

	for (size_t i = 0; i < LEN(names); i++) {
		cr_expect_eq(persona_of(names[i]), own, "'%s' is not the init's own entry",
		             names[i]);
	}
	cr_expect_eq(persona_of(NULL), own);
	cr_expect_eq(persona_of("/usr/bin/dumb-init"), persona_of("dumb-init"));
	cr_expect_neq(persona_of("dumb-init"), own);
}

Test(persona, fields)
{
	const struct persona *own = persona_of("init"), *dumb = persona_of("dumb-init");

	cr_expect_str_eq(own->log_prefix, "init: ");
	cr_expect_eq(own->usage_exit, 2);
	cr_expect_not(own->setsid);
	cr_expect_not(own->dumb_init);
	cr_expect(own->exec_verb);

	cr_expect_str_eq(dumb->log_prefix, "[dumb-init] ");
	cr_expect_eq(dumb->usage_exit, 1);
	cr_expect(dumb->setsid);
	cr_expect(dumb->dumb_init);
	cr_expect_not(dumb->exec_verb);
}

/* ---- config_parse() under the name dumb-init ---------------------------------------- */

struct good_case {
	const char *argv0;
	const char *args[MAX_ARGS];
	const char *env[MAX_ENV];
	const char *want;
};

static void run_good(const struct good_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct config cfg;
		char err[256] = "", got[512];
		int rc = config_case_parse(&cfg, cases[i].argv0, cases[i].args, cases[i].env, err,
		                           sizeof(err));

		cr_expect_eq(rc, 0, "case %zu (%s %s ...): rc %d, err \"%s\"", i, cases[i].argv0,
		             cases[i].args[0] ? cases[i].args[0] : "", rc, err);
		if (rc != 0) {
			continue;
		}
		config_summary(&cfg, true, got, sizeof(got));
		cr_expect_str_eq(got, cases[i].want,
		                 "case %zu (%s %s ...): got \"%s\", want \"%s\"", i, cases[i].argv0,
		                 cases[i].args[0] ? cases[i].args[0] : "", got, cases[i].want);
	}
}

/* What every dumb-init case in a session of its own has: TSTP, TTIN, TTOU go as SIGSTOP. */
#define JOBSTOP "rewrite=20:19,21:19,22:19"

Test(persona, dumb_init_defaults)
{
	static const struct good_case cases[] = {
	    {"dumb-init", {"cmd"}, {NULL}, "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"/usr/bin/dumb-init",
	     {"--", "cmd", "-c"},
	     {NULL},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd,-c]"},
	    {"./dumb-init",
	     {"cmd", "-v"},
	     {NULL},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd,-v]"},
	    /* The child's own flags are its own. */
	    {"dumb-init",
	     {"cmd", "-c", "-r", "x"},
	     {NULL},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd,-c,-r,x]"},
	    /* The drain stays: the init's -t/-k are still there under this name. */
	    {"dumb-init",
	     {"-t", "2s", "cmd"},
	     {NULL},
	     "dumb-init setsid group grace=2000 " JOBSTOP " argv=[cmd]"},
	};

	run_good(cases, LEN(cases));
}

Test(persona, dumb_init_defaults_fields)
{
	struct config cfg;
	char err[64] = "";
	char *argv[] = {"dumb-init", "cmd", NULL};

	cr_assert_eq(config_parse(&cfg, 2, argv, NULL, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect(cfg.setsid);
	cr_expect(cfg.group);
	cr_expect_eq(cfg.rewrite[SIGTSTP], SIGSTOP);
	cr_expect_eq(cfg.rewrite[SIGTTIN], SIGSTOP);
	cr_expect_eq(cfg.rewrite[SIGTTOU], SIGSTOP);
	for (int s = 1; s <= SIGTAB_MAX; s++) {
		if (s != SIGTSTP && s != SIGTTIN && s != SIGTTOU) {
			cr_expect_eq(cfg.rewrite[s], s, "rewrite[%d] = %d", s, cfg.rewrite[s]);
		}
	}
	cr_expect_eq(cfg.verbosity, LOG_WARN);
	cr_expect_eq(cfg.argv, argv + 1);
}

Test(persona, dumb_init_single_child)
{
	static const struct good_case cases[] = {
	    /* -c: no session of its own, signals to the child only, no job-control rewrite. */
	    {"dumb-init", {"-c", "cmd"}, {NULL}, "dumb-init argv=[cmd]"},
	    {"dumb-init", {"--single-child", "cmd"}, {NULL}, "dumb-init argv=[cmd]"},
	    {"dumb-init", {"-c", "-c", "cmd"}, {NULL}, "dumb-init argv=[cmd]"},
	    {"dumb-init", {"-cv", "cmd"}, {NULL}, "dumb-init verbosity=3 argv=[cmd]"},
	    {"dumb-init", {"-vc", "cmd"}, {NULL}, "dumb-init verbosity=3 argv=[cmd]"},
	    {"dumb-init", {"-c", "--", "cmd"}, {NULL}, "dumb-init argv=[cmd]"},
	    /* DUMB_INIT_SETSID=0, exactly "0", is -c. */
	    {"dumb-init", {"cmd"}, {"DUMB_INIT_SETSID=0"}, "dumb-init argv=[cmd]"},
	    {"dumb-init", {"-c", "cmd"}, {"DUMB_INIT_SETSID=0"}, "dumb-init argv=[cmd]"},
	    /* Any other value means nothing (dumb-init compares with "0"). */
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_SETSID=1"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_SETSID=00"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_SETSID=false"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_SETSID="},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_SETSID=0 "},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_SETSID"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"XDUMB_INIT_SETSID=0"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    /* The init's own -g (or INIT_GROUP) still asks for the group; flags win. */
	    {"dumb-init", {"-g", "-c", "cmd"}, {NULL}, "dumb-init group argv=[cmd]"},
	    {"dumb-init", {"-c", "-g", "cmd"}, {NULL}, "dumb-init group argv=[cmd]"},
	    {"dumb-init", {"-g", "cmd"}, {"DUMB_INIT_SETSID=0"}, "dumb-init group argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"INIT_GROUP=1", "DUMB_INIT_SETSID=0"},
	     "dumb-init group argv=[cmd]"},
	    /* -r under -c: as given, nothing added. */
	    {"dumb-init",
	     {"-c", "-r", "15:10", "cmd"},
	     {NULL},
	     "dumb-init rewrite=15:10 argv=[cmd]"},
	};

	run_good(cases, LEN(cases));
}

Test(persona, dumb_init_rewrite)
{
	static const struct good_case cases[] = {
	    {"dumb-init",
	     {"-r", "15:3", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=15:3,20:19,21:19,22:19 argv=[cmd]"},
	    {"dumb-init",
	     {"--rewrite", "15:3", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=15:3,20:19,21:19,22:19 argv=[cmd]"},
	    {"dumb-init",
	     {"--rewrite=15:3", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=15:3,20:19,21:19,22:19 argv=[cmd]"},
	    {"dumb-init",
	     {"-r15:3", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=15:3,20:19,21:19,22:19 argv=[cmd]"},
	    /* R = 0 drops S; the edges 1 and 31 on both sides. */
	    {"dumb-init",
	     {"-r", "1:0", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=1:0,20:19,21:19,22:19 argv=[cmd]"},
	    {"dumb-init",
	     {"-r", "31:1", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=20:19,21:19,22:19,31:1 argv=[cmd]"},
	    {"dumb-init",
	     {"-r", "1:31", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=1:31,20:19,21:19,22:19 argv=[cmd]"},
	    {"dumb-init",
	     {"-r", "10:0", "-r", "15:10", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=10:0,15:10,20:19,21:19,22:19 argv=[cmd]"},
	    /* The last -r for a signal wins. */
	    {"dumb-init",
	     {"-r", "15:3", "-r", "15:2", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=15:2,20:19,21:19,22:19 argv=[cmd]"},
	    /* A rewrite of a job-control signal replaces the SIGSTOP, for that one only. */
	    {"dumb-init",
	     {"-r", "20:20", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=21:19,22:19 argv=[cmd]"},
	    {"dumb-init",
	     {"-r", "20:10", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=20:10,21:19,22:19 argv=[cmd]"},
	    {"dumb-init",
	     {"-r", "21:0", "-r", "22:22", "cmd"},
	     {NULL},
	     "dumb-init setsid group rewrite=20:19,21:0 argv=[cmd]"},
	    {"dumb-init",
	     {"-r", "20:20", "-r", "21:21", "-r", "22:22", "cmd"},
	     {NULL},
	     "dumb-init setsid group argv=[cmd]"},
	};

	run_good(cases, LEN(cases));
}

Test(persona, dumb_init_verbosity)
{
	static const struct good_case cases[] = {
	    /* -v is debug at once (all the init's debug lines), and more -v change nothing. */
	    {"dumb-init",
	     {"-v", "cmd"},
	     {NULL},
	     "dumb-init setsid group verbosity=3 " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"--verbose", "cmd"},
	     {NULL},
	     "dumb-init setsid group verbosity=3 " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"-vv", "cmd"},
	     {NULL},
	     "dumb-init setsid group verbosity=3 " JOBSTOP " argv=[cmd]"},
	    /* DUMB_INIT_DEBUG=1, exactly "1", likewise. */
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_DEBUG=1"},
	     "dumb-init setsid group verbosity=3 " JOBSTOP " argv=[cmd]"},
	    {"dumb-init", {"-c", "cmd"}, {"DUMB_INIT_DEBUG=1"}, "dumb-init verbosity=3 argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_DEBUG=0"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_DEBUG=true"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_DEBUG=01"},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_DEBUG="},
	     "dumb-init setsid group " JOBSTOP " argv=[cmd]"},
	    /* A default only: the command line and INIT_VERBOSITY win. */
	    {"dumb-init",
	     {"-q", "cmd"},
	     {"DUMB_INIT_DEBUG=1"},
	     "dumb-init setsid group verbosity=0 " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"DUMB_INIT_DEBUG=1", "INIT_VERBOSITY=0"},
	     "dumb-init setsid group verbosity=0 " JOBSTOP " argv=[cmd]"},
	    {"dumb-init",
	     {"cmd"},
	     {"INIT_VERBOSITY=0", "DUMB_INIT_DEBUG=1"},
	     "dumb-init setsid group verbosity=0 " JOBSTOP " argv=[cmd]"},
	};

	run_good(cases, LEN(cases));
}

struct bad_case {
	const char *argv0;
	const char *args[MAX_ARGS];
	const char *env[MAX_ENV];
	const char *want[2]; /* substrings of the message */
};

Test(persona, dumb_init_bad_usage)
{
	static const struct bad_case cases[] = {
	    /* -r: numbers only, S 1-31, R 0-31, exactly one colon. */
	    {"dumb-init", {"-r", "0:1", "cmd"}, {NULL}, {"'0:1'", "-r"}},
	    {"dumb-init", {"-r", "32:1", "cmd"}, {NULL}, {"'32:1'", "-r"}},
	    {"dumb-init", {"-r", "1:32", "cmd"}, {NULL}, {"'1:32'", "-r"}},
	    {"dumb-init", {"-r", "34:1", "cmd"}, {NULL}, {"'34:1'", "-r"}},
	    {"dumb-init", {"-r", "1:64", "cmd"}, {NULL}, {"'1:64'", "-r"}},
	    {"dumb-init", {"-r", "TERM:INT", "cmd"}, {NULL}, {"'TERM:INT'", "-r"}},
	    {"dumb-init", {"-r", "SIGTERM:2", "cmd"}, {NULL}, {"'SIGTERM:2'", "-r"}},
	    {"dumb-init", {"-r", "15:INT", "cmd"}, {NULL}, {"'15:INT'", "-r"}},
	    {"dumb-init", {"-r", "15", "cmd"}, {NULL}, {"'15'", "-r"}},
	    {"dumb-init", {"-r", "15:", "cmd"}, {NULL}, {"'15:'", "-r"}},
	    {"dumb-init", {"-r", ":3", "cmd"}, {NULL}, {"':3'", "-r"}},
	    {"dumb-init", {"-r", "15:3:4", "cmd"}, {NULL}, {"'15:3:4'", "-r"}},
	    {"dumb-init", {"-r", "-1:1", "cmd"}, {NULL}, {"'-1:1'", "-r"}},
	    {"dumb-init", {"-r", "1:-1", "cmd"}, {NULL}, {"'1:-1'", "-r"}},
	    {"dumb-init", {"--rewrite=32:1", "cmd"}, {NULL}, {"'32:1'", "--rewrite"}},
	    {"dumb-init", {"-r"}, {NULL}, {"-r", "needs a value"}},
	    /* The init's own options that dumb-init lacks are still unknown only where they are. */
	    {"dumb-init", {"--bogus", "cmd"}, {NULL}, {"'--bogus'", "unknown option"}},
	    {"dumb-init", {"-Z", "cmd"}, {NULL}, {"'-Z'", "unknown option"}},
	    {"dumb-init",
	     {"--single-child=1", "cmd"},
	     {NULL},
	     {"--single-child", "takes no value"}},
	    {"dumb-init", {"-c"}, {NULL}, {"no command", "no command"}},
	    {"dumb-init", {NULL}, {NULL}, {"no command", "no command"}},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		const struct bad_case *c = &cases[i];
		struct config cfg;
		char err[256] = "";
		int rc = config_case_parse(&cfg, c->argv0, c->args, c->env, err, sizeof(err));

		cr_expect_eq(rc, -EINVAL, "case %zu (%s %s ...): rc %d, want -EINVAL", i, c->argv0,
		             c->args[0] ? c->args[0] : "", rc);
		for (size_t k = 0; k < LEN(c->want); k++) {
			cr_expect_not_null(strstr(err, c->want[k]),
			                   "case %zu (%s %s ...): \"%s\" lacks \"%s\"", i, c->argv0,
			                   c->args[0] ? c->args[0] : "", err, c->want[k]);
		}
		cr_expect_null(strchr(err, '\n'), "case %zu: newline in \"%s\"", i, err);
		/* main exits with the persona's code: 1 here. */
		cr_expect_eq(cfg.persona->usage_exit, 1, "case %zu: usage exit %d", i,
		             cfg.persona->usage_exit);
	}
}

/* ---- Under every other name nothing changes ------------------------------------------ */

/* -c is dumb-init's: an unknown option under the other names (main exits 2). */
Test(persona, single_child_unknown_elsewhere)
{
	static const char *const names[] = {"init",      "tini",       "/usr/bin/docker-init",
	                                    "catatonit", "dumb-init2", "xdumb-init"};
	static const struct {
		const char *args[MAX_ARGS];
		const char *want;
	} cases[] = {
	    {{"-c", "cmd"}, "unknown option '-c'"},
	    {{"--single-child", "cmd"}, "unknown option '--single-child'"},
	    {{"-gc", "cmd"}, "unknown option '-c' in '-gc'"},
	};

	for (size_t n = 0; n < LEN(names); n++) {
		for (size_t i = 0; i < LEN(cases); i++) {
			struct config cfg;
			char err[256] = "";
			int rc =
			    config_case_parse(&cfg, names[n], cases[i].args,
			                      (const char *const[MAX_ENV]){NULL}, err, sizeof(err));

			cr_expect_eq(rc, -EINVAL, "%s %s: rc %d", names[n], cases[i].args[0], rc);
			cr_expect_str_eq(err, cases[i].want, "%s %s: \"%s\"", names[n],
			                 cases[i].args[0], err);
			cr_expect_eq(cfg.persona->usage_exit, 2, "%s: usage exit %d", names[n],
			             cfg.persona->usage_exit);
		}
	}
}

/*
 * The same command lines and environments under "init" and under each other name give the
 * same struct config, or the same error: the dumb-init variables and -r numbers mean nothing
 * special there.
 */
Test(persona, other_names_change_nothing)
{
	static const char *const names[] = {
	    "tini",       "/sbin/tini", "docker-init", "catatonit", "/usr/libexec/podman/catatonit",
	    "dumb-init2", "",           NULL};
	static const struct {
		const char *args[MAX_ARGS];
		const char *env[MAX_ENV];
		const char *want; /* under "init"; "!" + message for an error */
	} cases[] = {
	    {{"cmd"}, {NULL}, "init argv=[cmd]"},
	    {{"-v", "cmd"}, {NULL}, "init verbosity=2 argv=[cmd]"},
	    {{"-vv", "cmd"}, {NULL}, "init verbosity=3 argv=[cmd]"},
	    {{"-g", "-s", "cmd"}, {NULL}, "init group subreaper argv=[cmd]"},
	    {{"-r", "TERM:INT", "cmd"}, {NULL}, "init rewrite=15:2 argv=[cmd]"},
	    {{"-r", "15:3", "cmd"}, {NULL}, "init rewrite=15:3 argv=[cmd]"},
	    {{"-r", "34:1", "cmd"}, {NULL}, "init rewrite=34:1 argv=[cmd]"},
	    {{"-r", "20:20", "cmd"}, {NULL}, "init argv=[cmd]"},
	    {{"cmd"}, {"DUMB_INIT_SETSID=0"}, "init argv=[cmd]"},
	    {{"cmd"}, {"DUMB_INIT_SETSID=1"}, "init argv=[cmd]"},
	    {{"cmd"}, {"DUMB_INIT_DEBUG=1"}, "init argv=[cmd]"},
	    {{"-P"}, {NULL}, "init pause argv=NULL"},
	    {{"-r", "0:1", "cmd"}, {NULL}, "!invalid rewrite '0:1' for -r (FROM:TO, TO=0 drops)"},
	    {{"-r", "15", "cmd"}, {NULL}, "!invalid rewrite '15' for -r (FROM:TO, TO=0 drops)"},
	    {{"--bogus", "cmd"}, {NULL}, "!unknown option '--bogus'"},
	    {{NULL}, {NULL}, "!no command given"},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		for (size_t n = 0; n <= LEN(names); n++) {
			/* n == LEN(names): "init" itself, checked against the table. */
			const char *name = n < LEN(names) ? names[n] : "init";
			struct config cfg;
			char err[256] = "", got[512] = "";
			int rc = config_case_parse(&cfg, name, cases[i].args, cases[i].env, err,
			                           sizeof(err));

			if (rc == 0) {
				config_summary(&cfg, true, got, sizeof(got));
			} else {
				snprintf(got, sizeof(got), "!%s", err);
			}
			cr_expect_str_eq(got, cases[i].want,
			                 "case %zu under '%s': got \"%s\", want \"%s\"", i,
			                 name ? name : "(null)", got, cases[i].want);
			cr_expect_not(cfg.setsid, "case %zu under '%s': setsid", i,
			              name ? name : "(null)");
		}
	}
}

/* An empty argv (argc 0): the init's own persona, and no command. */
Test(persona, empty_argv)
{
	struct config cfg;
	char err[64] = "";
	char *argv[] = {NULL};

	cr_expect_eq(config_parse(&cfg, 0, argv, NULL, err, sizeof(err)), -EINVAL);
	cr_assert_not_null(cfg.persona);
	cr_expect_str_eq(cfg.persona->name, "init");
	cr_expect_str_eq(err, "no command given");
}

/*
 * Unit tests for src/config.c. Each good case is checked against the whole struct config:
 * config_summary() prints every field that differs from the defaults, so a case also fails when
 * it changes something it should not have.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "version.h"
#include "help.h"

#include "config_case.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* config_parse() on "init" + @args and @env. */
static int run(struct config *cfg, const char *const args[MAX_ARGS], const char *const env[MAX_ENV],
               char *err, size_t errlen)
{
	return config_case_parse(cfg, "init", args, env, err, errlen);
}

struct good_case {
	const char *args[MAX_ARGS];
	const char *env[MAX_ENV];
	const char *want;
};

static void run_good(const struct good_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct config cfg;
		char err[256] = "", got[512];
		int rc = run(&cfg, cases[i].args, cases[i].env, err, sizeof(err));

		cr_expect_eq(rc, 0, "case %zu (%s ...): rc %d, err \"%s\"", i,
		             cases[i].args[0] ? cases[i].args[0] : "", rc, err);
		if (rc != 0) {
			continue;
		}
		config_summary(&cfg, false, got, sizeof(got));
		cr_expect_str_eq(got, cases[i].want, "case %zu (%s ...): got \"%s\", want \"%s\"",
		                 i, cases[i].args[0] ? cases[i].args[0] : "", got, cases[i].want);
	}
}

Test(config, defaults)
{
	struct config cfg;
	char err[64] = "";
	char *argv[] = {"init", "cmd", "arg", NULL};
	char *envp[] = {"PATH=/bin", "HOME=/", NULL};

	cr_assert_eq(config_parse(&cfg, 3, argv, envp, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect_eq(cfg.action, CONFIG_RUN);
	cr_expect_eq(cfg.verbosity, 1);
	cr_expect_eq(cfg.grace_ms, 5000);
	cr_expect_eq(cfg.kill_after_ms, CONFIG_NEVER);
	cr_expect_eq(cfg.pdeathsig, 0);
	cr_expect_not(cfg.group);
	cr_expect_not(cfg.subreaper);
	cr_expect_not(cfg.warn_reap);
	cr_expect_not(cfg.pause);
	cr_expect_null(cfg.user);
	cr_expect_eq(cfg.n_cap_drop, 0);
	cr_expect_eq(cfg.n_cap_add, 0);
	cr_expect_not(cfg.no_new_privs);
	cr_expect_eq(cfg.term_delay_ms, 0);
	cr_expect_null(cfg.termination_log);
	for (int s = 0; s <= SIGTAB_MAX; s++) {
		cr_expect_eq(cfg.rewrite[s], s, "rewrite[%d] = %d", s, cfg.rewrite[s]);
	}
	for (int c = 0; c <= 255; c++) {
		cr_expect_not(status_map_has(&cfg.expect, c), "expect has %d", c);
	}
	/* The command is the caller's own argv, not a copy. */
	cr_expect_eq(cfg.argv, argv + 1);

	/* A NULL envp is an empty environment. */
	cr_assert_eq(config_parse(&cfg, 3, argv, NULL, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect_eq(cfg.argv, argv + 1);
	cr_expect_eq(cfg.verbosity, 1);
}

Test(config, command_line)
{
	static const struct good_case cases[] = {
	    {{"cmd"}, {NULL}, "argv=[cmd]"},
	    {{"cmd", "-g", "--bogus"}, {NULL}, "argv=[cmd,-g,--bogus]"},
	    {{"-"}, {NULL}, "argv=[-]"},
	    {{"--", "-g"}, {NULL}, "argv=[-g]"},
	    {{"--", "--"}, {NULL}, "argv=[--]"},
	    {{"-g", "--", "cmd", "-v"}, {NULL}, "group argv=[cmd,-v]"},
	    {{"-g", "cmd"}, {NULL}, "group argv=[cmd]"},
	    {{"--group", "cmd"}, {NULL}, "group argv=[cmd]"},
	    {{"-s", "cmd"}, {NULL}, "subreaper argv=[cmd]"},
	    {{"--subreaper", "cmd"}, {NULL}, "subreaper argv=[cmd]"},
	    {{"-w", "cmd"}, {NULL}, "warn_reap argv=[cmd]"},
	    {{"--warn-reap", "cmd"}, {NULL}, "warn_reap argv=[cmd]"},
	    {{"-gvw", "cmd"}, {NULL}, "group warn_reap verbosity=2 argv=[cmd]"},
	    {{"-ge42", "cmd"}, {NULL}, "group expect=42 argv=[cmd]"},
	    /* -e in every spelling, and repeated. */
	    {{"-e42", "cmd"}, {NULL}, "expect=42 argv=[cmd]"},
	    {{"-e", "42", "cmd"}, {NULL}, "expect=42 argv=[cmd]"},
	    {{"--expect-exit=42", "cmd"}, {NULL}, "expect=42 argv=[cmd]"},
	    {{"--expect-exit", "42", "cmd"}, {NULL}, "expect=42 argv=[cmd]"},
	    {{"-e", "1", "-e", "143", "-e0", "cmd"}, {NULL}, "expect=0,1,143 argv=[cmd]"},
	    {{"-e", "255", "cmd"}, {NULL}, "expect=255 argv=[cmd]"},
	    /* Verbosity. */
	    {{"-v", "cmd"}, {NULL}, "verbosity=2 argv=[cmd]"},
	    {{"-v", "-v", "cmd"}, {NULL}, "verbosity=3 argv=[cmd]"},
	    {{"--verbose", "--verbose", "cmd"}, {NULL}, "verbosity=3 argv=[cmd]"},
	    {{"-vvvv", "cmd"}, {NULL}, "verbosity=3 argv=[cmd]"},
	    {{"-q", "cmd"}, {NULL}, "verbosity=0 argv=[cmd]"},
	    {{"--quiet", "cmd"}, {NULL}, "verbosity=0 argv=[cmd]"},
	    {{"-qq", "cmd"}, {NULL}, "verbosity=0 argv=[cmd]"},
	    {{"-vq", "cmd"}, {NULL}, "argv=[cmd]"},
	    {{"-qqv", "cmd"}, {NULL}, "verbosity=0 argv=[cmd]"}, /* 1 - 2 + 1 */
	    /* Signals. */
	    {{"-p", "TERM", "cmd"}, {NULL}, "pdeathsig=15 argv=[cmd]"},
	    {{"-pKILL", "cmd"}, {NULL}, "pdeathsig=9 argv=[cmd]"},
	    {{"--pdeathsig=SIGUSR1", "cmd"}, {NULL}, "pdeathsig=10 argv=[cmd]"},
	    {{"--pdeathsig", "rtmin+2", "cmd"}, {NULL}, "pdeathsig=36 argv=[cmd]"},
	    {{"-r", "TERM:INT", "cmd"}, {NULL}, "rewrite=15:2 argv=[cmd]"},
	    {{"--rewrite=USR1:0", "-r", "HUP:TERM", "cmd"}, {NULL}, "rewrite=1:15,10:0 argv=[cmd]"},
	    {{"-r", "TERM:INT", "-r", "TERM:QUIT", "cmd"}, {NULL}, "rewrite=15:3 argv=[cmd]"},
	    /* Durations. */
	    {{"-t", "500ms", "cmd"}, {NULL}, "grace=500 argv=[cmd]"},
	    {{"-t0", "cmd"}, {NULL}, "grace=0 argv=[cmd]"},
	    {{"--grace=10", "cmd"}, {NULL}, "grace=10000 argv=[cmd]"},
	    {{"--grace", "1h", "cmd"}, {NULL}, "grace=3600000 argv=[cmd]"},
	    {{"-k", "2s", "cmd"}, {NULL}, "kill=2000 argv=[cmd]"},
	    {{"--kill-after=2m", "cmd"}, {NULL}, "kill=120000 argv=[cmd]"},
	    {{"-k", "0", "cmd"}, {NULL}, "kill=0 argv=[cmd]"},
	    /* Pause mode has no command. */
	    {{"-P"}, {NULL}, "pause argv=NULL"},
	    {{"--pause", "-g"}, {NULL}, "group pause argv=NULL"},
	    {{"-P", "--"}, {NULL}, "pause argv=NULL"},
	    /* Everything at once. */
	    {{"-sgw", "-p", "HUP", "-e3", "-r", "INT:TERM", "-t1s", "-k3", "-v", "x"},
	     {NULL},
	     "group subreaper warn_reap pdeathsig=1 verbosity=2 grace=1000 kill=3000 rewrite=2:15 "
	     "expect=3 argv=[x]"},
	};

	run_good(cases, LEN(cases));
}

Test(config, help_and_version)
{
	static const struct good_case cases[] = {
	    {{"-h"}, {NULL}, "action=help argv=NULL"},
	    {{"--help"}, {NULL}, "action=help argv=NULL"},
	    {{"-h", "cmd"}, {NULL}, "action=help argv=NULL"},
	    {{"-g", "-h"}, {NULL}, "action=help group argv=NULL"},
	    {{"-V"}, {NULL}, "action=version argv=NULL"},
	    {{"--features"}, {NULL}, "action=features argv=NULL"},
	    {{"--features", "-V"}, {NULL}, "action=features argv=NULL"},
	    {{"--version"}, {NULL}, "action=version argv=NULL"},
	    /* The first of -h and -V ends parsing. */
	    {{"-V", "-h"}, {NULL}, "action=version argv=NULL"},
	    {{"-h", "-V"}, {NULL}, "action=help argv=NULL"},
	    {{"-hV"}, {NULL}, "action=help argv=NULL"},
	    /* -P with a command is an error, but help comes first. */
	    {{"-P", "-h", "cmd"}, {NULL}, "action=help pause argv=NULL"},
	    /* The environment is not even looked at: a bad variable does not stop --help. */
	    {{"-h"}, {"INIT_GRACE=abc", "INIT_VERBOSITY=loud"}, "action=help argv=NULL"},
	    {{"-V"}, {"INIT_GROUP=1"}, "action=version argv=NULL"},
	    /* After the command, -h is the command's. */
	    {{"cmd", "-h"}, {NULL}, "argv=[cmd,-h]"},
	};

	run_good(cases, LEN(cases));
}

/*
 * -h and -V end parsing where they stand, as in tini: what comes after them is not looked at,
 * what comes before them is.
 */
Test(config, help_ends_parsing)
{
	static const struct {
		const char *args[MAX_ARGS];
		int rc;
		enum config_action action;
		const char *want;
	} cases[] = {
	    {{"-h", "--bogus", "cmd"}, 0, CONFIG_HELP, ""},
	    {{"-h", "-e", "256"}, 0, CONFIG_HELP, ""},
	    {{"-hZ"}, 0, CONFIG_HELP, ""},
	    {{"-V", "-p", "FOO"}, 0, CONFIG_VERSION, ""},
	    {{"--bogus", "-h"}, -EINVAL, CONFIG_RUN, "unknown option '--bogus'"},
	    {{"-Zh"}, -EINVAL, CONFIG_RUN, "unknown option '-Z'"},
	    {{"-gZ"}, -EINVAL, CONFIG_RUN, "unknown option '-Z' in '-gZ'"},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		struct config cfg;
		char err[256] = "";
		int rc =
		    run(&cfg, cases[i].args, (const char *const[MAX_ENV]){NULL}, err, sizeof(err));

		cr_expect_eq(rc, cases[i].rc, "case %zu: rc %d", i, rc);
		cr_expect_str_eq(err, cases[i].want, "case %zu: \"%s\"", i, err);
		if (rc == 0) {
			cr_expect_eq(cfg.action, cases[i].action, "case %zu: action %d", i,
			             cfg.action);
		}
	}
}

Test(config, environment)
{
	static const struct good_case cases[] = {
	    {{"cmd"}, {"INIT_VERBOSITY=3"}, "verbosity=3 argv=[cmd]"},
	    {{"cmd"}, {"INIT_VERBOSITY=0"}, "verbosity=0 argv=[cmd]"},
	    {{"cmd"}, {"INIT_VERBOSITY=4"}, "verbosity=3 argv=[cmd]"},
	    {{"cmd"}, {"TINI_VERBOSITY=2"}, "verbosity=2 argv=[cmd]"},
	    {{"cmd"}, {"TINI_VERBOSITY=2", "INIT_VERBOSITY=3"}, "verbosity=3 argv=[cmd]"},
	    {{"cmd"}, {"INIT_VERBOSITY=0", "TINI_VERBOSITY=2"}, "verbosity=0 argv=[cmd]"},
	    /* -v and -q win over the environment, and then count from the default. */
	    {{"-v", "cmd"}, {"INIT_VERBOSITY=0"}, "verbosity=2 argv=[cmd]"},
	    {{"-q", "cmd"}, {"INIT_VERBOSITY=3"}, "verbosity=0 argv=[cmd]"},
	    {{"-v", "cmd"}, {"INIT_VERBOSITY=loud"}, "verbosity=2 argv=[cmd]"},
	    /* Switches. */
	    {{"cmd"}, {"INIT_GROUP=1"}, "group argv=[cmd]"},
	    {{"cmd"}, {"INIT_GROUP=yes"}, "group argv=[cmd]"},
	    {{"cmd"}, {"INIT_GROUP=0"}, "argv=[cmd]"},
	    {{"cmd"}, {"INIT_GROUP="}, "argv=[cmd]"},
	    {{"cmd"}, {"TINI_KILL_PROCESS_GROUP="}, "group argv=[cmd]"},
	    {{"cmd"}, {"TINI_KILL_PROCESS_GROUP=0"}, "group argv=[cmd]"},
	    {{"cmd"}, {"INIT_SUBREAPER=on"}, "subreaper argv=[cmd]"},
	    {{"cmd"}, {"TINI_SUBREAPER="}, "subreaper argv=[cmd]"},
	    {{"cmd"}, {"INIT_WARN_REAP=TRUE"}, "warn_reap argv=[cmd]"},
	    /* INIT_GROUP, when set, wins over TINI_KILL_PROCESS_GROUP's presence. */
	    {{"cmd"}, {"INIT_GROUP=0", "TINI_KILL_PROCESS_GROUP=1"}, "argv=[cmd]"},
	    /* Names must match exactly. */
	    {{"cmd"}, {"INIT_GROUPX=1", "XINIT_GROUP=1", "INIT_GROUP"}, "argv=[cmd]"},
	    {{"cmd"}, {"INIT_VERBOSITYX=9"}, "argv=[cmd]"},
	    /* Values. */
	    {{"cmd"}, {"INIT_PDEATHSIG=USR1"}, "pdeathsig=10 argv=[cmd]"},
	    {{"cmd"}, {"INIT_EXPECT_EXIT=42,143"}, "expect=42,143 argv=[cmd]"},
	    {{"cmd"}, {"INIT_EXPECT_EXIT=42, 143,,"}, "expect=42,143 argv=[cmd]"},
	    {{"cmd"}, {"INIT_EXPECT_EXIT="}, "argv=[cmd]"},
	    {{"cmd"}, {"INIT_REWRITE=TERM:INT USR1:0"}, "rewrite=10:0,15:2 argv=[cmd]"},
	    {{"cmd"}, {"INIT_REWRITE=TERM:INT,USR1:0"}, "rewrite=10:0,15:2 argv=[cmd]"},
	    {{"cmd"}, {"INIT_GRACE=2m"}, "grace=120000 argv=[cmd]"},
	    {{"cmd"}, {"INIT_KILL_AFTER=30"}, "kill=30000 argv=[cmd]"},
	    {{"-P"}, {"INIT_GROUP=1"}, "group pause argv=NULL"},
	    /* Flags win, and the losing variable is not even checked. */
	    {{"-t", "1s", "cmd"}, {"INIT_GRACE=2m"}, "grace=1000 argv=[cmd]"},
	    {{"-t", "1s", "cmd"}, {"INIT_GRACE=abc"}, "grace=1000 argv=[cmd]"},
	    {{"-e", "1", "cmd"}, {"INIT_EXPECT_EXIT=42"}, "expect=1 argv=[cmd]"},
	    {{"-r", "HUP:0", "cmd"}, {"INIT_REWRITE=TERM:INT"}, "rewrite=1:0 argv=[cmd]"},
	    {{"-p", "HUP", "cmd"}, {"INIT_PDEATHSIG=TERM"}, "pdeathsig=1 argv=[cmd]"},
	    {{"-g", "cmd"}, {"INIT_GROUP=maybe"}, "group argv=[cmd]"},
	    /* The first entry of a repeated name wins, as getenv() does. */
	    {{"cmd"}, {"INIT_GRACE=1", "INIT_GRACE=2"}, "grace=1000 argv=[cmd]"},
	};

	run_good(cases, LEN(cases));
}

/*
 * --term-delay and --termination-log (issue 9), from flags and the environment. Pause mode
 * takes both: the delay holds its drain, and the message says how it ended.
 */
Test(config, kubernetes)
{
	static const struct good_case cases[] = {
	    {{"--term-delay", "5s", "cmd"}, {NULL}, "term_delay=5000 argv=[cmd]"},
	    {{"--term-delay=500ms", "cmd"}, {NULL}, "term_delay=500 argv=[cmd]"},
	    {{"--term-delay", "2", "cmd"}, {NULL}, "term_delay=2000 argv=[cmd]"},
	    {{"--term-delay", "1m", "cmd"}, {NULL}, "term_delay=60000 argv=[cmd]"},
	    {{"--term-delay", "0", "cmd"}, {NULL}, "argv=[cmd]"},
	    {{"--term-delay", "1s", "--term-delay", "3s", "cmd"},
	     {NULL},
	     "term_delay=3000 argv=[cmd]"},
	    {{"--termination-log", "/dev/termination-log", "cmd"},
	     {NULL},
	     "termination_log=/dev/termination-log argv=[cmd]"},
	    {{"--termination-log=msg", "cmd"}, {NULL}, "termination_log=msg argv=[cmd]"},
	    /* A value that looks like a flag is still the value. */
	    {{"--termination-log", "-g", "cmd"}, {NULL}, "termination_log=-g argv=[cmd]"},
	    {{"--termination-log=a=b c", "cmd"}, {NULL}, "termination_log=a=b c argv=[cmd]"},
	    {{"-P", "--term-delay", "5s", "--termination-log", "/m"},
	     {NULL},
	     "pause term_delay=5000 termination_log=/m argv=NULL"},
	    {{"-k", "1s", "--term-delay", "5s", "-t", "2s", "cmd"},
	     {NULL},
	     "grace=2000 kill=1000 term_delay=5000 argv=[cmd]"},
	    /* The environment. */
	    {{"cmd"}, {"INIT_TERM_DELAY=5s"}, "term_delay=5000 argv=[cmd]"},
	    {{"cmd"}, {"INIT_TERM_DELAY=0"}, "argv=[cmd]"},
	    {{"cmd"},
	     {"INIT_TERMINATION_LOG=/dev/termination-log"},
	     "termination_log=/dev/termination-log argv=[cmd]"},
	    {{"-P"},
	     {"INIT_TERM_DELAY=1s", "INIT_TERMINATION_LOG=/m"},
	     "pause term_delay=1000 termination_log=/m argv=NULL"},
	    /* Flags win, and the losing variable is not even checked. */
	    {{"--term-delay", "1s", "cmd"}, {"INIT_TERM_DELAY=9s"}, "term_delay=1000 argv=[cmd]"},
	    {{"--term-delay", "0", "cmd"}, {"INIT_TERM_DELAY=9s"}, "argv=[cmd]"},
	    {{"--term-delay", "1s", "cmd"}, {"INIT_TERM_DELAY=abc"}, "term_delay=1000 argv=[cmd]"},
	    {{"--termination-log", "/a", "cmd"},
	     {"INIT_TERMINATION_LOG=/b"},
	     "termination_log=/a argv=[cmd]"},
	    {{"--termination-log", "/a", "cmd"},
	     {"INIT_TERMINATION_LOG="},
	     "termination_log=/a argv=[cmd]"},
	    /* Names must match exactly; the first entry of a repeated name wins. */
	    {{"cmd"},
	     {"INIT_TERM_DELAYX=1s", "XINIT_TERM_DELAY=1s", "INIT_TERM_DELAY"},
	     "argv=[cmd]"},
	    {{"cmd"},
	     {"INIT_TERMINATION_LOG=/a", "INIT_TERMINATION_LOG=/b"},
	     "termination_log=/a argv=[cmd]"},
	    /* After the command, they are the command's. */
	    {{"cmd", "--term-delay", "5s"}, {NULL}, "argv=[cmd,--term-delay,5s]"},
	};

	run_good(cases, LEN(cases));
}

/* The path is the caller's own string (argv or environ), not a copy. */
Test(config, termination_log_points_into_argv_and_envp)
{
	struct config cfg;
	char err[64] = "";
	char *argv[] = {"init", "--termination-log", "/dev/termination-log", "cmd", NULL};
	char *argv_env[] = {"init", "cmd", NULL};
	char *envp[] = {"INIT_TERMINATION_LOG=/tmp/msg", NULL};

	cr_assert_eq(config_parse(&cfg, 4, argv, NULL, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect_eq(cfg.termination_log, argv[2]);
	cr_assert_eq(config_parse(&cfg, 2, argv_env, envp, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect_eq(cfg.termination_log, envp[0] + strlen("INIT_TERMINATION_LOG="));
}

/*
 * -u, --cap-drop, --cap-add, --no-new-privs (issue 8). config.c keeps the values as given:
 * main() resolves the user against /etc/passwd and privs.c the capability names, so "FOO" or
 * "bob" pass here. A list is one entry per flag (or per variable), split later.
 */
Test(config, privileges)
{
	static const struct good_case cases[] = {
	    {{"-u", "app", "cmd"}, {NULL}, "user=app argv=[cmd]"},
	    {{"-uapp", "cmd"}, {NULL}, "user=app argv=[cmd]"},
	    {{"--user=app:staff", "cmd"}, {NULL}, "user=app:staff argv=[cmd]"},
	    {{"--user", "1000:1000", "cmd"}, {NULL}, "user=1000:1000 argv=[cmd]"},
	    {{"-gu", "0", "cmd"}, {NULL}, "group user=0 argv=[cmd]"},
	    {{"-u", "bob", "cmd"}, {NULL}, "user=bob argv=[cmd]"},
	    /* The last -u wins, as for the other valued flags. */
	    {{"-u", "a", "-u", "b", "cmd"}, {NULL}, "user=b argv=[cmd]"},
	    /* After the command, -u is the command's. */
	    {{"cmd", "-u", "app"}, {NULL}, "argv=[cmd,-u,app]"},
	    {{"--cap-drop", "all", "cmd"}, {NULL}, "cap_drop=[all] argv=[cmd]"},
	    {{"--cap-drop=NET_RAW,CHOWN", "cmd"}, {NULL}, "cap_drop=[NET_RAW,CHOWN] argv=[cmd]"},
	    {{"--cap-drop", "NET_RAW", "--cap-drop", "chown", "cmd"},
	     {NULL},
	     "cap_drop=[NET_RAW|chown] argv=[cmd]"},
	    {{"--cap-drop", "NET_RAW CHOWN, SETUID", "cmd"},
	     {NULL},
	     "cap_drop=[NET_RAW CHOWN, SETUID] argv=[cmd]"},
	    {{"--cap-add", "net_bind_service", "cmd"},
	     {NULL},
	     "cap_add=[net_bind_service] argv=[cmd]"},
	    {{"--cap-add=CAP_NET_BIND_SERVICE", "--cap-add=cap_kill", "cmd"},
	     {NULL},
	     "cap_add=[CAP_NET_BIND_SERVICE|cap_kill] argv=[cmd]"},
	    {{"--cap-add", "FOO", "cmd"}, {NULL}, "cap_add=[FOO] argv=[cmd]"},
	    {{"--cap-drop=all", "--cap-add=NET_BIND_SERVICE", "cmd"},
	     {NULL},
	     "cap_drop=[all] cap_add=[NET_BIND_SERVICE] argv=[cmd]"},
	    {{"--no-new-privs", "cmd"}, {NULL}, "no_new_privs argv=[cmd]"},
	    {{"-u", "app", "--cap-drop", "all", "--cap-add", "NET_RAW", "--no-new-privs", "-g",
	      "cmd"},
	     {NULL},
	     "group user=app cap_drop=[all] cap_add=[NET_RAW] no_new_privs argv=[cmd]"},
	    /* The environment. */
	    {{"cmd"}, {"INIT_USER=app"}, "user=app argv=[cmd]"},
	    {{"cmd"}, {"INIT_USER=1000:50"}, "user=1000:50 argv=[cmd]"},
	    {{"cmd"}, {"INIT_CAP_DROP=all"}, "cap_drop=[all] argv=[cmd]"},
	    {{"cmd"}, {"INIT_CAP_DROP=NET_RAW, CHOWN"}, "cap_drop=[NET_RAW, CHOWN] argv=[cmd]"},
	    {{"cmd"}, {"INIT_CAP_ADD=NET_BIND_SERVICE"}, "cap_add=[NET_BIND_SERVICE] argv=[cmd]"},
	    {{"cmd"}, {"INIT_NO_NEW_PRIVS=1"}, "no_new_privs argv=[cmd]"},
	    {{"cmd"}, {"INIT_NO_NEW_PRIVS=yes"}, "no_new_privs argv=[cmd]"},
	    {{"cmd"}, {"INIT_NO_NEW_PRIVS=0"}, "argv=[cmd]"},
	    {{"cmd"}, {"INIT_NO_NEW_PRIVS="}, "argv=[cmd]"},
	    {{"cmd"},
	     {"INIT_USER=app", "INIT_CAP_DROP=all", "INIT_CAP_ADD=NET_RAW", "INIT_NO_NEW_PRIVS=on"},
	     "user=app cap_drop=[all] cap_add=[NET_RAW] no_new_privs argv=[cmd]"},
	    /* Names must match exactly. */
	    {{"cmd"}, {"INIT_USERS=app", "XINIT_USER=app", "INIT_USER"}, "argv=[cmd]"},
	    /* Flags win, and the losing variable is not even checked. */
	    {{"-u", "bob", "cmd"}, {"INIT_USER=app"}, "user=bob argv=[cmd]"},
	    {{"-u", "bob", "cmd"}, {"INIT_USER="}, "user=bob argv=[cmd]"},
	    {{"--cap-drop", "NET_RAW", "cmd"},
	     {"INIT_CAP_DROP=all"},
	     "cap_drop=[NET_RAW] argv=[cmd]"},
	    {{"--cap-drop", "NET_RAW", "cmd"},
	     {"INIT_CAP_DROP=1"},
	     "cap_drop=[NET_RAW] argv=[cmd]"},
	    {{"--cap-add", "CHOWN", "cmd"}, {"INIT_CAP_ADD=,"}, "cap_add=[CHOWN] argv=[cmd]"},
	    {{"--no-new-privs", "cmd"}, {"INIT_NO_NEW_PRIVS=0"}, "no_new_privs argv=[cmd]"},
	    {{"--no-new-privs", "cmd"}, {"INIT_NO_NEW_PRIVS=maybe"}, "no_new_privs argv=[cmd]"},
	    /* Each flag wins over its own variable only. */
	    {{"--cap-add", "CHOWN", "cmd"},
	     {"INIT_CAP_DROP=all", "INIT_USER=app"},
	     "user=app cap_drop=[all] cap_add=[CHOWN] argv=[cmd]"},
	    {{"-u", "bob", "cmd"},
	     {"INIT_CAP_ADD=NET_RAW"},
	     "user=bob cap_add=[NET_RAW] argv=[cmd]"},
	    /* Pause mode without any of them, or with the switch off. */
	    {{"-P"}, {"INIT_NO_NEW_PRIVS=0"}, "pause argv=NULL"},
	    /* --help does not look at them. */
	    {{"-h"}, {"INIT_USER=", "INIT_CAP_DROP=1"}, "action=help argv=NULL"},
	    {{"-P", "-u", "app", "-h"}, {NULL}, "action=help pause user=app argv=NULL"},
	};

	run_good(cases, LEN(cases));
}

/* The values are the caller's strings, not copies: argv and envp outlive the config. */
Test(config, privileges_point_into_argv_and_envp)
{
	struct config cfg;
	char err[256] = "";
	char *argv[] = {"init", "-u", "app", "--cap-drop=all", "--cap-add", "NET_RAW", "cmd", NULL};
	char *envp[] = {"INIT_CAP_ADD=CHOWN", "INIT_USER=bob", NULL};
	char *argv2[] = {"init", "--user=app", "cmd", NULL};

	cr_assert_eq(config_parse(&cfg, 7, argv, envp, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect_eq(cfg.user, argv[2]);
	cr_assert_eq(cfg.n_cap_drop, 1);
	cr_expect_eq(cfg.cap_drop[0], argv[3] + strlen("--cap-drop="));
	cr_assert_eq(cfg.n_cap_add, 1);
	cr_expect_eq(cfg.cap_add[0], argv[5]);

	cr_assert_eq(config_parse(&cfg, 3, argv2, envp, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect_eq(cfg.user, argv2[1] + strlen("--user="));
	cr_assert_eq(cfg.n_cap_add, 1);
	cr_expect_eq(cfg.cap_add[0], envp[0] + strlen("INIT_CAP_ADD="));
	cr_expect_eq(cfg.n_cap_drop, 0);

	cr_assert_eq(
	    config_parse(&cfg, 1 + 1, (char *[]){"init", "cmd", NULL}, envp, err, sizeof(err)), 0,
	    "err \"%s\"", err);
	cr_expect_eq(cfg.user, envp[1] + strlen("INIT_USER="));
}

/* "init", @drops --cap-drop=X flags and @adds --cap-add=CHOWN flags, interleaved, then "cmd". */
static int many_caps(char **argv, char names[][16], int drops, int adds)
{
	int argc = 0;

	argv[argc++] = "init";
	for (int k = 0; k < drops || k < adds; k++) {
		if (k < drops) {
			snprintf(names[k], 16, "--cap-drop=%c", 'A' + k);
			argv[argc++] = names[k];
		}
		if (k < adds) {
			argv[argc++] = "--cap-add=CHOWN";
		}
	}
	argv[argc++] = "cmd";
	argv[argc] = NULL;
	return argc;
}

/* At most CONFIG_CAP_ARGS of each flag: every one kept, in order; one more is an error. */
Test(config, privileges_many_cap_flags)
{
	char names[CONFIG_CAP_ARGS + 1][16];
	char *argv[2 * (CONFIG_CAP_ARGS + 1) + 3];
	struct config cfg;
	char err[256] = "";
	int argc = many_caps(argv, names, CONFIG_CAP_ARGS, CONFIG_CAP_ARGS);

	cr_assert_eq(config_parse(&cfg, argc, argv, NULL, err, sizeof(err)), 0, "err \"%s\"", err);
	cr_expect_eq(cfg.n_cap_drop, CONFIG_CAP_ARGS);
	cr_expect_eq(cfg.n_cap_add, CONFIG_CAP_ARGS);
	for (int k = 0; k < CONFIG_CAP_ARGS && k < (int)cfg.n_cap_drop; k++) {
		cr_expect_eq(cfg.cap_drop[k], names[k] + strlen("--cap-drop="), "cap_drop[%d]", k);
	}
	cr_expect_eq(cfg.argv, argv + argc - 1);

	argc = many_caps(argv, names, CONFIG_CAP_ARGS + 1, 0);
	cr_expect_eq(config_parse(&cfg, argc, argv, NULL, err, sizeof(err)), -EINVAL);
	cr_expect_not_null(strstr(err, "--cap-drop"), "\"%s\"", err);
	argc = many_caps(argv, names, 0, CONFIG_CAP_ARGS + 1);
	cr_expect_eq(config_parse(&cfg, argc, argv, NULL, err, sizeof(err)), -EINVAL);
	cr_expect_not_null(strstr(err, "--cap-add"), "\"%s\"", err);
}

struct bad_case {
	const char *args[MAX_ARGS];
	const char *env[MAX_ENV];
	const char *want[2]; /* substrings of the message */
};

static const struct bad_case bad_cases[] = {
    {{"-p", "FOO", "cmd"}, {NULL}, {"'FOO'", "-p"}},
    {{"-p", "0", "cmd"}, {NULL}, {"'0'", "-p"}},
    {{"--pdeathsig=65", "cmd"}, {NULL}, {"'65'", "--pdeathsig"}},
    {{"-e", "256", "cmd"}, {NULL}, {"'256'", "-e"}},
    {{"-e", "x", "cmd"}, {NULL}, {"'x'", "-e"}},
    {{"--expect-exit=-1", "cmd"}, {NULL}, {"'-1'", "--expect-exit"}},
    {{"-r", "TERM", "cmd"}, {NULL}, {"'TERM'", "-r"}},
    {{"-r", "KILL:TERM", "cmd"}, {NULL}, {"'KILL:TERM'", "-r"}},
    {{"--rewrite", "CHLD:TERM", "cmd"}, {NULL}, {"'CHLD:TERM'", "--rewrite"}},
    {{"-t", "5x", "cmd"}, {NULL}, {"'5x'", "-t"}},
    {{"-t", "-g", "cmd"}, {NULL}, {"'-g'", "-t"}},
    {{"--grace=", "cmd"}, {NULL}, {"''", "--grace"}},
    {{"-k", "-1", "cmd"}, {NULL}, {"'-1'", "-k"}},
    {{"--bogus", "cmd"}, {NULL}, {"'--bogus'", "unknown option"}},
    {{"--bogus=1", "cmd"}, {NULL}, {"'--bogus'", "unknown option"}},
    {{"--gro", "cmd"}, {NULL}, {"'--gro'", "unknown option"}},
    {{"-Z", "cmd"}, {NULL}, {"'-Z'", "unknown option"}},
    {{"-gZ", "cmd"}, {NULL}, {"'-Z'", "unknown option"}},
    {{"--grace"}, {NULL}, {"--grace", "needs a value"}},
    {{"-e"}, {NULL}, {"-e", "needs a value"}},
    {{"-ge"}, {NULL}, {"-e", "needs a value"}},
    /* A short flag takes no "=value": "-g=1" is -g then an unknown "-=". */
    {{"-g=1", "cmd"}, {NULL}, {"'-='", "unknown option"}},
    {{"--group=1", "cmd"}, {NULL}, {"--group", "takes no value"}},
    {{"--help=1"}, {NULL}, {"--help", "takes no value"}},
    {{NULL}, {NULL}, {"no command", "no command"}},
    {{"-g"}, {NULL}, {"no command", "no command"}},
    {{"--"}, {NULL}, {"no command", "no command"}},
    {{"-P", "cmd"}, {NULL}, {"'cmd'", "-P"}},
    {{"-P", "--", "cmd"}, {NULL}, {"'cmd'", "-P"}},
    /* The environment: the message names the variable. */
    {{"cmd"}, {"INIT_VERBOSITY=loud"}, {"'loud'", "INIT_VERBOSITY"}},
    {{"cmd"}, {"INIT_VERBOSITY=5"}, {"'5'", "INIT_VERBOSITY"}},
    {{"cmd"}, {"INIT_VERBOSITY="}, {"''", "INIT_VERBOSITY"}},
    {{"cmd"}, {"TINI_VERBOSITY=x"}, {"'x'", "TINI_VERBOSITY"}},
    {{"cmd"}, {"INIT_GRACE=abc"}, {"'abc'", "INIT_GRACE"}},
    {{"cmd"}, {"INIT_KILL_AFTER=1y"}, {"'1y'", "INIT_KILL_AFTER"}},
    {{"cmd"}, {"INIT_GROUP=maybe"}, {"'maybe'", "INIT_GROUP"}},
    {{"cmd"}, {"INIT_SUBREAPER=2"}, {"'2'", "INIT_SUBREAPER"}},
    {{"cmd"}, {"INIT_WARN_REAP=y"}, {"'y'", "INIT_WARN_REAP"}},
    {{"cmd"}, {"INIT_PDEATHSIG=0"}, {"'0'", "INIT_PDEATHSIG"}},
    {{"cmd"}, {"INIT_EXPECT_EXIT=1,x"}, {"'x'", "INIT_EXPECT_EXIT"}},
    {{"cmd"}, {"INIT_EXPECT_EXIT=1,256"}, {"'256'", "INIT_EXPECT_EXIT"}},
    {{"cmd"}, {"INIT_REWRITE=TERM:INT FOO:1"}, {"'FOO:1'", "INIT_REWRITE"}},
    {{"cmd"}, {"INIT_REWRITE=KILL:TERM"}, {"'KILL:TERM'", "INIT_REWRITE"}},
    {{"cmd"},
     {"INIT_EXPECT_EXIT=1,00000000000000000000000000000000000000000000000000000000000000000001"},
     {"'00000000000000000000000000000000000000000000000000000000000000000001'",
      "INIT_EXPECT_EXIT"}},
    /* Privileges (issue 8): only the shape is checked here. */
    {{"-u", "", "cmd"}, {NULL}, {"empty user", "-u"}},
    {{"--user=", "cmd"}, {NULL}, {"empty user", "--user"}},
    {{"-u"}, {NULL}, {"-u", "needs a value"}},
    {{"--user"}, {NULL}, {"--user", "needs a value"}},
    {{"--cap-drop"}, {NULL}, {"--cap-drop", "needs a value"}},
    {{"--cap-add"}, {NULL}, {"--cap-add", "needs a value"}},
    {{"--cap-drop", "", "cmd"}, {NULL}, {"''", "--cap-drop"}},
    {{"--cap-drop=,", "cmd"}, {NULL}, {"','", "--cap-drop"}},
    {{"--cap-drop=, ,", "cmd"}, {NULL}, {"', ,'", "--cap-drop"}},
    {{"--cap-add", "CAP_1", "cmd"}, {NULL}, {"'CAP_1'", "--cap-add"}},
    {{"--cap-add", "12", "cmd"}, {NULL}, {"'12'", "--cap-add"}},
    {{"--cap-add=NET_RAW;id", "cmd"}, {NULL}, {"'NET_RAW;id'", "--cap-add"}},
    {{"--cap-drop", "-g", "cmd"}, {NULL}, {"'-g'", "--cap-drop"}},
    {{"--no-new-privs=1", "cmd"}, {NULL}, {"--no-new-privs", "takes no value"}},
    {{"cmd"}, {"INIT_USER="}, {"empty user", "INIT_USER"}},
    {{"cmd"}, {"INIT_CAP_DROP="}, {"''", "INIT_CAP_DROP"}},
    {{"cmd"}, {"INIT_CAP_DROP=1"}, {"'1'", "INIT_CAP_DROP"}},
    {{"cmd"}, {"INIT_CAP_ADD=NET_RAW,2"}, {"'NET_RAW,2'", "INIT_CAP_ADD"}},
    {{"cmd"}, {"INIT_NO_NEW_PRIVS=maybe"}, {"'maybe'", "INIT_NO_NEW_PRIVS"}},
    /* Pause mode runs no child: none of them applies, from a flag or the environment. */
    {{"-P", "-u", "app"}, {NULL}, {"-P", "-u"}},
    {{"-u", "app", "-P"}, {NULL}, {"-P", "-u"}},
    {{"-P", "--cap-drop", "all"}, {NULL}, {"-P", "--cap-drop"}},
    {{"-P", "--cap-add=NET_RAW"}, {NULL}, {"-P", "--cap-add"}},
    {{"-P", "--no-new-privs"}, {NULL}, {"-P", "--no-new-privs"}},
    {{"-P"}, {"INIT_USER=app"}, {"-P", "-u"}},
    {{"-P"}, {"INIT_CAP_DROP=all"}, {"-P", "--cap-drop"}},
    {{"-P"}, {"INIT_CAP_ADD=CHOWN"}, {"-P", "--cap-add"}},
    {{"-P"}, {"INIT_NO_NEW_PRIVS=1"}, {"-P", "--no-new-privs"}},
    /* --term-delay and --termination-log (issue 9). */
    {{"--term-delay", "abc", "cmd"}, {NULL}, {"'abc'", "--term-delay"}},
    {{"--term-delay", "-1", "cmd"}, {NULL}, {"'-1'", "--term-delay"}},
    {{"--term-delay", "5x", "cmd"}, {NULL}, {"'5x'", "--term-delay"}},
    {{"--term-delay=", "cmd"}, {NULL}, {"''", "--term-delay"}},
    {{"--term-delay", "-g", "cmd"}, {NULL}, {"'-g'", "--term-delay"}},
    {{"--term-delay"}, {NULL}, {"--term-delay", "needs a value"}},
    {{"--termination-log"}, {NULL}, {"--termination-log", "needs a value"}},
    {{"--termination-log", "", "cmd"}, {NULL}, {"empty path", "--termination-log"}},
    {{"--termination-log=", "cmd"}, {NULL}, {"empty path", "--termination-log"}},
    {{"--term-dela", "1s", "cmd"}, {NULL}, {"'--term-dela'", "unknown option"}},
    {{"cmd"}, {"INIT_TERM_DELAY=abc"}, {"'abc'", "INIT_TERM_DELAY"}},
    {{"cmd"}, {"INIT_TERM_DELAY="}, {"''", "INIT_TERM_DELAY"}},
    {{"cmd"}, {"INIT_TERMINATION_LOG="}, {"empty path", "INIT_TERMINATION_LOG"}},
    /* A bad variable is reported even without a command. */
    {{NULL}, {"INIT_GRACE=abc"}, {"'abc'", "INIT_GRACE"}},
};

Test(config, bad_inputs)
{
	for (size_t i = 0; i < LEN(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct config cfg;
		char err[256] = "";
		int rc = run(&cfg, c->args, c->env, err, sizeof(err));

		cr_expect_eq(rc, -EINVAL, "case %zu (%s ...): rc %d, want -EINVAL", i,
		             c->args[0] ? c->args[0] : "", rc);
		for (size_t k = 0; k < LEN(c->want); k++) {
			cr_expect_not_null(strstr(err, c->want[k]),
			                   "case %zu (%s ...): \"%s\" lacks \"%s\"", i,
			                   c->args[0] ? c->args[0] : "", err, c->want[k]);
		}
		cr_expect_null(strchr(err, '\n'), "case %zu: newline in \"%s\"", i, err);
		cr_expect_gt(strlen(err), 0, "case %zu: empty message", i);
	}
}

Test(config, exact_messages)
{
	static const struct {
		const char *args[MAX_ARGS];
		const char *env[MAX_ENV];
		const char *want;
	} cases[] = {
	    {{"-p", "FOO", "cmd"}, {NULL}, "invalid signal 'FOO' for -p"},
	    {{"--group=1", "cmd"}, {NULL}, "option --group takes no value"},
	    {{"--grace"}, {NULL}, "option --grace needs a value"},
	    {{NULL}, {NULL}, "no command given"},
	    {{"-P", "cmd"}, {NULL}, "pause mode (-P) takes no command, got 'cmd'"},
	    {{"cmd"},
	     {"INIT_GROUP=maybe"},
	     "invalid value 'maybe' for INIT_GROUP (1/0, true/false, yes/no, on/off)"},
	    {{"cmd"}, {"INIT_VERBOSITY=loud"}, "invalid value 'loud' for INIT_VERBOSITY (0-4)"},
	    {{"-u", "", "cmd"}, {NULL}, "empty user for -u (USER[:GROUP])"},
	    {{"--term-delay", "soon", "cmd"},
	     {NULL},
	     "invalid duration 'soon' for --term-delay (like 10, 10s, 500ms, 2m)"},
	    {{"cmd"},
	     {"INIT_TERM_DELAY=5x"},
	     "invalid duration '5x' for INIT_TERM_DELAY (like 10, 10s, 500ms, 2m)"},
	    {{"--termination-log="}, {NULL}, "empty path for --termination-log"},
	    {{"cmd"}, {"INIT_TERMINATION_LOG="}, "empty path for INIT_TERMINATION_LOG"},
	    {{"--cap-add=1", "cmd"},
	     {NULL},
	     "invalid capability list '1' for --cap-add (names like NET_RAW, comma-separated, or "
	     "all)"},
	    {{"-P", "--no-new-privs"},
	     {NULL},
	     "pause mode (-P) runs no child: -u, --cap-drop, --cap-add and --no-new-privs do not "
	     "apply"},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		struct config cfg;
		char err[256] = "";
		int rc = run(&cfg, cases[i].args, cases[i].env, err, sizeof(err));

		cr_expect_eq(rc, -EINVAL, "case %zu: rc %d", i, rc);
		cr_expect_str_eq(err, cases[i].want, "case %zu: \"%s\", want \"%s\"", i, err,
		                 cases[i].want);
	}
}

Test(config, small_error_buffer)
{
	/* Every bad case again, into exact-size heap buffers: ASan catches any overflow. */
	static const size_t sizes[] = {16, 1};

	for (size_t s = 0; s < LEN(sizes); s++) {
		for (size_t i = 0; i < LEN(bad_cases); i++) {
			struct config cfg;
			char *err = malloc(sizes[s]);
			int rc;

			cr_assert_not_null(err);
			rc = run(&cfg, bad_cases[i].args, bad_cases[i].env, err, sizes[s]);
			cr_expect_eq(rc, -EINVAL, "case %zu, %zu bytes: rc %d", i, sizes[s], rc);
			cr_expect_lt(strlen(err), sizes[s], "case %zu: not terminated", i);
			cr_expect_null(strchr(err, '\n'), "case %zu: newline", i);
			free(err);
		}
	}
	/* And a zero-length buffer is never written. */
	struct config cfg;
	char guard = 'x';

	cr_expect_eq(run(&cfg, (const char *const[MAX_ARGS]){"--bogus"},
	                 (const char *const[MAX_ENV]){NULL}, &guard, 0),
	             -EINVAL);
	cr_expect_eq(guard, 'x');
}

Test(config, version_string)
{
	const char *v = help_version();

	cr_assert_not_null(v);
	cr_expect_eq(strncmp(v, "tini version ", 13), 0, "\"%s\"", v);
	cr_expect_eq(strncmp(v + 13, INIT_VERSION, strlen(INIT_VERSION)), 0, "\"%s\"", v);
	cr_expect_null(strchr(v, '\n'), "\"%s\" has a newline", v);
	if (INIT_GIT[0] != '\0') {
		cr_expect_str_eq(v, "tini version " INIT_VERSION " - git." INIT_GIT);
	} else {
		cr_expect_str_eq(v, "tini version " INIT_VERSION);
	}
}

Test(config, help_mentions_every_option)
{
	static const char *const longs[] = {
	    "--subreaper", "--group",      "--pdeathsig",    "--expect-exit", "--rewrite",
	    "--grace",     "--kill-after", "--pause",        "--warn-reap",   "--verbose",
	    "--quiet",     "--version",    "--help",         "--features",    "--user",
	    "--cap-drop",  "--cap-add",    "--no-new-privs", "--term-delay",  "--termination-log",
	};
	static const char *const shorts[] = {"-s,", "-g,", "-p,", "-e,", "-r,", "-t,", "-k,",
	                                     "-P,", "-w,", "-v,", "-q,", "-V,", "-h,", "-u,"};
	static const char *const vars[] = {"INIT_USER",       "INIT_CAP_DROP",
	                                   "INIT_CAP_ADD",    "INIT_NO_NEW_PRIVS",
	                                   "INIT_TERM_DELAY", "INIT_TERMINATION_LOG"};
	const char *help = help_text();

	cr_assert_not_null(help);
	for (size_t i = 0; i < LEN(longs); i++) {
		cr_expect_not_null(strstr(help, longs[i]), "help lacks %s", longs[i]);
	}
	for (size_t i = 0; i < LEN(shorts); i++) {
		cr_expect_not_null(strstr(help, shorts[i]), "help lacks %s", shorts[i]);
	}
	for (size_t i = 0; i < LEN(vars); i++) {
		cr_expect_not_null(strstr(help, vars[i]), "help lacks %s", vars[i]);
	}
	cr_expect_eq(strncmp(help, "Usage: init ", 12), 0);
	cr_expect_eq(help[strlen(help) - 1], '\n');
}

#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "persona.h"
#include "sigtab.h"
#include "status.h"

enum config_action {
	CONFIG_RUN,
	CONFIG_HELP,
	CONFIG_VERSION,
	CONFIG_FEATURES,
};

#define CONFIG_GRACE_DEFAULT_MS 5000
/* kill_after_ms when -k was not given: no deadline of our own (the orchestrator has one). */
#define CONFIG_NEVER UINT64_MAX
/* How many --cap-drop (or --cap-add) flags one command line may give. */
#define CONFIG_CAP_ARGS 16

/* config_env() - the value of NAME in @envp ("NAME=value" strings), or NULL. */
const char *config_env(char **envp, const char *name);

/* Everything the command line and the environment decide. Filled once, then read-only. */
struct config {
	enum config_action action;
	const struct persona *persona; /* from the name the init was run as */
	bool setsid;                   /* the child in a session of its own (dumb-init; -c: off) */
	bool group;                    /* -g: signal the child's process group */
	bool subreaper;                /* -s: accepted; subreaping is automatic when not PID 1 */
	bool warn_reap;                /* -w: log every reaped orphan */
	bool pause;                    /* -P: no child, only reap */
	int pdeathsig;                 /* -p: 0 = none */
	int verbosity;                 /* LOG_QUIET .. LOG_DEBUG */
	uint64_t grace_ms;             /* -t: drain grace period */
	uint64_t kill_after_ms;        /* -k: CONFIG_NEVER when not given; 0 = at once */
	uint64_t term_delay_ms;        /* --term-delay: hold the first SIGTERM this long; 0 = not */
	const char *termination_log;   /* --termination-log: write the summary there at exit */
	int rewrite[SIGTAB_MAX + 1];   /* -r: signal forwarded as rewrite[sig]; 0 drops it */
	struct exit_map expect;        /* -e */
	const char *user;              /* -u: USER[:GROUP] for the child, or NULL */
	const char
	    *cap_drop[CONFIG_CAP_ARGS]; /* --cap-drop values, as given (names resolved later) */
	size_t n_cap_drop;
	const char *cap_add[CONFIG_CAP_ARGS]; /* --cap-add values */
	size_t n_cap_add;
	bool no_new_privs; /* --no-new-privs for the child */
	char **argv;       /* the command, NULL-terminated; NULL in pause mode */
};

/*
 * config_parse() - fill @cfg from @argv (option parsing stops at the first non-option or
 * "--") and from INIT_* / TINI_* variables in @envp (NULL-terminated "NAME=value" strings).
 * Flags win over the environment. Pure: no output, no exit.
 * Returns 0, or -EINVAL with a message naming the bad value in @err. The message adds no
 * newline of its own, but the value is quoted as the user gave it, control characters and
 * all: whoever prints it escapes them (log.c does).
 */
int config_parse(struct config *cfg, int argc, char **argv, char **envp, char *err, size_t errlen);

#pragma once
/*
 * The programs the init stands in for (tini, dumb-init, catatonit): the names it answers to,
 * and the environment variables of tini and dumb-init. Pure (style rule 2), as config.c is.
 */
#include <stdbool.h>

struct parser;

/*
 * What the name the init is run as changes (argv[0]'s last component): one table, in
 * persona.c, read by config_parse() only; the rest of the code reads the fields it sets.
 * Installed as dumb-init the init behaves as dumb-init does where a program or a script can
 * tell; as tini, docker-init or catatonit nothing changes.
 */
struct persona {
	const char *name;       /* "init", "dumb-init" */
	const char *log_prefix; /* before every log line: "init: ", "[dumb-init] " */
	int usage_exit;         /* the exit code of bad usage */
	bool setsid;    /* default: the child in a session of its own, signals to its group */
	bool dumb_init; /* dumb-init's options and variables: -c, -r S:R numbers up to 31,
	                   -v for debug, DUMB_INIT_SETSID=0, DUMB_INIT_DEBUG=1 */
	bool exec_verb; /* an exec failure reads "exec CMD: ERR" (else "CMD: ERR") */
};

/*
 * persona_of() - the persona of @argv0 (a path or a name); the init's own for any name it does
 * not know.
 */
const struct persona *persona_of(const char *argv0);

/*
 * persona_env() - tini's and dumb-init's variables in @envp (NULL-terminated "NAME=value"
 * strings), for the settings that the command line and INIT_* variables left alone; called
 * by config_parse() after those. TINI_VERBOSITY is read with INIT_VERBOSITY, in config.c.
 */
void persona_env(struct parser *p, char **envp);

#pragma once
/*
 * One setting, from whichever source gives it: the table of options (their long and short
 * names and INIT_* variables), the parser's state, and what a value or a flag sets in struct
 * config. Shared by config.c (the command line and INIT_* variables) and persona.c (tini's and
 * dumb-init's variables). Pure (style rule 2), as config.c is.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

enum opt_id {
	OPT_HELP,
	OPT_VERSION,
	OPT_FEATURES,
	OPT_SUBREAPER,
	OPT_GROUP,
	OPT_PDEATHSIG,
	OPT_EXPECT,
	OPT_REWRITE,
	OPT_GRACE,
	OPT_KILL_AFTER,
	OPT_PAUSE,
	OPT_WARN_REAP,
	OPT_VERBOSE,
	OPT_QUIET,
	OPT_USER,
	OPT_CAP_DROP,
	OPT_CAP_ADD,
	OPT_NO_NEW_PRIVS,
	OPT_TERM_DELAY,
	OPT_TERMINATION_LOG,
	OPT_SINGLE_CHILD,
	OPT_COUNT,
};

struct opt {
	const char *long_name;
	const char *env; /* INIT_* default, or NULL */
	char short_name;
	bool has_arg;
	bool dumb_init; /* only under the name dumb-init */
};

/* Indexed by enum opt_id. */
extern const struct opt opt_table[OPT_COUNT];

/* Parser state: which settings the command line gave, so the environment fills the rest. */
struct parser {
	struct config *cfg;
	bool seen[OPT_COUNT];
	uint64_t rewritten; /* bit N-1: -r gave signal N a rewrite */
	bool group_given;   /* -g or INIT_GROUP: -c leaves the group alone */
	int verbosity_delta;
	char *err;
	size_t errlen;
};

/* opt_fail() - write the message into p->err (truncated to p->errlen). Returns -EINVAL. */
__attribute__((format(printf, 2, 3))) int opt_fail(struct parser *p, const char *fmt, ...);

/*
 * opt_apply_value() - apply @val to the valued setting @id. @what names its source for the
 * message: "-p" or "INIT_PDEATHSIG". Returns 0, or -EINVAL (opt_fail()) on a bad value.
 */
int opt_apply_value(struct parser *p, enum opt_id id, const char *val, const char *what);

/* opt_apply_flag() - apply the flag @id (one without a value). Returns 0. */
int opt_apply_flag(struct parser *p, enum opt_id id);

/*
 * The option table and what each setting does to struct config, whether the command line or
 * the environment gave it. Pure (style rule 2).
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "opt.h"
#include "parse.h"

const struct opt opt_table[OPT_COUNT] = {
    [OPT_HELP] = {.short_name = 'h', .long_name = "help"},
    [OPT_VERSION] = {.short_name = 'V', .long_name = "version"},
    [OPT_FEATURES] = {.long_name = "features"},
    [OPT_SUBREAPER] = {.short_name = 's', .long_name = "subreaper", .env = "INIT_SUBREAPER"},
    [OPT_GROUP] = {.short_name = 'g', .long_name = "group", .env = "INIT_GROUP"},
    [OPT_PDEATHSIG] = {.short_name = 'p',
                       .long_name = "pdeathsig",
                       .has_arg = true,
                       .env = "INIT_PDEATHSIG"},
    [OPT_EXPECT] = {.short_name = 'e',
                    .long_name = "expect-exit",
                    .has_arg = true,
                    .env = "INIT_EXPECT_EXIT"},
    [OPT_REWRITE] = {.short_name = 'r',
                     .long_name = "rewrite",
                     .has_arg = true,
                     .env = "INIT_REWRITE"},
    [OPT_GRACE] = {.short_name = 't', .long_name = "grace", .has_arg = true, .env = "INIT_GRACE"},
    [OPT_KILL_AFTER] = {.short_name = 'k',
                        .long_name = "kill-after",
                        .has_arg = true,
                        .env = "INIT_KILL_AFTER"},
    [OPT_PAUSE] = {.short_name = 'P', .long_name = "pause"},
    [OPT_WARN_REAP] = {.short_name = 'w', .long_name = "warn-reap", .env = "INIT_WARN_REAP"},
    [OPT_VERBOSE] = {.short_name = 'v', .long_name = "verbose"},
    [OPT_QUIET] = {.short_name = 'q', .long_name = "quiet"},
    [OPT_USER] = {.short_name = 'u', .long_name = "user", .has_arg = true, .env = "INIT_USER"},
    [OPT_CAP_DROP] = {.long_name = "cap-drop", .has_arg = true, .env = "INIT_CAP_DROP"},
    [OPT_CAP_ADD] = {.long_name = "cap-add", .has_arg = true, .env = "INIT_CAP_ADD"},
    [OPT_NO_NEW_PRIVS] = {.long_name = "no-new-privs", .env = "INIT_NO_NEW_PRIVS"},
    [OPT_TERM_DELAY] = {.long_name = "term-delay", .has_arg = true, .env = "INIT_TERM_DELAY"},
    [OPT_TERMINATION_LOG] = {.long_name = "termination-log",
                             .has_arg = true,
                             .env = "INIT_TERMINATION_LOG"},
    [OPT_SINGLE_CHILD] = {.short_name = 'c', .long_name = "single-child", .dumb_init = true},
};

int opt_fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap); // NOLINT: started above
	va_end(ap);
	return -EINVAL;
}

/* Every comma of @s has a name on each side (spaces around it are fine): "A,,B" and "A," do not. */
static bool no_empty_item(const char *s)
{
	bool named = false;

	for (; *s != '\0'; s++) {
		if (*s == ',') {
			if (!named) {
				return false;
			}
			named = false;
		} else if (*s != ' ') {
			named = true;
		}
	}
	return named;
}

/*
 * A --cap-drop or --cap-add value, kept as given: libcap knows the names, and it is not pure.
 * Only the shape is checked here: names (no numbers) separated by commas or spaces.
 */
static int add_cap_list(struct parser *p, enum opt_id id, const char *val, const char *what)
{
	struct config *cfg = p->cfg;
	const char **list = id == OPT_CAP_DROP ? cfg->cap_drop : cfg->cap_add;
	size_t *n = id == OPT_CAP_DROP ? &cfg->n_cap_drop : &cfg->n_cap_add;

	if (val[strspn(val, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_, ")] != '\0' ||
	    !no_empty_item(val)) {
		return opt_fail(p,
		                "invalid capability list '%s' for %s (names like NET_RAW, "
		                "comma-separated, or all)",
		                val, what);
	}
	if (*n == CONFIG_CAP_ARGS) {
		return opt_fail(p, "too many %s options (at most %d; give a comma-separated list)",
		                what, CONFIG_CAP_ARGS);
	}
	list[(*n)++] = val;
	return 0;
}

/* dumb-init's -r: two numbers, S from 1 to 31 and R from 0 to 31 (0 drops S). */
static bool dumb_rewrite(const char *val)
{
	const char *colon = strchr(val, ':');
	char from[4];
	uint64_t f, t;

	if (colon == NULL || colon - val >= (ptrdiff_t)sizeof(from)) {
		return false;
	}
	memcpy(from, val, (size_t)(colon - val));
	from[colon - val] = '\0';
	return parse_uint(from, 31, &f) == 0 && f >= 1 && parse_uint(colon + 1, 31, &t) == 0;
}

int opt_apply_value(struct parser *p, enum opt_id id, const char *val, const char *what)
{
	struct config *cfg = p->cfg;
	int sig, from, to, code;

	switch (id) {
	case OPT_PDEATHSIG:
		sig = sigtab_number(val);
		if (sig < 0) {
			return opt_fail(p, "invalid signal '%s' for %s", val, what);
		}
		cfg->pdeathsig = sig;
		return 0;
	case OPT_EXPECT:
		if (parse_exit_code(val, &code) < 0) {
			return opt_fail(p, "invalid exit code '%s' for %s (0-255)", val, what);
		}
		status_map_add(&cfg->expect, code);
		return 0;
	case OPT_REWRITE:
		if (cfg->persona->dumb_init && !dumb_rewrite(val)) {
			return opt_fail(
			    p, "invalid rewrite '%s' for %s (S:R, numbers: S 1-31, R 0-31)", val,
			    what);
		}
		if (sigtab_rewrite(val, &from, &to) < 0) {
			return opt_fail(p, "invalid rewrite '%s' for %s (FROM:TO, TO=0 drops)", val,
			                what);
		}
		cfg->rewrite[from] = to;
		if (from <= 64) {
			p->rewritten |= 1ULL << (from - 1);
		}
		return 0;
	case OPT_TERMINATION_LOG:
		if (*val == '\0') {
			return opt_fail(p, "empty path for %s", what);
		}
		cfg->termination_log = val;
		return 0;
	case OPT_GRACE:
	case OPT_KILL_AFTER:
	case OPT_TERM_DELAY:
		if (parse_duration(val, id == OPT_GRACE        ? &cfg->grace_ms
		                        : id == OPT_KILL_AFTER ? &cfg->kill_after_ms
		                                               : &cfg->term_delay_ms) < 0) {
			return opt_fail(p, "invalid duration '%s' for %s (like 10, 10s, 500ms, 2m)",
			                val, what);
		}
		return 0;
	case OPT_USER:
		if (*val == '\0') {
			return opt_fail(p, "empty user for %s (USER[:GROUP])", what);
		}
		cfg->user = val;
		return 0;
	case OPT_CAP_DROP:
	case OPT_CAP_ADD:
		return add_cap_list(p, id, val, what);
	case OPT_HELP:
	case OPT_VERSION:
	case OPT_FEATURES:
	case OPT_SUBREAPER:
	case OPT_GROUP:
	case OPT_PAUSE:
	case OPT_WARN_REAP:
	case OPT_VERBOSE:
	case OPT_QUIET:
	case OPT_NO_NEW_PRIVS:
	case OPT_SINGLE_CHILD:
	case OPT_COUNT:
		break;
	}
	return opt_fail(p, "internal: %s takes no value", what);
}

int opt_apply_flag(struct parser *p, enum opt_id id)
{
	struct config *cfg = p->cfg;
	bool *field[OPT_COUNT] = {
	    [OPT_SUBREAPER] = &cfg->subreaper,
	    [OPT_GROUP] = &cfg->group,
	    [OPT_PAUSE] = &cfg->pause,
	    [OPT_WARN_REAP] = &cfg->warn_reap,
	    [OPT_NO_NEW_PRIVS] = &cfg->no_new_privs,
	};

	if (id == OPT_SINGLE_CHILD) {
		/* dumb-init -c: no session of its own, signals to the child alone (unless -g). */
		cfg->setsid = false;
		cfg->group = p->group_given && cfg->group;
		return 0;
	}
	p->group_given |= id == OPT_GROUP;
	if (id == OPT_HELP || id == OPT_VERSION || id == OPT_FEATURES) {
		cfg->action = id == OPT_HELP      ? CONFIG_HELP
		              : id == OPT_VERSION ? CONFIG_VERSION
		                                  : CONFIG_FEATURES;
	} else if (id == OPT_VERBOSE && cfg->persona->dumb_init) {
		p->verbosity_delta = LOG_DEBUG - LOG_WARN; /* dumb-init's -v: debug, once is all */
	} else if (id == OPT_VERBOSE || id == OPT_QUIET) {
		p->verbosity_delta += id == OPT_VERBOSE ? 1 : -1;
	} else if (id < OPT_COUNT && field[id] != NULL) {
		*field[id] = true;
	}
	return 0;
}

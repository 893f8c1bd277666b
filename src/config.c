/*
 * Command line and environment → struct config. Pure (style rule 2): it takes argv and envp
 * as arrays and reports errors as a message, so the unit tests run it as it is.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "parse.h"

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

static const struct opt opts[OPT_COUNT] = {
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

/*
 * The names the init answers to. tini (Docker installs it as docker-init) and catatonit
 * (Podman's --init, and its infra as catatonit -P) already behave as the init does.
 */
static const struct persona personas[] = {
    {.name = "init", .log_prefix = "init: ", .usage_exit = 2, .exec_verb = true},
    {.name = "dumb-init",
     .log_prefix = "[dumb-init] ",
     .usage_exit = 1,
     .setsid = true,
     .dumb_init = true},
};

const struct persona *config_persona(const char *argv0)
{
	const char *base = argv0 != NULL ? strrchr(argv0, '/') : NULL;

	base = base != NULL ? base + 1 : argv0;
	for (size_t i = 1; base != NULL && i < sizeof(personas) / sizeof(personas[0]); i++) {
		if (strcmp(base, personas[i].name) == 0) {
			return &personas[i];
		}
	}
	return &personas[0];
}

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

__attribute__((format(printf, 2, 3))) static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
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
		return fail(p,
		            "invalid capability list '%s' for %s (names like NET_RAW, "
		            "comma-separated, or all)",
		            val, what);
	}
	if (*n == CONFIG_CAP_ARGS) {
		return fail(p, "too many %s options (at most %d; give a comma-separated list)",
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

/* Apply one valued setting. @what names its source for the message: "-p" or "INIT_PDEATHSIG". */
static int apply_value(struct parser *p, enum opt_id id, const char *val, const char *what)
{
	struct config *cfg = p->cfg;
	int sig, from, to, code;

	switch (id) {
	case OPT_PDEATHSIG:
		sig = sigtab_number(val);
		if (sig < 0) {
			return fail(p, "invalid signal '%s' for %s", val, what);
		}
		cfg->pdeathsig = sig;
		return 0;
	case OPT_EXPECT:
		if (parse_exit_code(val, &code) < 0) {
			return fail(p, "invalid exit code '%s' for %s (0-255)", val, what);
		}
		status_map_add(&cfg->expect, code);
		return 0;
	case OPT_REWRITE:
		if (cfg->persona->dumb_init && !dumb_rewrite(val)) {
			return fail(p, "invalid rewrite '%s' for %s (S:R, numbers: S 1-31, R 0-31)",
			            val, what);
		}
		if (sigtab_rewrite(val, &from, &to) < 0) {
			return fail(p, "invalid rewrite '%s' for %s (FROM:TO, TO=0 drops)", val,
			            what);
		}
		cfg->rewrite[from] = to;
		if (from <= 64) {
			p->rewritten |= 1ULL << (from - 1);
		}
		return 0;
	case OPT_TERMINATION_LOG:
		if (*val == '\0') {
			return fail(p, "empty path for %s", what);
		}
		cfg->termination_log = val;
		return 0;
	case OPT_GRACE:
	case OPT_KILL_AFTER:
	case OPT_TERM_DELAY:
		if (parse_duration(val, id == OPT_GRACE        ? &cfg->grace_ms
		                        : id == OPT_KILL_AFTER ? &cfg->kill_after_ms
		                                               : &cfg->term_delay_ms) < 0) {
			return fail(p, "invalid duration '%s' for %s (like 10, 10s, 500ms, 2m)",
			            val, what);
		}
		return 0;
	case OPT_USER:
		if (*val == '\0') {
			return fail(p, "empty user for %s (USER[:GROUP])", what);
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
	return fail(p, "internal: %s takes no value", what);
}

static int apply_flag(struct parser *p, enum opt_id id)
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

/* Is option @i one of those the persona accepts? */
static bool offered(const struct parser *p, int i)
{
	return !opts[i].dumb_init || p->cfg->persona->dumb_init;
}

static int find_long(const struct parser *p, const char *name, size_t len)
{
	for (int i = 0; i < OPT_COUNT; i++) {
		if (offered(p, i) && strlen(opts[i].long_name) == len &&
		    strncmp(opts[i].long_name, name, len) == 0) {
			return i;
		}
	}
	return -1;
}

static int find_short(const struct parser *p, char c)
{
	for (int i = 0; i < OPT_COUNT; i++) {
		if (offered(p, i) && opts[i].short_name == c) {
			return i;
		}
	}
	return -1;
}

/* "--name" or "--name=value"; *i moves past a value taken from the next argument. */
static int parse_long(struct parser *p, int argc, char **argv, int *i)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	char what[40];
	int id = find_long(p, name, len);

	if (id < 0) {
		return fail(p, "unknown option '--%.*s'", (int)len, name);
	}
	snprintf(what, sizeof(what), "--%s", opts[id].long_name);
	p->seen[id] = true;
	if (!opts[id].has_arg) {
		if (eq != NULL) {
			return fail(p, "option %s takes no value", what);
		}
		return apply_flag(p, id);
	}
	if (eq != NULL) {
		return apply_value(p, id, eq + 1, what);
	}
	if (*i + 1 >= argc) {
		return fail(p, "option %s needs a value", what);
	}
	return apply_value(p, id, argv[++*i], what);
}

/* "-gv", "-e42", "-e 42". */
static int parse_short(struct parser *p, int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	char what[3] = "-?";

	for (size_t j = 1; a[j] != '\0'; j++) {
		int id = find_short(p, a[j]);

		what[1] = a[j];
		if (id < 0) {
			return j > 1 ? fail(p, "unknown option '%s' in '%s'", what, a)
			             : fail(p, "unknown option '%s'", what);
		}
		p->seen[id] = true;
		if (!opts[id].has_arg) {
			apply_flag(p, id);
			if (p->cfg->action != CONFIG_RUN) {
				return 0; /* -h and -V end parsing, as in tini */
			}
			continue;
		}
		if (a[j + 1] != '\0') {
			return apply_value(p, id, a + j + 1, what);
		}
		if (*i + 1 >= argc) {
			return fail(p, "option %s needs a value", what);
		}
		return apply_value(p, id, argv[++*i], what);
	}
	return 0;
}

const char *config_env(char **envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp != NULL && *envp != NULL; envp++) {
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=') {
			return *envp + len + 1;
		}
	}
	return NULL;
}

/* An INIT_* list ("42,143" or "TERM:INT USR1:0"): each item as if given to the flag. */
static int apply_env_list(struct parser *p, enum opt_id id, const char *val)
{
	char item[64];

	while (*val != '\0') {
		size_t n = strcspn(val, ", ");

		if (n >= sizeof(item)) {
			return fail(p, "invalid value '%.*s' for %s", (int)n, val, opts[id].env);
		}
		if (n > 0) {
			int r;

			memcpy(item, val, n);
			item[n] = '\0';
			r = apply_value(p, id, item, opts[id].env);
			if (r < 0) {
				return r;
			}
		}
		val += n + (val[n] != '\0');
	}
	return 0;
}

static int apply_env_bool(struct parser *p, enum opt_id id, const char *val)
{
	bool on;

	if (parse_bool(val, &on) < 0) {
		return fail(p, "invalid value '%s' for %s (1/0, true/false, yes/no, on/off)", val,
		            opts[id].env);
	}
	return on ? apply_flag(p, id) : 0;
}

static int apply_verbosity(struct parser *p, char **envp)
{
	const char *v = config_env(envp, "INIT_VERBOSITY"), *name = "INIT_VERBOSITY";
	uint64_t n;

	if (p->seen[OPT_VERBOSE] || p->seen[OPT_QUIET]) {
		v = NULL;
	} else if (v == NULL) {
		v = config_env(envp, "TINI_VERBOSITY");
		name = "TINI_VERBOSITY";
	}
	if (v != NULL) {
		if (parse_uint(v, 4, &n) < 0) {
			return fail(p, "invalid value '%s' for %s (0-4)", v, name);
		}
		p->cfg->verbosity = n > LOG_DEBUG ? LOG_DEBUG : (int)n;
		return 0;
	}
	p->cfg->verbosity += p->verbosity_delta;
	if (p->cfg->verbosity < LOG_QUIET) {
		p->cfg->verbosity = LOG_QUIET;
	} else if (p->cfg->verbosity > LOG_DEBUG) {
		p->cfg->verbosity = LOG_DEBUG;
	}
	return 0;
}

/*
 * dumb-init's variables, with its exact values: DUMB_INIT_SETSID=0 is -c, DUMB_INIT_DEBUG=1 is
 * -v (as a default, under INIT_VERBOSITY and -v/-q); any other value means nothing. In a
 * session of its own the child's group has no parent in the session, so the kernel would drop
 * a SIGTSTP, SIGTTIN or SIGTTOU sent to it: those go as SIGSTOP unless -r says otherwise.
 */
static void apply_dumb_init_env(struct parser *p, char **envp)
{
	const char *setsid = config_env(envp, "DUMB_INIT_SETSID"),
	           *debug = config_env(envp, "DUMB_INIT_DEBUG");
	static const int job_control[] = {SIGTSTP, SIGTTIN, SIGTTOU};

	if (setsid != NULL && strcmp(setsid, "0") == 0) {
		apply_flag(p, OPT_SINGLE_CHILD);
	}
	if (debug != NULL && strcmp(debug, "1") == 0 && !p->seen[OPT_VERBOSE] &&
	    !p->seen[OPT_QUIET] && config_env(envp, "INIT_VERBOSITY") == NULL) {
		p->verbosity_delta = LOG_DEBUG - LOG_WARN;
	}
	for (size_t i = 0; p->cfg->setsid && i < sizeof(job_control) / sizeof(job_control[0]);
	     i++) {
		if (!(p->rewritten & (1ULL << (job_control[i] - 1)))) {
			p->cfg->rewrite[job_control[i]] = SIGSTOP;
		}
	}
}

/* Environment defaults for every setting the command line left alone. */
static int apply_env(struct parser *p, char **envp)
{
	for (int id = 0; id < OPT_COUNT; id++) {
		const char *val;
		int r;

		if (opts[id].env == NULL || p->seen[id] ||
		    (val = config_env(envp, opts[id].env)) == NULL) {
			continue;
		}
		if (!opts[id].has_arg) {
			r = apply_env_bool(p, id, val);
		} else if (id == OPT_EXPECT || id == OPT_REWRITE) {
			r = apply_env_list(p, id, val);
		} else {
			r = apply_value(p, id, val, opts[id].env);
		}
		if (r < 0) {
			return r;
		}
	}
	/* tini's switches count by presence, whatever their value; INIT_* ones win. */
	if (!p->seen[OPT_SUBREAPER] && config_env(envp, "INIT_SUBREAPER") == NULL &&
	    config_env(envp, "TINI_SUBREAPER") != NULL) {
		p->cfg->subreaper = true;
	}
	if (!p->seen[OPT_GROUP] && config_env(envp, "INIT_GROUP") == NULL &&
	    config_env(envp, "TINI_KILL_PROCESS_GROUP") != NULL) {
		p->cfg->group = true;
		p->group_given = true;
	}
	if (p->cfg->persona->dumb_init) {
		apply_dumb_init_env(p, envp);
	}
	return apply_verbosity(p, envp);
}

static void config_defaults(struct config *cfg, const char *argv0)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->action = CONFIG_RUN;
	cfg->persona = config_persona(argv0);
	cfg->setsid = cfg->persona->setsid;
	cfg->group = cfg->persona->setsid; /* a session of its own: signals go to its group */
	cfg->verbosity = LOG_WARN;
	cfg->grace_ms = CONFIG_GRACE_DEFAULT_MS;
	cfg->kill_after_ms = CONFIG_NEVER;
	for (int s = 0; s <= SIGTAB_MAX; s++) {
		cfg->rewrite[s] = s;
	}
}

int config_parse(struct config *cfg, int argc, char **argv, char **envp, char *err, size_t errlen)
{
	struct parser p = {.cfg = cfg, .err = err, .errlen = errlen};
	int i, r = 0;

	config_defaults(cfg, argc > 0 ? argv[0] : NULL);
	for (i = 1; i < argc && r == 0 && cfg->action == CONFIG_RUN; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			break; /* the command: stop here, its flags are its own */
		}
		r = a[1] == '-' ? parse_long(&p, argc, argv, &i) : parse_short(&p, argc, argv, &i);
	}
	if (r < 0) {
		return r;
	}
	if (cfg->action != CONFIG_RUN) {
		return 0;
	}
	r = apply_env(&p, envp);
	if (r < 0) {
		return r;
	}
	if (cfg->pause &&
	    (cfg->user != NULL || cfg->n_cap_drop > 0 || cfg->n_cap_add > 0 || cfg->no_new_privs)) {
		return fail(&p, "pause mode (-P) runs no child: -u, --cap-drop, --cap-add and "
		                "--no-new-privs do not apply");
	}
	if (cfg->pause && i < argc) {
		return fail(&p, "pause mode (-P) takes no command, got '%s'", argv[i]);
	}
	if (!cfg->pause && i >= argc) {
		return fail(&p, "no command given");
	}
	cfg->argv = cfg->pause ? NULL : argv + i;
	return 0;
}

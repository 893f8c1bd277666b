/*
 * Command line and environment → struct config. Pure (style rule 2): it takes argv and envp
 * as arrays and reports errors as a message, so the unit tests run it as it is.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "opt.h"
#include "parse.h"

/* Is option @i one of those the persona accepts? */
static bool offered(const struct parser *p, int i)
{
	return !opt_table[i].dumb_init || p->cfg->persona->dumb_init;
}

static int find_long(const struct parser *p, const char *name, size_t len)
{
	for (int i = 0; i < OPT_COUNT; i++) {
		if (offered(p, i) && strlen(opt_table[i].long_name) == len &&
		    strncmp(opt_table[i].long_name, name, len) == 0) {
			return i;
		}
	}
	return -1;
}

static int find_short(const struct parser *p, char c)
{
	for (int i = 0; i < OPT_COUNT; i++) {
		if (offered(p, i) && opt_table[i].short_name == c) {
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
		return opt_fail(p, "unknown option '--%.*s'", (int)len, name);
	}
	snprintf(what, sizeof(what), "--%s", opt_table[id].long_name);
	p->seen[id] = true;
	if (!opt_table[id].has_arg) {
		if (eq != NULL) {
			return opt_fail(p, "option %s takes no value", what);
		}
		return opt_apply_flag(p, id);
	}
	if (eq != NULL) {
		return opt_apply_value(p, id, eq + 1, what);
	}
	if (*i + 1 >= argc) {
		return opt_fail(p, "option %s needs a value", what);
	}
	return opt_apply_value(p, id, argv[++*i], what);
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
			return j > 1 ? opt_fail(p, "unknown option '%s' in '%s'", what, a)
			             : opt_fail(p, "unknown option '%s'", what);
		}
		p->seen[id] = true;
		if (!opt_table[id].has_arg) {
			opt_apply_flag(p, id);
			if (p->cfg->action != CONFIG_RUN) {
				return 0; /* -h and -V end parsing, as in tini */
			}
			continue;
		}
		if (a[j + 1] != '\0') {
			return opt_apply_value(p, id, a + j + 1, what);
		}
		if (*i + 1 >= argc) {
			return opt_fail(p, "option %s needs a value", what);
		}
		return opt_apply_value(p, id, argv[++*i], what);
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
			return opt_fail(p, "invalid value '%.*s' for %s", (int)n, val,
			                opt_table[id].env);
		}
		if (n > 0) {
			int r;

			memcpy(item, val, n);
			item[n] = '\0';
			r = opt_apply_value(p, id, item, opt_table[id].env);
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
		return opt_fail(p, "invalid value '%s' for %s (1/0, true/false, yes/no, on/off)",
		                val, opt_table[id].env);
	}
	return on ? opt_apply_flag(p, id) : 0;
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
			return opt_fail(p, "invalid value '%s' for %s (0-4)", v, name);
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

/* Environment defaults for every setting the command line left alone. */
static int apply_env(struct parser *p, char **envp)
{
	for (int id = 0; id < OPT_COUNT; id++) {
		const char *val;
		int r;

		if (opt_table[id].env == NULL || p->seen[id] ||
		    (val = config_env(envp, opt_table[id].env)) == NULL) {
			continue;
		}
		if (!opt_table[id].has_arg) {
			r = apply_env_bool(p, id, val);
		} else if (id == OPT_EXPECT || id == OPT_REWRITE) {
			r = apply_env_list(p, id, val);
		} else {
			r = opt_apply_value(p, id, val, opt_table[id].env);
		}
		if (r < 0) {
			return r;
		}
	}
	persona_env(p, envp);
	return apply_verbosity(p, envp);
}

static void config_defaults(struct config *cfg, const char *argv0)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->action = CONFIG_RUN;
	cfg->persona = persona_of(argv0);
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
		return opt_fail(&p, "pause mode (-P) runs no child: -u, --cap-drop, --cap-add and "
		                    "--no-new-privs do not apply");
	}
	if (cfg->pause && i < argc) {
		return opt_fail(&p, "pause mode (-P) takes no command, got '%s'", argv[i]);
	}
	if (!cfg->pause && i >= argc) {
		return opt_fail(&p, "no command given");
	}
	cfg->argv = cfg->pause ? NULL : argv + i;
	return 0;
}

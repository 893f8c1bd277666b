/* Shared helpers of the config unit tests: see config_case.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "config_case.h"

static size_t count(const char *const *v, size_t max)
{
	size_t n = 0;

	while (n < max && v[n] != NULL) {
		n++;
	}
	return n;
}

int config_case_parse(struct config *cfg, const char *argv0, const char *const args[MAX_ARGS],
                      const char *const env[MAX_ENV], char *err, size_t errlen)
{
	static char *argv[MAX_ARGS + 2];
	static char *envp[MAX_ENV + 1];
	size_t argc = count(args, MAX_ARGS), envc = count(env, MAX_ENV);

	argv[0] = (char *)argv0;
	for (size_t i = 0; i < argc; i++) {
		argv[i + 1] = (char *)args[i];
	}
	argv[argc + 1] = NULL;
	for (size_t i = 0; i < envc; i++) {
		envp[i] = (char *)env[i];
	}
	envp[envc] = NULL;
	return config_parse(cfg, (int)argc + 1, argv, envp, err, errlen);
}

__attribute__((format(printf, 3, 4))) static void add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

const char *config_summary(const struct config *cfg, bool persona, char *buf, size_t len)
{
	static const char *const actions[] = {"run", "help", "version", "features"};
	const char *sep = "";

	buf[0] = '\0';
	if (persona) {
		add(buf, len, "%s ", cfg->persona != NULL ? cfg->persona->name : "(null)");
	}
	if (cfg->action != CONFIG_RUN) {
		add(buf, len, "action=%s ", actions[cfg->action]);
	}
	if (cfg->setsid) {
		add(buf, len, "setsid ");
	}
	if (cfg->group) {
		add(buf, len, "group ");
	}
	if (cfg->subreaper) {
		add(buf, len, "subreaper ");
	}
	if (cfg->warn_reap) {
		add(buf, len, "warn_reap ");
	}
	if (cfg->pause) {
		add(buf, len, "pause ");
	}
	if (cfg->pdeathsig != 0) {
		add(buf, len, "pdeathsig=%d ", cfg->pdeathsig);
	}
	if (cfg->verbosity != LOG_WARN) {
		add(buf, len, "verbosity=%d ", cfg->verbosity);
	}
	if (cfg->grace_ms != CONFIG_GRACE_DEFAULT_MS) {
		add(buf, len, "grace=%llu ", (unsigned long long)cfg->grace_ms);
	}
	if (cfg->kill_after_ms != CONFIG_NEVER) {
		add(buf, len, "kill=%llu ", (unsigned long long)cfg->kill_after_ms);
	}
	if (cfg->term_delay_ms != 0) {
		add(buf, len, "term_delay=%llu ", (unsigned long long)cfg->term_delay_ms);
	}
	if (cfg->termination_log != NULL) {
		add(buf, len, "termination_log=%s ", cfg->termination_log);
	}
	for (int s = 0; s <= SIGTAB_MAX; s++) {
		if (cfg->rewrite[s] != s) {
			add(buf, len, "%s%d:%d", *sep ? "," : "rewrite=", s, cfg->rewrite[s]);
			sep = ",";
		}
	}
	if (*sep) {
		add(buf, len, " ");
	}
	sep = "";
	for (int c = 0; c <= 255; c++) {
		if (status_map_has(&cfg->expect, c)) {
			add(buf, len, "%s%d", *sep ? "," : "expect=", c);
			sep = ",";
		}
	}
	if (*sep) {
		add(buf, len, " ");
	}
	if (cfg->user != NULL) {
		add(buf, len, "user=%s ", cfg->user);
	}
	for (size_t k = 0; k < cfg->n_cap_drop; k++) {
		add(buf, len, "%s%s", k == 0 ? "cap_drop=[" : "|", cfg->cap_drop[k]);
	}
	if (cfg->n_cap_drop > 0) {
		add(buf, len, "] ");
	}
	for (size_t k = 0; k < cfg->n_cap_add; k++) {
		add(buf, len, "%s%s", k == 0 ? "cap_add=[" : "|", cfg->cap_add[k]);
	}
	if (cfg->n_cap_add > 0) {
		add(buf, len, "] ");
	}
	if (cfg->no_new_privs) {
		add(buf, len, "no_new_privs ");
	}
	if (cfg->argv == NULL) {
		add(buf, len, "argv=NULL");
	} else {
		add(buf, len, "argv=[");
		for (char **a = cfg->argv; *a != NULL; a++) {
			add(buf, len, "%s%s", a == cfg->argv ? "" : ",", *a);
		}
		add(buf, len, "]");
	}
	return buf;
}

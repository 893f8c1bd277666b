/*
 * The names the init answers to, and what tini's and dumb-init's environment variables set.
 * Pure (style rule 2).
 */
#include <signal.h>
#include <stddef.h>
#include <string.h>

#include "opt.h"
#include "persona.h"

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

const struct persona *persona_of(const char *argv0)
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
		opt_apply_flag(p, OPT_SINGLE_CHILD);
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

void persona_env(struct parser *p, char **envp)
{
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
}

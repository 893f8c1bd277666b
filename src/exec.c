/*
 * What the child execs with, built in the parent before the clone (style rule 8): the execve
 * candidates of execvp's PATH search, and the environment, with LISTEN_PID rewritten for the
 * child (catatonit).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec.h"

#define LISTEN_PID_PREFIX "LISTEN_PID="

char **exec_candidates(const char *file, char **envp, bool *own)
{
	const char *path = NULL, *p;
	size_t n = 1, i = 0, flen = strlen(file);
	char **list;

	for (char **e = envp; e != NULL && *e != NULL; e++) {
		if (strncmp(*e, "PATH=", 5) == 0) {
			path = *e + 5;
		}
	}
	if (path == NULL) {
		path = "/usr/local/bin:/bin:/usr/bin"; /* musl's default, as execvp uses */
	}
	if (strchr(file, '/') != NULL || *file == '\0') {
		path = NULL;
	} else {
		for (p = path; *p; p++) {
			n += *p == ':';
		}
		n++;
	}
	list = calloc(n + 1, sizeof(*list));
	if (list == NULL) {
		return NULL;
	}
	*own = path != NULL;
	if (path == NULL) {
		list[i++] = (char *)file;
		return list;
	}
	for (p = path;; p += strcspn(p, ":") + 1) {
		size_t dlen = strcspn(p, ":");
		char *c = NULL;

		/* An entry that makes the name PATH_MAX or longer is skipped, as execvp does. */
		if (dlen + 1 + flen < PATH_MAX) {
			/* An empty entry means the current directory, as for execvp. */
			c = malloc(dlen + flen + 3);
			if (c == NULL) {
				break; /* the list stays NULL-terminated: calloc'd */
			}
			snprintf(c, dlen + flen + 3, "%.*s%s%s", (int)dlen, dlen ? p : ".", "/",
			         file);
			list[i++] = c;
		}
		if (p[dlen] == '\0') {
			break;
		}
	}
	return list;
}

char **exec_env(char **envp, char *extra, char **listen_pid)
{
	size_t n = 0, k = 0, name = extra ? strcspn(extra, "=") + 1 : 0;
	char self[24];
	char **env;

	*listen_pid = NULL;
	snprintf(self, sizeof(self), LISTEN_PID_PREFIX "%d", (int)getpid());
	while (envp != NULL && envp[n] != NULL) {
		n++;
	}
	env = calloc(n + 2, sizeof(*env));
	if (env == NULL) {
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (extra != NULL && strncmp(envp[i], extra, name) == 0) {
			continue;
		}
		env[k] = envp[i];
		if (strcmp(envp[i], self) == 0) {
			/* One entry for the child's pid, however often the variable is there. */
			if (*listen_pid == NULL) {
				*listen_pid = calloc(1, sizeof(LISTEN_PID_PREFIX) + 12);
			}
			if (*listen_pid == NULL) {
				free(env);
				return NULL;
			}
			env[k] = *listen_pid;
		}
		k++;
	}
	env[k] = extra;
	return env;
}

/* Decimal @v into the LISTEN_PID entry, without stdio (we are between clone and exec). */
void exec_fill_listen_pid(char *entry, pid_t v)
{
	char digits[12];
	size_t n = 0, off = sizeof(LISTEN_PID_PREFIX) - 1;

	memcpy(entry, LISTEN_PID_PREFIX, off);
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0) {
		entry[off++] = digits[--n];
	}
	entry[off] = '\0';
}

#pragma once
/*
 * Shared by the unit tests of src/config.c (test_config.c, test_persona.c): config_parse() on
 * a table case, and a one-line summary of a parsed struct config to compare with the case.
 */
#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* Up to this many arguments after argv[0], and environment entries, per case. */
#define MAX_ARGS 10
#define MAX_ENV  6

/* config_parse() on @argv0 + @args and @env (both NULL-terminated within their size). */
int config_case_parse(struct config *cfg, const char *argv0, const char *const args[MAX_ARGS],
                      const char *const env[MAX_ENV], char *err, size_t errlen);

/*
 * Every field that differs from the init's defaults, in a fixed order, then the command;
 * with @persona, the persona's name first: "dumb-init setsid group rewrite=... argv=[x]".
 */
const char *config_summary(const struct config *cfg, bool persona, char *buf, size_t len);

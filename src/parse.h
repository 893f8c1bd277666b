#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The longest duration accepted: one year, in milliseconds. */
#define PARSE_DURATION_MAX_MS (365ULL * 24 * 3600 * 1000)

/*
 * parse_uint() - a plain decimal number, no sign, no spaces, no leading "+".
 * Returns 0 and *out, -EINVAL when @s is not a number, -ERANGE when it is above @max.
 */
int parse_uint(const char *s, uint64_t max, uint64_t *out);

/*
 * parse_duration() - "10" (seconds), "10s", "500ms", "2m", "1h" into milliseconds.
 * Returns 0, -EINVAL for a malformed value, -ERANGE above PARSE_DURATION_MAX_MS.
 */
int parse_duration(const char *s, uint64_t *ms);

/* parse_exit_code() - 0..255. Returns 0, -EINVAL or -ERANGE. */
int parse_exit_code(const char *s, int *code);

/*
 * parse_bool() - an environment switch: 1/true/yes/on and 0/false/no/off (any case), and the
 * empty string as false. Returns 0 or -EINVAL.
 */
int parse_bool(const char *s, bool *out);

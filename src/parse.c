/* Strict parsers for the values flags and variables carry. Pure: no I/O, no globals. */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "parse.h"

int parse_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	bool over = false;

	if (s == NULL || *s == '\0') {
		return -EINVAL;
	}
	for (; *s != '\0'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (*s < '0' || *s > '9') {
			return -EINVAL;
		}
		/* Keep reading after an overflow: "99999999999999999999x" is still -EINVAL. */
		if (over || d > max || v > (max - d) / 10) {
			over = true;
		} else {
			v = v * 10 + d;
		}
	}
	if (over) {
		return -ERANGE;
	}
	*out = v;
	return 0;
}

int parse_duration(const char *s, uint64_t *ms)
{
	static const struct {
		const char *suffix;
		uint64_t ms;
	} units[] = {
	    {"", 1000}, {"s", 1000}, {"ms", 1}, {"m", 60000}, {"h", 3600000},
	};
	char digits[24];
	size_t n = 0, z = 0;
	uint64_t v, mul = 0;
	int r;

	if (s == NULL) {
		return -EINVAL;
	}
	while (s[n] >= '0' && s[n] <= '9') {
		n++;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(s + n, units[i].suffix) == 0) {
			mul = units[i].ms;
		}
	}
	/* Malformed is -EINVAL however large the digits, as in parse_uint(). */
	if (n == 0 || mul == 0) {
		return -EINVAL;
	}
	/* Leading zeros do not make a number large ("007s" is 7 s), however many there are. */
	while (z + 1 < n && s[z] == '0') {
		z++;
	}
	if (n - z >= sizeof(digits)) {
		return -ERANGE;
	}
	memcpy(digits, s + z, n - z);
	digits[n - z] = '\0';
	r = parse_uint(digits, PARSE_DURATION_MAX_MS, &v);
	if (r < 0) {
		return r;
	}
	if (v > PARSE_DURATION_MAX_MS / mul) {
		return -ERANGE;
	}
	*ms = v * mul;
	return 0;
}

int parse_exit_code(const char *s, int *code)
{
	uint64_t v;
	int r = parse_uint(s, 255, &v);

	if (r == 0) {
		*code = (int)v;
	}
	return r;
}

int parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "true", "yes", "on"};
	static const char *const no[] = {"", "0", "false", "no", "off"};

	if (s == NULL) {
		return -EINVAL;
	}
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

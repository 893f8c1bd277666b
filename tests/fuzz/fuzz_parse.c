/*
 * libFuzzer target for src/parse.c. The input up to its first NUL is the string; up to 8 bytes
 * after that NUL (little-endian) are one more limit for parse_uint().
 *
 * Properties, checked against a reference written here that reads digits into 128 bits:
 * - parse_uint(s, max) for a fixed set of limits and the fuzz-chosen one: the same
 *   accept/reject decision, -EINVAL vs -ERANGE and value, leading zeros included ("0007" is 7);
 * - parse_duration(s): the same, with units "", s, ms, m, h and PARSE_DURATION_MAX_MS; a
 *   malformed value is -EINVAL however large its digits;
 * - parse_exit_code(s) is parse_uint(s, 255);
 * - parse_bool(s) accepts exactly 1/true/yes/on, 0/false/no/off (any case) and "";
 * - every parser leaves its output untouched when it fails.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>

#include "fuzz.h"
#include "parse.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A value parsers must not touch when they fail. */
#define UNTOUCHED 0xdeadbeefULL

/* Above every uint64_t: where the reference stops counting. */
#define SAT ((unsigned __int128)UINT64_MAX + 1)

/* @n decimal digits of @s into 128 bits, saturating at SAT. */
static unsigned __int128 ref_value(const char *s, size_t n)
{
	unsigned __int128 v = 0;

	for (size_t i = 0; i < n; i++) {
		v = v * 10 + (unsigned)(s[i] - '0');
		if (v > SAT) {
			v = SAT;
		}
	}
	return v;
}

static size_t ref_ndigits(const char *s)
{
	size_t n = 0;

	while (s[n] >= '0' && s[n] <= '9') {
		n++;
	}
	return n;
}

static int ref_uint(const char *s, uint64_t max, uint64_t *out)
{
	size_t n = ref_ndigits(s);
	unsigned __int128 v;

	if (n == 0 || s[n] != '\0') {
		return -EINVAL;
	}
	v = ref_value(s, n);
	if (v > max) {
		return -ERANGE;
	}
	*out = (uint64_t)v;
	return 0;
}

static int ref_duration(const char *s, uint64_t *ms)
{
	size_t n = ref_ndigits(s);
	const char *unit = s + n;
	unsigned __int128 v;
	uint64_t mul;

	if (n == 0) {
		return -EINVAL;
	}
	if (strcmp(unit, "") == 0 || strcmp(unit, "s") == 0) {
		mul = 1000;
	} else if (strcmp(unit, "ms") == 0) {
		mul = 1;
	} else if (strcmp(unit, "m") == 0) {
		mul = 60 * 1000;
	} else if (strcmp(unit, "h") == 0) {
		mul = 60 * 60 * 1000;
	} else {
		return -EINVAL;
	}
	v = ref_value(s, n) * mul;
	if (v > PARSE_DURATION_MAX_MS) {
		return -ERANGE;
	}
	*ms = (uint64_t)v;
	return 0;
}

static int ref_bool(const char *s, bool *out)
{
	static const char *const words[] = {"1", "true",  "yes", "on", "",
	                                    "0", "false", "no",  "off"};
	char low[8];
	size_t n = strlen(s);

	if (n >= sizeof(low)) {
		return -EINVAL;
	}
	for (size_t i = 0; i <= n; i++) {
		low[i] = (char)tolower((unsigned char)s[i]);
	}
	for (size_t i = 0; i < LEN(words); i++) {
		if (strcmp(low, words[i]) == 0) {
			*out = i < 4;
			return 0;
		}
	}
	return -EINVAL;
}

static void check_uint(const char *s, uint64_t max)
{
	uint64_t got = UNTOUCHED, want = UNTOUCHED;
	int rc = parse_uint(s, max, &got), ref = ref_uint(s, max, &want);

	FUZZ_CHECK(rc == ref && got == want, "parse_uint(\"%s\", %llu) = %d, %llu; want %d, %llu",
	           s, (unsigned long long)max, rc, (unsigned long long)got, ref,
	           (unsigned long long)want);
}

static void check_duration(const char *s)
{
	uint64_t got = UNTOUCHED, want = UNTOUCHED;
	int rc = parse_duration(s, &got), ref = ref_duration(s, &want);

	FUZZ_CHECK(rc == ref && got == want, "parse_duration(\"%s\") = %d, %llu; want %d, %llu", s,
	           rc, (unsigned long long)got, ref, (unsigned long long)want);
}

static void check_exit_code(const char *s)
{
	uint64_t want = UNTOUCHED;
	int got = -7, rc = parse_exit_code(s, &got), ref = ref_uint(s, 255, &want);

	FUZZ_CHECK(rc == ref && (rc < 0 ? got == -7 : (uint64_t)got == want),
	           "parse_exit_code(\"%s\") = %d, %d; want %d, %llu", s, rc, got, ref,
	           (unsigned long long)want);
}

static void check_bool(const char *s)
{
	/* Two starting values, so "untouched" and "set to the same value" differ once. */
	for (int start = 0; start < 2; start++) {
		bool got = start, want = start;
		int rc = parse_bool(s, &got), ref = ref_bool(s, &want);

		FUZZ_CHECK(rc == ref && got == want, "parse_bool(\"%s\") = %d, %d; want %d, %d", s,
		           rc, got, ref, want);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t maxes[] = {
	    0,
	    1,
	    4,
	    9,
	    10,
	    64,
	    255,
	    256,
	    PARSE_DURATION_MAX_MS,
	    UINT64_MAX / 10,
	    UINT64_MAX - 1,
	    UINT64_MAX,
	};
	const uint8_t *rest;
	size_t restlen;
	char *s = fuzz_split(data, size, &rest, &restlen);

	for (size_t i = 0; i < LEN(maxes); i++) {
		check_uint(s, maxes[i]);
	}
	if (restlen > 0) {
		uint64_t max = 0;

		for (size_t i = 0; i < restlen && i < 8; i++) {
			max |= (uint64_t)rest[i] << (8 * i);
		}
		check_uint(s, max);
	}
	check_duration(s);
	check_exit_code(s);
	check_bool(s);
	free(s);
	return 0;
}

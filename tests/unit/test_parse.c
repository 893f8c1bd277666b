/* Unit tests for src/parse.c: every parser, good and bad inputs, from tables. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>

#include "parse.h"

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A value parse functions must not touch when they fail. */
#define UNTOUCHED 0xdeadbeefULL

struct uint_case {
	const char *in;
	uint64_t max;
	int rc;
	uint64_t out;
};

Test(parse, uint_table)
{
	static const struct uint_case cases[] = {
	    {"0", 10, 0, 0},
	    {"7", 10, 0, 7},
	    {"10", 10, 0, 10}, /* max itself is accepted */
	    {"11", 10, -ERANGE, UNTOUCHED},
	    {"007", 10, 0, 7},
	    {"255", 255, 0, 255},
	    {"256", 255, -ERANGE, UNTOUCHED},
	    {"18446744073709551609", UINT64_MAX, 0, 18446744073709551609ULL},
	    {"18446744073709551615", UINT64_MAX - 1, -ERANGE, UNTOUCHED},
	    {"99999999999999999999999", 1000, -ERANGE, UNTOUCHED},
	    {"99999999999999999999999", UINT64_MAX - 1, -ERANGE, UNTOUCHED},
	    {"", 10, -EINVAL, UNTOUCHED},
	    {"+1", 10, -EINVAL, UNTOUCHED},
	    {"-1", 10, -EINVAL, UNTOUCHED},
	    {"-0", 10, -EINVAL, UNTOUCHED},
	    {" 1", 10, -EINVAL, UNTOUCHED},
	    {"1 ", 10, -EINVAL, UNTOUCHED},
	    {"0x10", 100, -EINVAL, UNTOUCHED},
	    {"1e3", 10000, -EINVAL, UNTOUCHED},
	    {"1.0", 10, -EINVAL, UNTOUCHED},
	    {"abc", 10, -EINVAL, UNTOUCHED},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		uint64_t out = UNTOUCHED;
		int rc = parse_uint(cases[i].in, cases[i].max, &out);

		cr_expect_eq(rc, cases[i].rc, "parse_uint(\"%s\", %llu): rc %d, want %d",
		             cases[i].in, (unsigned long long)cases[i].max, rc, cases[i].rc);
		cr_expect_eq(out, cases[i].out, "parse_uint(\"%s\", %llu): out %llu, want %llu",
		             cases[i].in, (unsigned long long)cases[i].max, (unsigned long long)out,
		             (unsigned long long)cases[i].out);
	}
	cr_expect_eq(parse_uint(NULL, 10, &(uint64_t){0}), -EINVAL);
}

/*
 * Known bug: parse_uint() saturates to UINT64_MAX as soon as v > (UINT64_MAX - 9) / 10, before
 * looking at the last digit. So 18446744073709551610..614 read as UINT64_MAX (rejected for a
 * max just below, wrong value for max = UINT64_MAX), and with max = UINT64_MAX an overflowing
 * string is accepted as UINT64_MAX instead of -ERANGE. No caller uses such a max today.
 * Enable once parse_uint() is fixed.
 */
Test(parse, uint_full_range)
{
	static const struct uint_case cases[] = {
	    {"18446744073709551615", UINT64_MAX, 0, UINT64_MAX},
	    {"18446744073709551610", UINT64_MAX, 0, UINT64_MAX - 5},
	    {"18446744073709551614", UINT64_MAX - 1, 0, UINT64_MAX - 1},
	    {"18446744073709551616", UINT64_MAX, -ERANGE, UNTOUCHED},
	    {"99999999999999999999", UINT64_MAX, -ERANGE, UNTOUCHED},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		uint64_t out = UNTOUCHED;
		int rc = parse_uint(cases[i].in, cases[i].max, &out);

		cr_expect_eq(rc, cases[i].rc, "parse_uint(\"%s\"): rc %d, want %d", cases[i].in, rc,
		             cases[i].rc);
		cr_expect_eq(out, cases[i].out, "parse_uint(\"%s\"): out %llu, want %llu",
		             cases[i].in, (unsigned long long)out,
		             (unsigned long long)cases[i].out);
	}
}

Test(parse, duration_table)
{
	static const struct {
		const char *in;
		int rc;
		uint64_t ms;
	} cases[] = {
	    {"10", 0, 10000},
	    {"10s", 0, 10000},
	    {"500ms", 0, 500},
	    {"2m", 0, 120000},
	    {"1h", 0, 3600000},
	    {"0", 0, 0},
	    {"0ms", 0, 0},
	    {"0h", 0, 0},
	    {"007s", 0, 7000},
	    /* One year is the limit, in every unit. */
	    {"31536000000ms", 0, 31536000000ULL},
	    {"31536000001ms", -ERANGE, UNTOUCHED},
	    {"31536000", 0, 31536000000ULL},
	    {"31536000s", 0, 31536000000ULL},
	    {"31536001s", -ERANGE, UNTOUCHED},
	    {"525600m", 0, 31536000000ULL},
	    {"525601m", -ERANGE, UNTOUCHED},
	    {"8760h", 0, 31536000000ULL},
	    {"8761h", -ERANGE, UNTOUCHED},
	    {"99999999999999999999s", -ERANGE, UNTOUCHED},
	    {"999999999999999999999999999ms", -ERANGE, UNTOUCHED},
	    /* Malformed. Suffixes are case-sensitive. */
	    {"", -EINVAL, UNTOUCHED},
	    {"s", -EINVAL, UNTOUCHED},
	    {"ms", -EINVAL, UNTOUCHED},
	    {"10x", -EINVAL, UNTOUCHED},
	    {"10S", -EINVAL, UNTOUCHED},
	    {"10MS", -EINVAL, UNTOUCHED},
	    {"10M", -EINVAL, UNTOUCHED},
	    {"1.5s", -EINVAL, UNTOUCHED},
	    {"-1", -EINVAL, UNTOUCHED},
	    {"+1", -EINVAL, UNTOUCHED},
	    {" 1s", -EINVAL, UNTOUCHED},
	    {"1s ", -EINVAL, UNTOUCHED},
	    {"1 s", -EINVAL, UNTOUCHED},
	    {"1sms", -EINVAL, UNTOUCHED},
	    {"1d", -EINVAL, UNTOUCHED},
	    /* Found by tests/fuzz: malformed wins over too large; leading zeros never overflow. */
	    {"99999999999x", -EINVAL, UNTOUCHED},
	    {"99999999999999999999999999x", -EINVAL, UNTOUCHED},
	    {"000000000000000000000000007s", 0, 7000},
	    {"0000000000000000000000000000000000000ms", 0, 0},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		uint64_t ms = UNTOUCHED;
		int rc = parse_duration(cases[i].in, &ms);

		cr_expect_eq(rc, cases[i].rc, "parse_duration(\"%s\"): rc %d, want %d", cases[i].in,
		             rc, cases[i].rc);
		cr_expect_eq(ms, cases[i].ms, "parse_duration(\"%s\"): %llu ms, want %llu",
		             cases[i].in, (unsigned long long)ms, (unsigned long long)cases[i].ms);
	}
	cr_expect_eq(parse_duration(NULL, &(uint64_t){0}), -EINVAL);
	cr_expect_eq(PARSE_DURATION_MAX_MS, 31536000000ULL);
}

Test(parse, exit_code_table)
{
	static const struct {
		const char *in;
		int rc;
		int code;
	} cases[] = {
	    {"0", 0, 0},          {"1", 0, 1},          {"143", 0, 143},
	    {"255", 0, 255},      {"256", -ERANGE, -7}, {"99999999999", -ERANGE, -7},
	    {"abc", -EINVAL, -7}, {"", -EINVAL, -7},    {"-1", -EINVAL, -7},
	    {"4 2", -EINVAL, -7},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		int code = -7;
		int rc = parse_exit_code(cases[i].in, &code);

		cr_expect_eq(rc, cases[i].rc, "parse_exit_code(\"%s\"): rc %d, want %d",
		             cases[i].in, rc, cases[i].rc);
		cr_expect_eq(code, cases[i].code, "parse_exit_code(\"%s\"): %d, want %d",
		             cases[i].in, code, cases[i].code);
	}
}

Test(parse, bool_table)
{
	static const struct {
		const char *in;
		int rc;
		int out; /* 1, 0, or -1 for untouched */
	} cases[] = {
	    {"1", 0, 1},         {"true", 0, 1},       {"TRUE", 0, 1},
	    {"YES", 0, 1},       {"yes", 0, 1},        {"On", 0, 1},
	    {"0", 0, 0},         {"false", 0, 0},      {"False", 0, 0},
	    {"no", 0, 0},        {"NO", 0, 0},         {"off", 0, 0},
	    {"", 0, 0},          {"2", -EINVAL, -1},   {"maybe", -EINVAL, -1},
	    {" 1", -EINVAL, -1}, {"1 ", -EINVAL, -1},  {"y", -EINVAL, -1},
	    {"01", -EINVAL, -1}, {"tru", -EINVAL, -1},
	};

	for (size_t i = 0; i < LEN(cases); i++) {
		/* Start from the opposite of the answer, so "untouched" and "set" differ. */
		bool out = cases[i].out != 1;
		bool before = out;
		int rc = parse_bool(cases[i].in, &out);

		cr_expect_eq(rc, cases[i].rc, "parse_bool(\"%s\"): rc %d, want %d", cases[i].in, rc,
		             cases[i].rc);
		if (cases[i].out < 0) {
			cr_expect_eq(out, before, "parse_bool(\"%s\") changed *out on error",
			             cases[i].in);
		} else {
			cr_expect_eq(out, cases[i].out == 1, "parse_bool(\"%s\"): %d, want %d",
			             cases[i].in, out, cases[i].out);
		}
	}
	cr_expect_eq(parse_bool(NULL, &(bool){false}), -EINVAL);
}

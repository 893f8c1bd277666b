/*
 * What the libFuzzer targets share: the entry point's prototype, a property check that
 * aborts (libFuzzer then reports the input and saves it as crash-<sha1>), and exact-size
 * copies of input bytes so ASan sees any read past a string's NUL.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_CHECK(cond, fmt, ...) - abort with a message when a property does not hold. */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "property failed: %s: ", #cond);                           \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* fuzz_strndup() - @n bytes of @p as a NUL-terminated string in a buffer of exactly n + 1. */
static inline char *fuzz_strndup(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s == NULL) {
		abort();
	}
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/*
 * fuzz_split() - the input up to its first NUL as a string (exact-size copy), and in @rest /
 * @restlen the bytes after that NUL (none when there is no NUL).
 */
static inline char *fuzz_split(const uint8_t *data, size_t size, const uint8_t **rest,
                               size_t *restlen)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t n = nul != NULL ? (size_t)(nul - data) : size;

	*rest = nul != NULL ? nul + 1 : data + size;
	*restlen = nul != NULL ? size - n - 1 : 0;
	return fuzz_strndup(data, n);
}

#pragma once

#include <stddef.h>

/* Verbosity levels: -q lowers, -v raises. */
enum {
	LOG_QUIET = 0, /* errors only */
	LOG_WARN = 1,  /* + warnings (default) */
	LOG_INFO = 2,  /* + spawn path, exit summary */
	LOG_DEBUG = 3, /* + every forwarded signal and reaped process */
};

/* The logging module's state (style rule 13): LOG_QUIET..LOG_DEBUG, and the line prefix. */
extern int log_level;
extern const char *log_prefix; /* "init: "; the persona's ("[dumb-init] ") once known */

/*
 * log_write() - one line on stderr: "init: [warning: ]MESSAGE[: strerror(err)]", written with a
 * single write(2). @err is an errno value, 0 for none. errno is preserved.
 */
__attribute__((format(printf, 3, 4))) void log_write(int level, int err, const char *fmt, ...);

/*
 * log_file() - replace the content of @path with @len bytes of @text and a newline (the
 * termination message). Failure is a warning, never fatal. Returns 0 or -errno.
 */
int log_file(const char *path, const char *text, size_t len);

/* die() - log an error and exit(@code). Only before the child exists (style rule 12). */
__attribute__((format(printf, 3, 4), noreturn)) void die(int code, int err, const char *fmt, ...);

#define log_err(err, ...)                                                                          \
	do {                                                                                       \
		log_write(LOG_QUIET, (err), __VA_ARGS__);                                          \
	} while (0)
#define log_warn(err, ...)                                                                         \
	do {                                                                                       \
		if (log_level >= LOG_WARN)                                                         \
			log_write(LOG_WARN, (err), __VA_ARGS__);                                   \
	} while (0)
/* A line worth seeing at the default verbosity that is not a warning. */
#define log_notice(...)                                                                            \
	do {                                                                                       \
		if (log_level >= LOG_WARN)                                                         \
			log_write(LOG_INFO, 0, __VA_ARGS__);                                       \
	} while (0)
#define log_info(...)                                                                              \
	do {                                                                                       \
		if (log_level >= LOG_INFO)                                                         \
			log_write(LOG_INFO, 0, __VA_ARGS__);                                       \
	} while (0)
#define log_debug(...)                                                                             \
	do {                                                                                       \
		if (log_level >= LOG_DEBUG)                                                        \
			log_write(LOG_DEBUG, 0, __VA_ARGS__);                                      \
	} while (0)

/* Leveled, errno-preserving, one write(2) per line, on stderr only (never the app's stdout). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

int log_level = LOG_WARN;

static void log_vwrite(int level, int err, const char *fmt, va_list ap)
{
	char line[512];
	int saved = errno, n;
	size_t len;

	n = snprintf(line, sizeof(line), "init: %s", level == LOG_WARN ? "warning: " : "");
	len = n > 0 ? (size_t)n : 0;
	n = vsnprintf(line + len, sizeof(line) - len, fmt, ap); // NOLINT: ap is started by callers
	len = n > 0 ? len + (size_t)n : len;
	if (err != 0 && len < sizeof(line)) {
		n = snprintf(line + len, sizeof(line) - len, ": %s", strerror(err));
		len = n > 0 ? len + (size_t)n : len;
	}
	if (len > sizeof(line) - 2) {
		len = sizeof(line) - 2; /* truncated: still one line */
	}
	line[len++] = '\n';
	/* Nothing to do if stderr is gone; the init must go on. */
	(void)!write(STDERR_FILENO, line, len);
	errno = saved;
}

void log_write(int level, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(level, err, fmt, ap);
	va_end(ap);
}

void die(int code, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(LOG_QUIET, err, fmt, ap);
	va_end(ap);
	exit(code);
}

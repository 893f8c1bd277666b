/* Leveled, errno-preserving, one write(2) per line, on stderr only (never the app's stdout). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

int log_level = LOG_WARN;
const char *log_prefix = "init: ";

/*
 * Copy @in to @out with every control byte written as \xNN: what the user typed (a signal
 * name, a command) ends up in the message, and a newline or an escape sequence in it must
 * neither start a second line nor reach the terminal. Returns the length written.
 */
static size_t escape(char *out, size_t outlen, const char *in, size_t inlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;

	for (size_t i = 0; i < inlen; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c >= 0x20 && c != 0x7f) {
			if (n + 1 > outlen) {
				break;
			}
			out[n++] = (char)c;
			continue;
		}
		if (n + 4 > outlen) {
			break;
		}
		out[n++] = '\\';
		out[n++] = 'x';
		out[n++] = hex[c >> 4];
		out[n++] = hex[c & 0xf];
	}
	return n;
}

static void log_vwrite(int level, int err, const char *fmt, va_list ap)
{
	char msg[512], line[600];
	int saved = errno, n;
	size_t len, mlen;

	n = vsnprintf(msg, sizeof(msg), fmt, ap); // NOLINT: ap is started by callers
	mlen = n < 0 ? 0 : (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
	len = (size_t)snprintf(line, sizeof(line), "%s%s", log_prefix,
	                       level == LOG_WARN ? "warning: " : "");
	/* Room for ": strerror" and the newline is kept: a long message is cut, not the error. */
	len += escape(line + len, sizeof(line) - len - 80, msg, mlen);
	if (err != 0) {
		n = snprintf(line + len, sizeof(line) - len - 1, ": %s", strerror(err));
		len += n > 0 ? (size_t)n : 0;
		if (len > sizeof(line) - 2) {
			len = sizeof(line) - 2;
		}
	}
	line[len++] = '\n';
	/*
	 * Nothing to do if stderr is gone; the init must go on. The SIGPIPE or SIGXFSZ that a
	 * failed write raises is the init's own, and the loop drops it (signals_caused_by_self).
	 */
	(void)!write(STDERR_FILENO, line, len);
	errno = saved;
}

int log_file(const char *path, const char *text, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644), r = 0;
	char line[len + 1];
	size_t off = 0;

	if (fd < 0) {
		r = -errno;
		log_warn(-r, "cannot write the termination message to %s", path);
		return r;
	}
	memcpy(line, text, len);
	line[len] = '\n';
	/*
	 * One write normally: a reader never sees half a message (Kubernetes reads after the
	 * exit). A short one (RLIMIT_FSIZE, a full disk) is retried for the real error.
	 */
	while (off < len + 1 && r == 0) {
		ssize_t n = write(fd, line + off, len + 1 - off);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		r = n < 0 ? -errno : n == 0 ? -EIO : 0;
		off += n > 0 ? (size_t)n : 0;
	}
	if (close(fd) < 0 && r == 0 && errno != EINTR) {
		r = -errno;
	}
	if (r < 0) {
		log_warn(-r, "cannot write the termination message to %s", path);
	}
	return r;
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

/* The end-of-run summary line (see summary.h). Pure: no system calls. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "sigtab.h"
#include "summary.h"

/* Longest command name written before it is cut: the rest of the line must fit too. */
#define CMD_MAX 200

struct out {
	char *buf;
	size_t len, off;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->off + 1 >= o->len) {
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->off, o->len - o->off, fmt, ap); // NOLINT: started above
	va_end(ap);
	if (n > 0) {
		o->off += (size_t)n < o->len - o->off ? (size_t)n : o->len - o->off - 1;
	}
}

/*
 * A byte that may stand as it is in a value: printable ASCII but logfmt's separators, and in
 * a list item (@item) the list's own, ',' and '/'.
 */
static bool plain(unsigned char c, bool item)
{
	return c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '=' &&
	       !(item && (c == ',' || c == '/'));
}

/* At most @max bytes of @s, escaped, and "..." when cut. */
static void put_escaped(struct out *o, const char *s, size_t max, bool item)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char c = (unsigned char)s[i];

		if (plain(c, item)) {
			put(o, "%c", c);
		} else {
			put(o, "\\x%02x", c);
		}
	}
	if (n > max) {
		put(o, "...");
	}
}

static void put_child(struct out *o, const struct summary *s)
{
	char name[20];
	int sig;

	switch (s->child) {
	case SUMMARY_NONE:
		put(o, " child=none");
		return;
	case SUMMARY_NOT_RUN:
		/* Stages such as "bounding set" have a space: quoted, as the error is. */
		put(o,
		    strchr(s->stage, ' ') != NULL ? " child=not-started stage=\"%s\""
		                                  : " child=not-started stage=%s",
		    s->stage);
		put(o, " error=\"%s\"", strerror(s->err));
		return;
	case SUMMARY_SURVIVED:
		put(o, " child=survived-sigkill");
		return;
	case SUMMARY_ENDED:
		break;
	}
	if (!WIFSIGNALED(s->status)) {
		put(o, " child=exited code=%d", WEXITSTATUS(s->status));
		return;
	}
	sig = WTERMSIG(s->status);
	/*
	 * Whether the init passed that signal on: if not, someone else sent it (the OOM killer);
	 * "init" for the SIGKILL of -k, which the init sent itself.
	 */
	put(o, " child=signaled signal=%s forwarded=%s", sigtab_name(sig, name, sizeof(name)),
	    sig == SIGKILL && s->init_killed                    ? "init"
	    : sig <= 64 && (s->forwarded & (1ULL << (sig - 1))) ? "yes"
	                                                        : "no");
}

static void put_drain(struct out *o, const struct summary *s)
{
	const struct drain_report *k = s->killed;

	if (s->term_delay_ms > 0) {
		put(o, " term_delay=%llums", (unsigned long long)s->term_delay_ms);
	}
	if (s->drain_term < 0) {
		put(o, " drain_term=unknown");
	} else {
		put(o, " drain_term=%d", s->drain_term);
	}
	if (s->drain_term >= 0 && s->drain_killed >= 0) {
		int left = s->drain_term - s->drain_killed;

		put(o, " drain_exited=%d", left > 0 ? left : 0);
	}
	if (s->drain_killed < 0) {
		put(o, " drain_killed=unknown");
		return;
	}
	put(o, " drain_killed=%d", s->drain_killed);
	if (k == NULL || k->nnamed == 0 || s->drain_killed == 0) {
		return;
	}
	put(o, " killed=");
	for (int i = 0; i < k->nnamed; i++) {
		put(o, "%s%d/", i ? "," : "", (int)k->named[i].pid);
		put_escaped(o, k->named[i].comm, sizeof(k->named[i].comm), true);
	}
	if (s->drain_killed > k->nnamed) {
		put(o, ",+%d", s->drain_killed - k->nnamed);
	}
}

size_t summary_format(const struct summary *s, char *buf, size_t len)
{
	struct out o = {.buf = buf, .len = len < SUMMARY_MAX ? len : SUMMARY_MAX};

	if (o.len == 0) {
		return 0;
	}
	buf[0] = '\0';
	put(&o, "exit_code=%d", s->exit_code);
	put_child(&o, s);
	if (s->cmd != NULL) {
		put(&o, " cmd=");
		put_escaped(&o, s->cmd, CMD_MAX, false);
	}
	put_drain(&o, s);
	return o.off;
}

/* Signal names both ways: a table, not a switch ladder (skalibs sig_name/sig_number). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "parse.h"
#include "sigtab.h"

struct signame {
	const char *name; /* without the "SIG" prefix */
	int sig;
};

static const struct signame names[] = {
    {"HUP", SIGHUP},       {"INT", SIGINT},     {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP},     {"ABRT", SIGABRT},   {"IOT", SIGABRT},  {"BUS", SIGBUS},
    {"FPE", SIGFPE},       {"KILL", SIGKILL},   {"USR1", SIGUSR1}, {"SEGV", SIGSEGV},
    {"USR2", SIGUSR2},     {"PIPE", SIGPIPE},   {"ALRM", SIGALRM}, {"TERM", SIGTERM},
    {"STKFLT", SIGSTKFLT}, {"CHLD", SIGCHLD},   {"CLD", SIGCHLD},  {"CONT", SIGCONT},
    {"STOP", SIGSTOP},     {"TSTP", SIGTSTP},   {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},
    {"URG", SIGURG},       {"XCPU", SIGXCPU},   {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM},
    {"PROF", SIGPROF},     {"WINCH", SIGWINCH}, {"IO", SIGIO},     {"POLL", SIGIO},
    {"PWR", SIGPWR},       {"SYS", SIGSYS},
};

/* "RTMIN", "RTMIN+N", "RTMAX", "RTMAX-N" (prefix already stripped); -EINVAL if not one. */
static int rt_number(const char *s)
{
	int base, sign;
	uint64_t off = 0;

	if (strncasecmp(s, "RTMIN", 5) == 0) {
		base = SIGTAB_RTMIN;
		sign = '+';
	} else if (strncasecmp(s, "RTMAX", 5) == 0) {
		base = SIGTAB_MAX;
		sign = '-';
	} else {
		return -EINVAL;
	}
	s += 5;
	if (*s != '\0') {
		if (*s != sign || parse_uint(s + 1, SIGTAB_MAX - SIGTAB_RTMIN, &off) < 0) {
			return -EINVAL;
		}
	}
	return sign == '+' ? base + (int)off : base - (int)off;
}

int sigtab_number(const char *name)
{
	uint64_t n;

	if (name == NULL) {
		return -EINVAL;
	}
	if (parse_uint(name, SIGTAB_MAX, &n) == 0) {
		return n >= 1 ? (int)n : -EINVAL;
	}
	if (strncasecmp(name, "SIG", 3) == 0) {
		name += 3;
		/* "SIG32": how sigtab_name() writes the two signals that have no name. */
		if (parse_uint(name, SIGTAB_MAX, &n) == 0) {
			return n >= 1 ? (int)n : -EINVAL;
		}
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			return names[i].sig;
		}
	}
	return rt_number(name);
}

const char *sigtab_name(int sig, char *buf, size_t len)
{
	if (sig < 1 || sig > SIGTAB_MAX) {
		snprintf(buf, len, "SIG?%d", sig);
	} else if (sig == SIGTAB_MAX) {
		snprintf(buf, len, "SIGRTMAX");
	} else if (sig == SIGTAB_RTMIN) {
		snprintf(buf, len, "SIGRTMIN");
	} else if (sig > SIGTAB_RTMIN) {
		snprintf(buf, len, "SIGRTMIN+%d", sig - SIGTAB_RTMIN);
	} else {
		/* The first entry with this number is the canonical name (IOT, CLD, POLL follow).
		 */
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			if (names[i].sig == sig) {
				snprintf(buf, len, "SIG%s", names[i].name);
				return buf;
			}
		}
		snprintf(buf, len, "SIG%d", sig);
	}
	return buf;
}

bool sigtab_forwardable(int sig)
{
	return sig >= 1 && sig <= SIGTAB_MAX && sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD;
}

bool sigtab_is_termination(int sig)
{
	return sig == SIGTERM || sig == SIGINT || sig == SIGQUIT || sig == SIGHUP;
}

/*
 * The length of what comes before the number in a signal written with one: "" ("15"), "SIG"
 * ("SIG15"), "RTMIN+", "SIGRTMAX-". Leading zeros right after it do not change what
 * sigtab_number() makes of the string; anywhere else they may ("USR01" is not "USR1").
 */
static size_t number_prefix(const char *s)
{
	size_t p = strncasecmp(s, "SIG", 3) == 0 ? 3 : 0;

	if (strncasecmp(s + p, "RTMIN+", 6) == 0 || strncasecmp(s + p, "RTMAX-", 6) == 0) {
		p += 6;
	}
	return p;
}

int sigtab_rewrite(const char *s, int *from, int *to)
{
	const char *colon;
	char left[32];
	size_t p, z, n;
	uint64_t zero;
	int f, t;

	if (s == NULL || (colon = strchr(s, ':')) == NULL) {
		return -EINVAL;
	}
	/* FROM without the leading zeros of its number, which can be any number of them. */
	p = number_prefix(s);
	z = p;
	while (s[z] == '0' && s[z + 1] >= '0' && s[z + 1] <= '9') {
		z++;
	}
	n = p + (size_t)(colon - s) - z;
	if (n >= sizeof(left)) {
		return -EINVAL;
	}
	memcpy(left, s, p);
	memcpy(left + p, s + z, n - p);
	left[n] = '\0';
	f = sigtab_number(left);
	if (f < 0 || !sigtab_forwardable(f)) {
		return -EINVAL;
	}
	t = parse_uint(colon + 1, 0, &zero) == 0 ? 0 : sigtab_number(colon + 1);
	if (t < 0) {
		return -EINVAL;
	}
	*from = f;
	*to = t;
	return 0;
}

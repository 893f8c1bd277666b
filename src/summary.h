#pragma once
/*
 * The one-line account of how a run ended, for --termination-log (Kubernetes shows it in
 * `kubectl describe pod`) and as the last log line when the drain had to SIGKILL. Pure (style
 * rule 2): the loop fills the struct, this module only formats.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "drain.h"

/* Kubernetes keeps at most this many bytes of a termination message. */
#define SUMMARY_MAX 4096

enum summary_child {
	SUMMARY_NONE,     /* pause mode: no child */
	SUMMARY_ENDED,    /* reaped: status says how */
	SUMMARY_NOT_RUN,  /* its exec or set-up failed: stage and err say why */
	SUMMARY_SURVIVED, /* -k gave up on it: SIGKILL did not end it */
};

struct summary {
	int exit_code; /* the init's */
	enum summary_child child;
	const char *cmd;        /* the command as given, NULL in pause mode */
	int status;             /* SUMMARY_ENDED: its wait status */
	uint64_t forwarded;     /* bit N-1: signal N was forwarded to it */
	bool init_killed;       /* the init itself SIGKILLed it (-k) */
	const char *stage;      /* SUMMARY_NOT_RUN: "exec", or the set-up stage */
	int err;                /* SUMMARY_NOT_RUN: the errno */
	uint64_t term_delay_ms; /* the first SIGTERM was held this long, 0 if not */
	int drain_term;         /* processes the drain sent SIGTERM, -1: unknown */
	int drain_killed;       /* processes SIGKILLed (grace over, -k, --grace 0), -1: unknown */
	const struct drain_report *killed; /* the first SIGKILL's report, to name them; or NULL */
};

/*
 * summary_format() - the line, without a newline, in logfmt: key=value pairs; the error text
 * and a stage with a space are quoted; in the command and the process names, spaces, bytes
 * outside printable ASCII and the quoting characters are written \xNN:
 *
 *   exit_code=143 child=signaled signal=SIGTERM forwarded=yes cmd=app drain_term=3
 *   drain_exited=1 drain_killed=2 killed=12/sleep,13/worker
 *
 * Never more than @len - 1 bytes (nor SUMMARY_MAX - 1): a long command name is cut with "...".
 * Returns the length.
 */
size_t summary_format(const struct summary *s, char *buf, size_t len);

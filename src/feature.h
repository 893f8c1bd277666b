#pragma once

#include <stdbool.h>

/* Kernel features the init probes where it first uses them (style rule 5). */
enum feature {
	FEATURE_CLONE3,            /* clone3(CLONE_PIDFD): 5.3 */
	FEATURE_CLONE_PIDFD,       /* clone(CLONE_PIDFD): 5.2 */
	FEATURE_PIDFD_OPEN,        /* pidfd_open: 5.3 */
	FEATURE_PIDFD_SEND_SIGNAL, /* pidfd_send_signal: 5.1 */
	FEATURE_PIDFD_PGROUP,      /* PIDFD_SIGNAL_PROCESS_GROUP: 6.9 */
	FEATURE_WAITID_PIDFD,      /* waitid(P_PIDFD): 5.4 (reported only) */
	FEATURE_CLOSE_RANGE,       /* close_range: 5.9 */
	FEATURE_COUNT,
};

/* The cached answer for one feature. */
typedef enum feat {
	FEAT_UNKNOWN,
	FEAT_YES,
	FEAT_NO,
} feat_t;

/*
 * feat_maybe() - false when @f is known to be unusable; true when it is known to work or has
 * not been tried. Under a seccomp filter, the first call for @f runs the call in a throw-away
 * child first: a filter that answers with SIGSYS (SECCOMP_RET_TRAP) kills only that child, and
 * the feature is marked FEAT_NO instead of killing the init.
 */
bool feat_maybe(enum feature f);

/*
 * feat_note() - record the outcome of a real call of @f: @err 0 means it worked. Returns true
 * when @err says "unsupported" for this call (then the caller falls back), false when it is
 * a real error that must be reported, not worked around.
 */
bool feat_note(enum feature f, int err);

/* feat_get() - the cached state of @f. */
feat_t feat_get(enum feature f);

/*
 * feat_report() - print one line per feature to stdout ("clone3: yes", "clone3: no (ENOSYS)",
 * "clone3: no (trapped by seccomp)"), each probed in a throw-away child. For --version.
 */
void feat_report(void);

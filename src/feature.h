#pragma once

#include <stdbool.h>

/* Kernel features the init probes once at start-up (style rule 5). */
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
 * feat_probe() - at start-up, before the child exists, and only under a seccomp filter (where
 * a call could kill with SIGSYS): try the features in @mask (bits 1 << enum feature) in one
 * throw-away child, which a SECCOMP_RET_TRAP rule kills instead of the init (the rest are
 * tried in a new child). Features that are trapped, answer "unsupported", or are not in
 * @mask are marked FEAT_NO. Without a filter it does nothing: the real calls answer for
 * themselves. Called once: nothing forks later. Returns 0, or -errno when no child could be
 * run (fork or pipe failed), and then every feature is marked FEAT_NO: no call is risked.
 */
int feat_probe(unsigned mask);

/*
 * feat_maybe() - false when @f is known to be unusable; true when it is known to work or has
 * not been tried yet (then its first real call decides, through feat_note()). No system call.
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
 * "clone3: no (trapped by seccomp: SIGSYS)"), probed in a throw-away child. For --version.
 */
void feat_report(void);

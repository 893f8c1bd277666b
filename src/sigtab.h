#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Signal numbers are the kernel's, 1..SIGTAB_MAX (_NSIG - 1 on x86_64 and arm64).
 * Real-time names follow glibc and `kill -l`: SIGRTMIN is 34 (32 and 33 are reserved by
 * glibc's threads), SIGRTMAX is 64. We never use libc's SIGRTMIN macro: musl says 35.
 */
#define SIGTAB_MAX   64
#define SIGTAB_RTMIN 34

/*
 * sigtab_number() - parse a signal: "SIGTERM", "TERM", "term", "15", "RTMIN", "SIGRTMIN+3",
 * "RTMAX-2". Returns 1..SIGTAB_MAX, or -EINVAL for anything else (including 0 and numbers
 * above SIGTAB_MAX).
 */
int sigtab_number(const char *name);

/*
 * sigtab_name() - the name of @sig ("SIGTERM", "SIGRTMIN+3", "SIGRTMAX", "SIG32") written into
 * @buf of @len bytes; returns @buf. An out-of-range @sig gives "SIG?<n>" rather than failing.
 */
const char *sigtab_name(int sig, char *buf, size_t len);

/*
 * sigtab_forwardable() - true for the signals the init passes on: every one that can be
 * caught (not SIGKILL, SIGSTOP) except SIGCHLD, which is the init's own.
 */
bool sigtab_forwardable(int sig);

/* sigtab_is_termination() - SIGTERM, SIGINT, SIGQUIT or SIGHUP: the signals that stop a tree. */
bool sigtab_is_termination(int sig);

/*
 * sigtab_rewrite() - "FROM:TO" where FROM is a forwardable signal and TO is a signal or 0
 * (drop). Both sides take every form sigtab_number() takes. Returns 0 or -EINVAL.
 */
int sigtab_rewrite(const char *s, int *from, int *to);

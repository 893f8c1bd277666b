#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

/*
 * The child's credentials, decided in the parent (style rule 8) and applied in the child with
 * system calls only. Sets are bit masks, bit N for capability N.
 */
struct privs {
	bool user; /* -u: groups, gid and uid change */
	uint32_t uid, gid;
	uint32_t *groups;
	size_t ngroups;
	bool caps;           /* --cap-*: the capability sets change */
	uint64_t own_prm;    /* the init's permitted set: effective again after setresuid */
	uint64_t bound_drop; /* entries of the bounding set to drop */
	uint64_t prm;        /* the child's permitted and effective sets */
	uint64_t inh, amb;   /* its inheritable and ambient sets */
	bool no_new_privs;
	char *home; /* "HOME=..." for the child when the environment has no HOME, or NULL */
};

/* Where privs_apply() failed: the exec report names it. */
enum privs_stage {
	PRIVS_GROUPS = 1,
	PRIVS_GID,
	PRIVS_UID,
	PRIVS_BOUNDING,
	PRIVS_CAPS,
	PRIVS_AMBIENT,
	PRIVS_NO_NEW_PRIVS,
};

/*
 * privs_prepare() - resolve -u against the container's /etc/passwd and /etc/group and the
 * capability names with libcap, and check that the init has the right to make the change.
 * Returns 0; -EINVAL for a name that does not exist, -EPERM for a change the init may not
 * make, with the message in @err; or another -errno (the message says which call).
 */
int privs_prepare(const struct config *cfg, char **envp, struct privs *pv, char *err,
                  size_t errlen);

/* privs_apply() - in the child, between clone and exec. Returns 0, or -errno and *@stage. */
int privs_apply(const struct privs *pv, int *stage);

/* The name of a privs_stage, for the message of a failed set-up. */
const char *privs_stage_name(int stage);

void privs_free(struct privs *pv);

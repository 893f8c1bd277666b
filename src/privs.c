/*
 * -u, --cap-drop, --cap-add and --no-new-privs for the child. libcap knows the names, and
 * owncaps.c reads the init's own sets (design §4); the parent computes every set, and the child
 * only makes the system calls (style rule 8), in the one order that works: groups and gid while
 * it may, uid with the permitted set kept (PR_SET_KEEPCAPS), then the bounding set (needs
 * CAP_SETPCAP effective), the permitted, effective and inheritable sets, the ambient set (each
 * entry must be permitted and inheritable), no_new_privs.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "owncaps.h"
#include "privs.h"
#include "sys.h"
#include "userdb.h"

/* The files -u reads are small; a bigger one is not a passwd file. */
#define USERDB_FILE_MAX (16U << 20)

/* The whole of @path, NUL-terminated, or NULL (errno set) when it cannot be read. */
static char *read_text(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *buf = NULL;

	if (fd < 0) {
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (len + 1 >= cap || buf == NULL) {
			char *nb = cap > USERDB_FILE_MAX ? NULL : realloc(buf, cap *= 2);

			if (nb == NULL) {
				free(buf);
				close(fd);
				errno = EFBIG;
				return NULL;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			int e = errno;

			free(buf);
			close(fd);
			errno = e;
			return NULL;
		}
		if (n == 0) {
			break;
		}
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	return buf;
}

/*
 * Does -u replace HOME? When it is unset, and when it is what the engine set for the init's
 * own user: Docker and Podman always set HOME, to the passwd home of the container's user
 * (/root), or "/" for a uid not in passwd; `-u app` must then give /home/app, as `docker run
 * --user app` does. A HOME the user chose is kept.
 */
static bool replace_home(const char *home, const char *passwd)
{
	char uid[16], err[8];
	struct userdb_ids me;

	if (home == NULL) {
		return true;
	}
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	if (userdb_resolve(uid, passwd, NULL, 0, &me, err, sizeof(err)) < 0 || !me.known) {
		return strcmp(home, "/") == 0;
	}
	return strlen(home) == me.home_len && strncmp(home, me.home, me.home_len) == 0;
}

static int prepare_user(const char *spec, char **envp, struct privs *pv, char *err, size_t errlen)
{
	char *passwd = read_text("/etc/passwd"), *group = read_text("/etc/group");
	struct userdb_ids ids;
	int r = userdb_resolve(spec, passwd, group, (uint32_t)getgid(), &ids, err, errlen);

	if (r == 0) {
		size_t n = userdb_groups(&ids, group, NULL, 0);

		pv->user = true;
		pv->uid = ids.uid;
		pv->gid = ids.gid;
		pv->groups = n > 0 ? calloc(n, sizeof(*pv->groups)) : NULL;
		pv->ngroups = pv->groups != NULL ? userdb_groups(&ids, group, pv->groups, n) : 0;
		if (n > 0 && pv->groups == NULL) {
			r = (snprintf(err, errlen, "no memory for the groups of '%s'", spec),
			     -ENOMEM);
		} else if (n > NGROUPS_MAX) {
			r = (snprintf(err, errlen,
			              "user '%s' is in %zu groups, above the kernel's %d", spec, n,
			              NGROUPS_MAX),
			     -EINVAL);
		}
	}
	if (r == 0 && replace_home(config_env(envp, "HOME"), passwd)) {
		int len = ids.known && ids.home_len > 0 ? (int)ids.home_len : 1;
		const char *home = ids.known && ids.home_len > 0 ? ids.home : "/";

		if (asprintf(&pv->home, "HOME=%.*s", len, home) < 0) {
			pv->home = NULL;
			r = (snprintf(err, errlen, "no memory for HOME"), -ENOMEM);
		}
	}
	free(passwd);
	free(group);
	return r;
}

/*
 * The capabilities named in @lists (Docker's NET_RAW or libcap's cap_net_raw, any case;
 * "all"), comma- or space-separated, into *@mask. @all: every capability of this kernel.
 */
static int cap_names(const char *const *lists, size_t n, uint64_t all, const char *what,
                     uint64_t *mask, char *err, size_t errlen)
{
	*mask = 0;
	for (size_t i = 0; i < n; i++) {
		for (const char *s = lists[i]; *s != '\0';) {
			size_t len = strcspn(s, ", ");
			char name[64];
			cap_value_t v;

			if (len == 0) {
				s++;
				continue;
			}
			if (len == 3 && strncasecmp(s, "all", 3) == 0) {
				*mask |= all;
			} else {
				bool prefixed = len > 4 && strncasecmp(s, "cap_", 4) == 0;

				/* libcap wants the cap_ prefix; Docker's names have none. */
				snprintf(name, sizeof(name), "%s%.*s", prefixed ? "" : "cap_",
				         (int)len, s);
				if (len >= sizeof(name) - 4 || cap_from_name(name, &v) < 0 ||
				    v < 0 || v >= 64 || !(all & CAPS_BIT(v))) {
					return (snprintf(err, errlen,
					                 "unknown capability '%.*s' for %s",
					                 (int)len, s, what),
					        -EINVAL);
				}
				*mask |= CAPS_BIT(v);
			}
			s += len;
		}
	}
	return 0;
}

/* The first capability in @mask, by libcap's name, for a message. */
static const char *first_name(uint64_t mask, char *buf, size_t len)
{
	for (int i = 0; i < 64; i++) {
		if (mask & CAPS_BIT(i)) {
			char *n = cap_to_name(i);

			snprintf(buf, len, "%s", n != NULL ? n : "?");
			cap_free(n);
			break;
		}
	}
	return buf;
}

static int prepare_caps(const struct config *cfg, const struct capsets *own, struct privs *pv,
                        char *err, size_t errlen)
{
	uint64_t all = own->max >= 64 ? ~0ULL : CAPS_BIT(own->max) - 1, drop = 0, add = 0, bound;
	bool drop_all = false, root;
	char name[64];
	int r;

	r = cap_names(cfg->cap_drop, cfg->n_cap_drop, all, "--cap-drop", &drop, err, errlen);
	if (r == 0) {
		r = cap_names(cfg->cap_add, cfg->n_cap_add, all, "--cap-add", &add, err, errlen);
	}
	if (r < 0) {
		return r;
	}
	drop_all = drop == all;
	/* "--cap-add all": everything the init can give. */
	if (add == all) {
		add = own->prm & own->bnd;
	}
	if (add & ~(own->prm & own->bnd)) {
		return (snprintf(err, errlen,
		                 "--cap-add %s: the init does not hold that capability itself",
		                 first_name(add & ~(own->prm & own->bnd), name, sizeof(name))),
		        -EPERM);
	}
	bound = ((drop_all ? 0 : own->bnd) & ~drop) | add;
	root = pv->user ? pv->uid == 0 : getuid() == 0;
	pv->caps = true;
	pv->own_prm = own->prm;
	pv->bound_drop = own->bnd & ~bound;
	/*
	 * A non-root child gets what was added as ambient capabilities, so that they survive
	 * its exec (what `docker run --user --cap-add` users expect, and Docker does not do).
	 * Root's are recomputed from the bounding set at exec anyway. A new user (-u) starts
	 * with nothing else, with or without --cap-*, as setresuid() without KEEPCAPS leaves it;
	 * the same user keeps the init's own ambient set, less what was dropped.
	 */
	pv->amb = (pv->user ? 0 : own->amb & bound) | (root ? 0 : add);
	pv->inh = (pv->user ? 0 : own->inh & bound) | pv->amb;
	pv->prm = (pv->user && !root ? 0 : own->prm & bound) | pv->amb;
	if (pv->bound_drop != 0 && !(own->eff & CAPS_BIT(CAP_SETPCAP))) {
		return (snprintf(
		            err, errlen,
		            "--cap-drop needs CAP_SETPCAP to shrink the bounding set, and the init "
		            "does not have it"),
		        -EPERM);
	}
	return 0;
}

int privs_prepare(const struct config *cfg, char **envp, struct privs *pv, char *err, size_t errlen)
{
	struct capsets own;
	int r;

	memset(pv, 0, sizeof(*pv));
	pv->no_new_privs = cfg->no_new_privs;
	if (cfg->user == NULL && cfg->n_cap_drop == 0 && cfg->n_cap_add == 0) {
		return 0;
	}
	r = owncaps_read(&own);
	if (r < 0) {
		return (snprintf(err, errlen, "cannot read the init's capabilities"), r);
	}
	if (cfg->user != NULL) {
		r = prepare_user(cfg->user, envp, pv, err, errlen);
		if (r == 0 && (own.eff & (CAPS_BIT(CAP_SETUID) | CAPS_BIT(CAP_SETGID))) !=
		                  (CAPS_BIT(CAP_SETUID) | CAPS_BIT(CAP_SETGID))) {
			r = (snprintf(err, errlen,
			              "-u needs CAP_SETUID and CAP_SETGID, and the init (uid %u) "
			              "does not "
			              "have them",
			              (unsigned)getuid()),
			     -EPERM);
		}
	}
	if (r == 0 && (cfg->n_cap_drop > 0 || cfg->n_cap_add > 0)) {
		r = prepare_caps(cfg, &own, pv, err, errlen);
	} else if (r == 0 && pv->uid != 0 && (own.inh | own.amb) != 0) {
		/*
		 * setresuid() clears a new user's permitted, effective and ambient sets but keeps
		 * the inheritable one: empty it too, so that -u alone gives nothing, as documented.
		 */
		pv->caps = true;
		pv->own_prm = own.prm;
	}
	if (r < 0) {
		privs_free(pv);
	}
	return r;
}

static int failed(int *stage, int s)
{
	*stage = s;
	return -errno;
}

int privs_apply(const struct privs *pv, int *stage)
{
	if (pv->user) {
		if (sys_setgroups(pv->ngroups, pv->groups) < 0) {
			return failed(stage, PRIVS_GROUPS);
		}
		if (sys_setresgid(pv->gid) < 0) {
			return failed(stage, PRIVS_GID);
		}
		/* Keep the permitted set across the uid change: the sets below need it. */
		if (pv->caps && sys_prctl(PR_SET_KEEPCAPS, 1, 0) < 0) {
			return failed(stage, PRIVS_UID);
		}
		if (sys_setresuid(pv->uid) < 0) {
			return failed(stage, PRIVS_UID);
		}
	}
	if (pv->caps) {
		/* The uid change emptied the effective set; CAP_SETPCAP must be in it. */
		if (sys_capset(pv->own_prm, pv->own_prm, 0) < 0) {
			return failed(stage, PRIVS_CAPS);
		}
		for (int c = 0; c < 64; c++) {
			if ((pv->bound_drop & CAPS_BIT(c)) &&
			    sys_prctl(PR_CAPBSET_DROP, (unsigned long)c, 0) < 0) {
				return failed(stage, PRIVS_BOUNDING);
			}
		}
		if (sys_capset(pv->prm, pv->prm, pv->inh) < 0) {
			return failed(stage, PRIVS_CAPS);
		}
		/* EINVAL before Linux 4.3, which has no ambient set to clear. */
		if (sys_prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0) < 0 && pv->amb != 0) {
			return failed(stage, PRIVS_AMBIENT);
		}
		for (int c = 0; c < 64; c++) {
			if ((pv->amb & CAPS_BIT(c)) &&
			    sys_prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, (unsigned long)c) < 0) {
				return failed(stage, PRIVS_AMBIENT);
			}
		}
	}
	if (pv->no_new_privs && sys_prctl(PR_SET_NO_NEW_PRIVS, 1, 0) < 0) {
		return failed(stage, PRIVS_NO_NEW_PRIVS);
	}
	return 0;
}

const char *privs_stage_name(int stage)
{
	static const char *const names[] = {
	    [PRIVS_GROUPS] = "setgroups",
	    [PRIVS_GID] = "setresgid",
	    [PRIVS_UID] = "setresuid",
	    [PRIVS_BOUNDING] = "bounding set",
	    [PRIVS_CAPS] = "capset",
	    [PRIVS_AMBIENT] = "ambient set",
	    [PRIVS_NO_NEW_PRIVS] = "no_new_privs",
	};

	if (stage <= 0 || stage > PRIVS_NO_NEW_PRIVS) {
		return "privileges";
	}
	return names[stage];
}

void privs_free(struct privs *pv)
{
	free(pv->groups);
	free(pv->home);
	pv->groups = NULL;
	pv->home = NULL;
}

/*
 * The init's own capabilities: what it holds, which bounds what -u and --cap-* can give the
 * child (privs.c), and its drop to CAP_KILL once the child exists. libcap reads and sets them
 * (design §4).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/capability.h>

#include "log.h"
#include "owncaps.h"

int owncaps_read(struct capsets *cs)
{
	cap_t c = cap_get_proc();

	memset(cs, 0, sizeof(*cs));
	if (c == NULL) {
		return -errno;
	}
	cs->max = (int)cap_max_bits();
	if (cs->max > 64) {
		cs->max = 64;
	}
	for (int i = 0; i < cs->max; i++) {
		cap_flag_value_t v;

		if (cap_get_flag(c, i, CAP_EFFECTIVE, &v) == 0 && v == CAP_SET) {
			cs->eff |= CAPS_BIT(i);
		}
		if (cap_get_flag(c, i, CAP_PERMITTED, &v) == 0 && v == CAP_SET) {
			cs->prm |= CAPS_BIT(i);
		}
		if (cap_get_flag(c, i, CAP_INHERITABLE, &v) == 0 && v == CAP_SET) {
			cs->inh |= CAPS_BIT(i);
		}
		if (cap_get_bound(i) > 0) {
			cs->bnd |= CAPS_BIT(i);
		}
		/* The kernel keeps the ambient set within permitted and inheritable. */
		if ((cs->prm & cs->inh & CAPS_BIT(i)) && cap_get_ambient(i) > 0) {
			cs->amb |= CAPS_BIT(i);
		}
	}
	cap_free(c);
	return 0;
}

void owncaps_drop(void)
{
	struct capsets own;
	uint64_t keep;
	cap_t c;
	int r = owncaps_read(&own), failed_bound = 0;

	if (r < 0) {
		log_warn(-r, "cannot read the init's capabilities; keeping them");
		return;
	}
	keep = own.prm & CAPS_BIT(CAP_KILL);
	if (own.prm == keep && own.inh == 0 && own.amb == 0 && (own.bnd & ~keep) == 0) {
		return;
	}
	/* The bounding set first, while CAP_SETPCAP is still effective. */
	for (int i = 0; i < own.max; i++) {
		if ((own.bnd & ~keep & CAPS_BIT(i)) && cap_drop_bound(i) < 0) {
			failed_bound++;
		}
	}
	c = cap_init();
	if (c == NULL) {
		log_warn(errno, "cannot drop the init's capabilities");
		return;
	}
	if (keep != 0) {
		cap_value_t kill = CAP_KILL;

		(void)cap_set_flag(c, CAP_PERMITTED, 1, &kill, CAP_SET);
		(void)cap_set_flag(c, CAP_EFFECTIVE, 1, &kill, CAP_SET);
	}
	/* Lowering the sets needs no privilege; it clears the ambient set as well. */
	if (cap_set_proc(c) < 0) {
		log_warn(errno, "cannot drop the init's capabilities; keeping them");
	} else if (failed_bound > 0) {
		/*
		 * Not a warning: the bounding set limits only what an exec gains, and the init
		 * never execs; a --cap-drop SETPCAP container would show it on every start.
		 */
		log_info("caps: init keeps cap_kill; %d bounding set entries kept (no CAP_SETPCAP)",
		         failed_bound);
	} else {
		log_info("caps: init keeps %s", keep != 0 ? "cap_kill" : "none");
	}
	cap_free(c);
}

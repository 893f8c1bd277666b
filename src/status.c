/* Wait status to exit code, and the -e remap table. Pure. */
#include <stdio.h>
#include <sys/wait.h>

#include "sigtab.h"
#include "status.h"

void status_map_add(struct exit_map *map, int code)
{
	if (code >= 0 && code <= 255) {
		map->bits[code / 32] |= 1U << (code % 32);
	}
}

bool status_map_has(const struct exit_map *map, int code)
{
	return map != NULL && code >= 0 && code <= 255 &&
	       (map->bits[code / 32] >> (code % 32)) & 1U;
}

int status_exit_code(int wstatus, const struct exit_map *map)
{
	int code;

	if (WIFEXITED(wstatus)) {
		code = WEXITSTATUS(wstatus);
	} else if (WIFSIGNALED(wstatus)) {
		code = 128 + WTERMSIG(wstatus);
	} else {
		/* Stopped/continued statuses never reach here (no WUNTRACED); be defined anyway. */
		code = 255;
	}
	/* 128 + 64 still fits in 0..255, so no modulo is ever needed (tini's "% 256"). */
	return status_map_has(map, code) ? 0 : code;
}

const char *status_describe(int wstatus, char *buf, unsigned long len)
{
	char name[16];

	if (WIFEXITED(wstatus)) {
		snprintf(buf, len, "exit=%d", WEXITSTATUS(wstatus));
	} else if (WIFSIGNALED(wstatus)) {
		snprintf(buf, len, "killed=%s%s",
		         sigtab_name(WTERMSIG(wstatus), name, sizeof(name)),
		         WCOREDUMP(wstatus) ? " core=yes" : "");
	} else {
		snprintf(buf, len, "status=0x%x", (unsigned)wstatus);
	}
	return buf;
}

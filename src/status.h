#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The set of exit codes that count as success (-e CODE): one bit per code 0..255. */
struct exit_map {
	uint32_t bits[8];
};

/* status_map_add() - let exit code @code (0..255) count as 0. */
void status_map_add(struct exit_map *map, int code);

/* status_map_has() - true when @code is in @map. */
bool status_map_has(const struct exit_map *map, int code);

/*
 * status_exit_code() - the init's exit code for the main child's wait status: its exit code,
 * or 128 + the signal that killed it; then 0 if that code is in @map (@map may be NULL).
 */
int status_exit_code(int wstatus, const struct exit_map *map);

/*
 * status_describe() - "exit=N" or "killed=SIGNAME[ core=yes]" for a wait status, into @buf of
 * @len bytes; returns @buf.
 */
const char *status_describe(int wstatus, char *buf, unsigned long len);

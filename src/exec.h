#pragma once

#include <stdbool.h>
#include <sys/types.h>

/*
 * exec_candidates() - execvp's candidates for @file, to try in order with execve: the name
 * itself if it has a '/' (or is empty), else each PATH entry of @envp + "/" + name (musl's
 * default PATH when @envp has none; an empty entry is the current directory; an entry that
 * makes the name PATH_MAX or longer is skipped, as execvp does).
 *
 * Returns a NULL-terminated array the caller frees, or NULL when out of memory. *@own is true
 * when its entries were allocated (PATH search) and the caller frees them too, false when the
 * only entry is @file itself. An allocation failure part-way ends the list early.
 */
char **exec_candidates(const char *file, char **envp, bool *own);

/*
 * exec_env() - the child's environment: the entries of @envp (not copied), with room in
 * LISTEN_PID for the child's pid if it names the init now, and @extra ("HOME=..." for -u), if
 * any, in place of every entry of the same name.
 *
 * Returns a NULL-terminated array the caller frees, or NULL when out of memory. *@listen_pid is
 * the entry to fill with exec_fill_listen_pid() once the child's pid is known, allocated (the
 * caller frees it) and shared by every LISTEN_PID entry, or NULL when there is none.
 */
char **exec_env(char **envp, char *extra, char **listen_pid);

/*
 * exec_fill_listen_pid() - write "LISTEN_PID=@v" into @entry, from exec_env(). No stdio and no
 * allocation: it runs in the child between clone and exec.
 */
void exec_fill_listen_pid(char *entry, pid_t v);

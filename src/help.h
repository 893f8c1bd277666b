#pragma once

/* help_text() - the --help text, the reference the README mirrors. */
const char *help_text(void);

/* help_version() - the first line of --version (Docker's parseInitVersion accepts it). */
const char *help_version(void);

/* Finding the init's process tree in /proc, for the shutdown drain (design §2 Shutdown). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ptree.h"

/* Field @field (numbered as in proc(5), 3 = state) of the text after the command name. */
static int stat_field(const char *s, int field, unsigned long long *out)
{
	unsigned long long v = 0;

	for (int f = 3; f < field; f++) {
		s = strchr(s + 1, ' ');
		if (s == NULL) {
			return -EIO;
		}
	}
	s++;
	if (*s < '0' || *s > '9') {
		return -EIO;
	}
	while (*s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned long long)(*s++ - '0');
	}
	*out = v;
	return 0;
}

int ptree_read_stat(pid_t pid, struct pinfo *out)
{
	char path[32], buf[512], *p, *open_paren;
	unsigned long long ppid;
	ssize_t n;
	int fd;

	*out = (struct pinfo){0};
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		return -ESRCH;
	}
	buf[n] = '\0';
	/* The command name may hold spaces and parentheses: fields start after the last ')'. */
	open_paren = strchr(buf, '(');
	p = strrchr(buf, ')');
	if (open_paren == NULL || p == NULL || p < open_paren || p[1] != ' ' ||
	    stat_field(p + 1, 4, &ppid) < 0 || stat_field(p + 1, 22, &out->start) < 0) {
		return -EIO;
	}
	snprintf(out->comm, sizeof(out->comm), "%.*s", (int)(p - open_paren - 1), open_paren + 1);
	out->pid = pid;
	out->ppid = (pid_t)ppid;
	out->state = p[2];
	return 0;
}

bool ptree_is_ours(void)
{
	char link[32];
	ssize_t n = readlink("/proc/self", link, sizeof(link) - 1);

	if (n <= 0) {
		return false;
	}
	link[n] = '\0';
	return atoi(link) == (int)getpid();
}

int ptree_by_pid(const void *a, const void *b)
{
	const struct pinfo *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int ptree_read_all(struct pinfo **list)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	size_t n = 0, cap = 64;

	*list = NULL;
	if (d == NULL) {
		return errno > 0 ? -errno : -EIO;
	}
	*list = malloc(cap * sizeof(**list));
	if (*list == NULL) {
		closedir(d);
		return -ENOMEM;
	}
	while ((e = readdir(d)) != NULL) {
		pid_t pid = (pid_t)atoi(e->d_name);

		if (pid <= 0) {
			continue;
		}
		if (n == cap) {
			struct pinfo *bigger = realloc(*list, 2 * cap * sizeof(**list));

			if (bigger == NULL) {
				break; /* signal what we have; the next round gets the rest */
			}
			*list = bigger;
			cap *= 2;
		}
		if (ptree_read_stat(pid, &(*list)[n]) == 0) {
			n++;
		}
	}
	closedir(d);
	qsort(*list, n, sizeof(**list), ptree_by_pid);
	return (int)n;
}

bool ptree_mark_descendants(const struct pinfo *list, int n, pid_t self, bool *in)
{
	pid_t max = self;
	bool *pid_in, changed = true;

	for (int i = 0; i < n; i++) {
		max = list[i].pid > max ? list[i].pid : max;
	}
	pid_in = calloc((size_t)max + 1, sizeof(*pid_in));
	if (pid_in == NULL) {
		return false;
	}
	pid_in[self] = true;
	while (changed) {
		changed = false;
		for (int i = 0; i < n; i++) {
			pid_t pp = list[i].ppid;

			if (!in[i] && list[i].pid != self && pp > 0 && pp <= max && pid_in[pp]) {
				in[i] = pid_in[list[i].pid] = changed = true;
			}
		}
	}
	free(pid_in);
	return true;
}

bool ptree_alive(const struct pinfo *p)
{
	return p->state != 'Z' && p->state != 'X';
}

int ptree_read_children(pid_t self, pid_t **out)
{
	char path[48], buf[512];
	size_t n = 0, cap = 0;
	long pid = 0;
	ssize_t got;
	int fd;

	*out = NULL;
	snprintf(path, sizeof(path), "/proc/self/task/%d/children", (int)self);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	while ((got = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				pid = pid * 10 + (buf[i] - '0');
				continue;
			}
			if (n == cap) {
				size_t bigger = cap ? 2 * cap : 64;
				pid_t *more = realloc(*out, bigger * sizeof(**out));

				if (more == NULL) {
					close(fd);
					return (
					    int)n; /* what we have; the full scan finds the rest */
				}
				*out = more;
				cap = bigger;
			}
			(*out)[n++] = (pid_t)pid;
			pid = 0;
		}
	}
	close(fd);
	return (int)n;
}

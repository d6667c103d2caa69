/*
 * fuzz-runtime.c - libFuzzer target for the runtime's parsers of outside input: an image's
 * /etc/passwd and /etc/group (cri/bundle_user.c), runc's log output (cri/runc_proc.c) and
 * /proc/self/mountinfo (cri/cgroup.c).
 *
 * The input is split at its first two NUL bytes into a user string, a passwd text and a group
 * text (missing parts are NULL). Beyond "no crash, no leak, no UB": a failed lookup says why, a
 * resolved user has at most the groups the texts and the config can give.
 */
#include "cri/internal.h"
#include "lib/buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_user(const char *user, const char *passwd, const char *group, int by_uid)
{
	static const int64_t sup[] = { 5, 6 };
	struct cri_container_config cfg = { .uid = by_uid ? 1000 : -1, .gid = -1, .user = user,
					    .supplemental_groups = sup, .nsupplemental_groups = 2 };
	struct cri_user u;
	struct buf err = BUF_INIT;
	if (cri_user_resolve(&cfg, passwd, group, &u, &err) == 0) {
		if (err.len || u.ngids > (group ? strlen(group) : 0) + 2)
			abort();
		cri_user_release(&u);
	} else if (!err.len) {
		abort(); /* a failure always says why */
	}
	buf_release(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	char *passwd = strlen(text) < size ? text + strlen(text) + 1 : NULL;
	char *group = passwd && passwd + strlen(passwd) < text + size ? passwd + strlen(passwd) + 1 : NULL;
	check_user(text, passwd, group, 0);
	check_user(NULL, passwd, group, 1);
	check_user(*text ? text : NULL, passwd, group, 1);
	free(cri_runc_message(text));
	struct cri_cgroup_layout l;
	struct buf err = BUF_INIT;
	if (cri_cgroup_detect(text, "/sys/fs/cgroup", &l, &err) == 0)
		cri_cgroup_layout_release(&l);
	else if (!err.len)
		abort();
	buf_release(&err);
	free(text);
	return 0;
}

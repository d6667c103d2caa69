/*
 * bundle_user.c - the container process's user: runAsUser/runAsGroup, the image's USER looked
 * up in the image's /etc/passwd and /etc/group, and the additional groups, as containerd does.
 *
 * The passwd and group texts come from the image, so they are hostile input: lines are parsed
 * without trusting lengths or counts, numbers must fit in 32 bits, and a malformed line is
 * skipped (like libc's getpwent) rather than failing the container.
 */
#include "cri/internal.h"
#include "lib/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Parses a decimal id (0..4294967294). Returns 0 or -1. */
static int parse_id(const char *s, size_t n, uint32_t *out)
{
	if (n == 0 || n > 10)
		return -1;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v >= 0xffffffffULL)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* Splits the next line of *text into at most max ':'-separated fields (start and length).
 * Returns the number of fields, or -1 at the end of the text. */
static int next_line(const char **text, const char *f[], size_t len[], int max)
{
	const char *p = *text;
	if (!p || !*p)
		return -1;
	const char *end = strchrnul(p, '\n');
	*text = *end ? end + 1 : end;
	int n = 0;
	while (n < max) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		f[n] = p;
		len[n] = (size_t)((c ? c : end) - p);
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	return n;
}

static int field_is(const char *f, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(f, s, n);
}

/* Finds a passwd entry by name (when name is set) or by uid. Returns 0 with the uid, gid
 * and name (malloc'd, may be NULL) or -1. */
static int passwd_find(const char *passwd, const char *name, size_t nlen, uint32_t uid,
		       uint32_t *ouid, uint32_t *ogid, char **oname)
{
	const char *p = passwd, *f[7];
	size_t len[7];
	int n;
	while ((n = next_line(&p, f, len, 7)) >= 0) {
		uint32_t u, g;
		if (n < 4 || parse_id(f[2], len[2], &u) < 0 || parse_id(f[3], len[3], &g) < 0)
			continue;
		if (name ? (len[0] == nlen && !memcmp(f[0], name, nlen)) : u == uid) {
			*ouid = u;
			*ogid = g;
			if (oname)
				*oname = len[0] ? xstrndup(f[0], len[0]) : NULL;
			return 0;
		}
	}
	return -1;
}

/* Finds a group's gid by name. Returns 0 or -1. */
static int group_find(const char *group, const char *name, size_t nlen, uint32_t *gid)
{
	const char *p = group, *f[4];
	size_t len[4];
	int n;
	while ((n = next_line(&p, f, len, 4)) >= 0)
		if (n >= 3 && len[0] == nlen && !memcmp(f[0], name, nlen) &&
		    parse_id(f[2], len[2], gid) == 0)
			return 0;
	return -1;
}

static void add_gid(struct cri_user *u, uint32_t g)
{
	for (size_t i = 0; i < u->ngids; i++)
		if (u->gids[i] == g)
			return;
	if (u->ngids >= 65536)
		return;
	u->gids = xrealloc(u->gids, (u->ngids + 1) * sizeof(uint32_t));
	u->gids[u->ngids++] = g;
}

/* The groups of /etc/group whose member list names user, other than the primary gid. */
static void member_groups(const char *group, const char *user, struct cri_user *u)
{
	const char *p = group, *f[4];
	size_t len[4];
	int n;
	while ((n = next_line(&p, f, len, 4)) >= 0) {
		uint32_t g;
		if (n < 4 || parse_id(f[2], len[2], &g) < 0 || g == u->gid)
			continue;
		for (const char *m = f[3], *end = f[3] + len[3]; m < end;) {
			const char *c = memchr(m, ',', (size_t)(end - m));
			if (field_is(m, (size_t)((c ? c : end) - m), user))
				add_gid(u, g);
			m = c ? c + 1 : end;
		}
	}
}

/* The user part of USER ("name" or "uid"): sets uid, gid (from passwd) and the name. */
static int resolve_user_part(const char *s, size_t n, const char *passwd, struct cri_user *u,
			     int *gid_known, char **name, struct buf *err)
{
	if (parse_id(s, n, &u->uid) == 0) {
		uint32_t uu;
		*gid_known = passwd_find(passwd, NULL, 0, u->uid, &uu, &u->gid, name) == 0;
		return 0;
	}
	if (passwd_find(passwd, s, n, 0, &u->uid, &u->gid, name) == 0) {
		*gid_known = 1;
		return 0;
	}
	buf_addf(err, "unable to find user %.*s: no matching entries in passwd file", (int)n, s);
	return -KUBE_EINVAL;
}

int cri_user_resolve(const struct cri_container_config *cfg, const char *passwd,
		     const char *group, struct cri_user *out, struct buf *err)
{
	memset(out, 0, sizeof(*out));
	char *name = NULL;
	int gid_known = 0, rc = 0;
	const char *user = cfg->user && *cfg->user ? cfg->user : NULL;
	const char *colon = user ? strchr(user, ':') : NULL;
	if (cfg->uid >= 0) {
		if (cfg->uid >= 0xffffffffLL) {
			buf_addf(err, "runAsUser %lld out of range", (long long)cfg->uid);
			return -KUBE_EINVAL;
		}
		out->uid = (uint32_t)cfg->uid;
		uint32_t uu;
		gid_known = passwd_find(passwd, NULL, 0, out->uid, &uu, &out->gid, &name) == 0;
	} else if (user) {
		size_t n = colon ? (size_t)(colon - user) : strlen(user);
		rc = resolve_user_part(user, n, passwd, out, &gid_known, &name, err);
	}
	if (!rc && colon && cfg->gid < 0) {
		const char *g = colon + 1;
		if (parse_id(g, strlen(g), &out->gid) < 0 && group_find(group, g, strlen(g), &out->gid) < 0) {
			buf_addf(err, "unable to find group %s: no matching entries in group file", g);
			rc = -KUBE_EINVAL;
		}
	} else if (!rc && cfg->gid >= 0) {
		if (cfg->gid >= 0xffffffffLL) {
			buf_addf(err, "runAsGroup %lld out of range", (long long)cfg->gid);
			rc = -KUBE_EINVAL;
		}
		out->gid = (uint32_t)cfg->gid;
	} else if (!rc && !gid_known) {
		out->gid = 0;
	}
	if (!rc && name && group)
		member_groups(group, name, out);
	for (size_t i = 0; !rc && i < cfg->nsupplemental_groups; i++) {
		if (cfg->supplemental_groups[i] < 0 || cfg->supplemental_groups[i] >= 0xffffffffLL) {
			buf_addf(err, "supplemental group %lld out of range",
				 (long long)cfg->supplemental_groups[i]);
			rc = -KUBE_EINVAL;
		} else {
			add_gid(out, (uint32_t)cfg->supplemental_groups[i]);
		}
	}
	free(name);
	if (rc)
		cri_user_release(out);
	return rc;
}

void cri_user_release(struct cri_user *u)
{
	free(u->gids);
	memset(u, 0, sizeof(*u));
}

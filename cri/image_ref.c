/*
 * image_ref.c - image references: parsing and normalising them as docker does
 * (distribution's reference grammar and its "normalized named" rules), digests and id
 * prefixes.
 *
 *   reference := [domain "/"] path [":" tag] ["@" digest]
 *   domain    := host [":" port]       host: DNS labels, an IPv4 address or "[" IPv6 "]"
 *   path      := component ("/" component)*   component: [a-z0-9]+ joined by ".", "_",
 *                                               "__" or runs of "-"
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 *   digest    := "sha256:" 64 hex digits (other algorithms are refused)
 *
 * The first component is a domain when it has a "." or a ":", is "localhost", or has upper
 * case letters; otherwise the domain is docker.io, where a one-component path gets
 * "library/". "index.docker.io" is docker.io. No tag and no digest means ":latest"; a tag
 * with a digest is dropped (the digest decides what is pulled, as docker does).
 */
#include "cri/internal.h"

#include <ctype.h>
#include <string.h>

#include "lib/util.h"

#define REF_NAME_MAX 255

static int ref__alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* One path component: alphanumerics joined by separators. */
static int ref__component_ok(const char *s, size_t n)
{
	if (n == 0 || !ref__alnum(s[0]) || !ref__alnum(s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (ref__alnum(s[i]))
			continue;
		if (s[i] == '.' || s[i] == '_') {
			/* "." alone, "_" or "__" */
			size_t run = 1;
			while (i + run < n && s[i + run] == '_' && s[i] == '_')
				run++;
			if (run > 2 || !ref__alnum(s[i + run]))
				return 0;
			i += run - 1;
			continue;
		}
		if (s[i] == '-') {
			while (i + 1 < n && s[i + 1] == '-')
				i++;
			if (!ref__alnum(s[i + 1]))
				return 0;
			continue;
		}
		return 0;
	}
	return 1;
}

static int ref__path_ok(const char *s, int *upper)
{
	*upper = 0;
	for (const char *p = s; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*upper = 1;
	if (*upper)
		return 0;
	const char *p = s;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (!ref__component_ok(p, n))
			return 0;
		if (!slash)
			return 1;
		p = slash + 1;
	}
}

static int ref__label_ok(const char *s, size_t n)
{
	if (n == 0 || !isalnum((unsigned char)s[0]) || !isalnum((unsigned char)s[n - 1]))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-')
			return 0;
	return 1;
}

static int ref__port_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 5 || strspn(s, "0123456789") != n)
		return 0;
	return 1;
}

/* host[:port] with host DNS labels / IPv4, or [IPv6][:port]. */
static int ref__domain_ok(const char *d)
{
	const char *port = NULL;
	if (d[0] == '[') {
		const char *close = strchr(d, ']');
		if (!close || close == d + 1)
			return 0;
		for (const char *p = d + 1; p < close; p++)
			if (!isxdigit((unsigned char)*p) && *p != ':' && *p != '.')
				return 0;
		if (close[1] == 0)
			return 1;
		if (close[1] != ':')
			return 0;
		return ref__port_ok(close + 2);
	}
	port = strchr(d, ':');
	size_t hostlen = port ? (size_t)(port - d) : strlen(d);
	if (port && !ref__port_ok(port + 1))
		return 0;
	const char *p = d;
	const char *end = d + hostlen;
	while (p < end) {
		const char *dot = memchr(p, '.', (size_t)(end - p));
		size_t n = dot ? (size_t)(dot - p) : (size_t)(end - p);
		if (!ref__label_ok(p, n))
			return 0;
		p += n + (dot ? 1 : 0);
		if (dot && p == end)
			return 0;
	}
	return hostlen > 0;
}

static int ref__tag_ok(const char *t)
{
	size_t n = strlen(t);
	if (n == 0 || n > 128)
		return 0;
	if (!isalnum((unsigned char)t[0]) && t[0] != '_')
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)t[i]) && t[i] != '_' && t[i] != '.' && t[i] != '-')
			return 0;
	return 1;
}

int image__digest_valid(const char *d)
{
	if (!d || strncmp(d, "sha256:", 7) != 0 || strlen(d + 7) != 64)
		return 0;
	for (const char *p = d + 7; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

int image__is_id_prefix(const char *s)
{
	if (starts_with(s, "sha256:"))
		s += 7;
	size_t n = strlen(s);
	if (n < 4 || n > 64)
		return 0;
	for (const char *p = s; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

void image__ref_release(struct image__ref *r)
{
	free(r->domain);
	free(r->path);
	free(r->tag);
	free(r->digest);
	memset(r, 0, sizeof(*r));
}

static int ref__fail(struct image__ref *r, struct buf *err, const char *s, const char *why)
{
	image__ref_release(r);
	if (err)
		buf_addf(err, "invalid reference format \"%s\": %s", s, why);
	return -IMAGE_EINVALID;
}

/* Splits "name[:tag]" (no digest) into the domain, the path and the tag. */
static int ref__split_name(const char *s, char *name, struct image__ref *r, struct buf *err)
{
	char *slash = strchr(name, '/');
	char *colon = strrchr(name, ':');
	if (colon && (!slash || colon > strrchr(name, '/'))) {
		*colon = 0;
		if (!ref__tag_ok(colon + 1))
			return ref__fail(r, err, s, "invalid tag");
		r->tag = xstrdup(colon + 1);
	}
	slash = strchr(name, '/');
	const char *path = name;
	if (slash) {
		size_t n = (size_t)(slash - name);
		int upper = 0;
		for (size_t i = 0; i < n; i++)
			upper |= isupper((unsigned char)name[i]);
		if (memchr(name, '.', n) || memchr(name, ':', n) || (n == 9 && !memcmp(name, "localhost", 9)) ||
		    upper || name[0] == '[') {
			*slash = 0;
			if (!ref__domain_ok(name))
				return ref__fail(r, err, s, "invalid domain");
			r->domain = xstrdup(strcmp(name, "index.docker.io") == 0 ? "docker.io" : name);
			path = slash + 1;
		}
	}
	if (!r->domain)
		r->domain = xstrdup("docker.io");
	if (strcmp(r->domain, "docker.io") == 0 && !strchr(path, '/'))
		r->path = xasprintf("library/%s", path);
	else
		r->path = xstrdup(path);
	return 0;
}

int image__ref_parse(const char *s, struct image__ref *r, struct buf *err)
{
	memset(r, 0, sizeof(*r));
	if (!s || !*s)
		return ref__fail(r, err, s ? s : "", "empty reference");
	if (strlen(s) > 4096)
		return ref__fail(r, err, "...", "reference too long");
	char *name = xstrdup(s);
	char *at = strchr(name, '@');
	if (at) {
		*at = 0;
		if (!image__digest_valid(at + 1)) {
			free(name);
			return ref__fail(r, err, s, "invalid or unsupported digest (sha256 only)");
		}
		r->digest = xstrdup(at + 1);
	}
	int ret = 0;
	if (strlen(name) == 64 && strspn(name, "0123456789abcdef") == 64) {
		ret = ref__fail(r, err, s, "cannot specify 64-byte hexadecimal strings");
		goto out;
	}
	ret = ref__split_name(s, name, r, err);
	if (ret)
		goto out;
	int upper = 0;
	if (!ref__path_ok(r->path, &upper)) {
		ret = ref__fail(r, err, s, upper ? "repository name must be lowercase" : "invalid repository name");
		goto out;
	}
	if (strlen(r->domain) + 1 + strlen(r->path) > REF_NAME_MAX) {
		ret = ref__fail(r, err, s, "repository name must not be more than 255 characters");
		goto out;
	}
	if (r->digest) {
		free(r->tag);
		r->tag = NULL;
	} else if (!r->tag) {
		r->tag = xstrdup("latest");
	}
out:
	free(name);
	return ret;
}

char *image__ref_name(const struct image__ref *r)
{
	return xasprintf("%s/%s", r->domain, r->path);
}

char *image__ref_string(const struct image__ref *r)
{
	if (r->digest)
		return xasprintf("%s/%s@%s", r->domain, r->path, r->digest);
	return xasprintf("%s/%s:%s", r->domain, r->path, r->tag);
}

/*
 * test-image.c - unit tests of the image store's pure parts: references, WWW-Authenticate,
 * registries.yaml, pull secrets, platform choice, URLs, and layer unpacking over a temp dir
 * (whiteouts, hostile entries, digests).
 *
 * DESIGN
 * Layers are written in the test with libarchive (tar, gzip) into a temp file, then unpacked
 * with image__unpack_file; results are checked with lstat/getxattr.
 */
#include "test.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "cri/internal.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

/* -- references -- */

static int ref_is(const char *in, const char *domain, const char *path, const char *tag, const char *digest)
{
	struct image__ref r;
	struct buf err = BUF_INIT;
	int ret = image__ref_parse(in, &r, &err);
	if (ret) {
		fprintf(stderr, "  %s: %s\n", in, buf_str(&err));
		buf_release(&err);
		return 0;
	}
	int ok = !strcmp(r.domain, domain) && !strcmp(r.path, path) &&
		 ((!tag && !r.tag) || (tag && r.tag && !strcmp(r.tag, tag))) &&
		 ((!digest && !r.digest) || (digest && r.digest && !strcmp(r.digest, digest)));
	if (!ok)
		fprintf(stderr, "  %s -> %s %s %s %s\n", in, r.domain, r.path, r.tag ? r.tag : "-",
			r.digest ? r.digest : "-");
	image__ref_release(&r);
	buf_release(&err);
	return ok;
}

#define D64 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

TEST_IMPL(image_ref_parse)
{
	ASSERT(ref_is("busybox", "docker.io", "library/busybox", "latest", NULL));
	ASSERT(ref_is("busybox:1.36", "docker.io", "library/busybox", "1.36", NULL));
	ASSERT(ref_is("user/app", "docker.io", "user/app", "latest", NULL));
	ASSERT(ref_is("docker.io/library/busybox:latest", "docker.io", "library/busybox", "latest", NULL));
	ASSERT(ref_is("index.docker.io/busybox", "docker.io", "library/busybox", "latest", NULL));
	ASSERT(ref_is("localhost/app", "localhost", "app", "latest", NULL));
	ASSERT(ref_is("localhost:5000/a/b:v1", "localhost:5000", "a/b", "v1", NULL));
	ASSERT(ref_is("127.0.0.1:5000/app", "127.0.0.1:5000", "app", "latest", NULL));
	ASSERT(ref_is("ghcr.io/x/y@" D64, "ghcr.io", "x/y", NULL, D64));
	ASSERT(ref_is("ghcr.io/x/y:1.0@" D64, "ghcr.io", "x/y", NULL, D64));
	ASSERT(ref_is("[::1]:5000/app:v2", "[::1]:5000", "app", "v2", NULL));

	static const char *const bad[] = { "", "Upper", "library/UP", "a//b", "busybox:", "busybox@sha256:12",
					   "a:b:c", ":tag", "busybox@md5:0123", "a/b/", "-a" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct image__ref r;
		struct buf err = BUF_INIT;
		int ret = image__ref_parse(bad[i], &r, &err);
		if (ret == 0) {
			image__ref_release(&r);
			FAIL("accepted \"%s\"", bad[i]);
		}
		ASSERT(err.len > 0);
		buf_release(&err);
	}

	struct image__ref r;
	ASSERT_EQ(image__ref_parse("busybox", &r, NULL), 0);
	char *s = image__ref_string(&r), *n = image__ref_name(&r);
	ASSERT_STR(s, "docker.io/library/busybox:latest");
	ASSERT_STR(n, "docker.io/library/busybox");
	free(s);
	free(n);
	image__ref_release(&r);
	ASSERT(image__digest_valid(D64));
	ASSERT(!image__digest_valid("sha256:0123"));
	ASSERT(image__is_id_prefix("0123abcd"));
	ASSERT(!image__is_id_prefix("012"));
	return 0;
}

/* -- WWW-Authenticate -- */

TEST_IMPL(image_challenges)
{
	struct image__challenge c[4];
	size_t n = image__challenges_parse(
		"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
		"scope=\"repository:library/busybox:pull\"",
		c, 4);
	ASSERT_EQ(n, 1);
	ASSERT_STR(c[0].scheme, "bearer");
	ASSERT_STR(c[0].realm, "https://auth.docker.io/token");
	ASSERT_STR(c[0].service, "registry.docker.io");
	ASSERT_STR(c[0].scope, "repository:library/busybox:pull");
	image__challenge_release(&c[0]);

	n = image__challenges_parse("Basic realm=\"Registry Realm\", Bearer realm=x, error=\"invalid_token\"", c, 4);
	ASSERT_EQ(n, 2);
	ASSERT_STR(c[0].scheme, "basic");
	ASSERT_STR(c[0].realm, "Registry Realm");
	ASSERT_STR(c[1].scheme, "bearer");
	ASSERT_STR(c[1].realm, "x");
	ASSERT_STR(c[1].error, "invalid_token");
	for (size_t i = 0; i < n; i++)
		image__challenge_release(&c[i]);

	n = image__challenges_parse("Bearer realm=\"a\\\"b\"", c, 4);
	ASSERT_EQ(n, 1);
	ASSERT_STR(c[0].realm, "a\"b");
	image__challenge_release(&c[0]);
	/* Garbage never crashes. */
	static const char *const junk[] = { "", ",,,", "Bearer realm=\"unterminated", "=x", "Bearer ,=,",
					    "\"\"" };
	for (size_t i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
		n = image__challenges_parse(junk[i], c, 4);
		for (size_t k = 0; k < n; k++)
			image__challenge_release(&c[k]);
	}
	return 0;
}

/* -- pull secrets -- */

TEST_IMPL(image_creds_match)
{
	/* "dXNlcjpwYXNz" is user:pass */
	const char *doc = "{\"auths\":{"
			  "\"https://index.docker.io/v1/\":{\"auth\":\"aHViOmh1Yg==\"},"
			  "\"registry.example.com\":{\"username\":\"a\",\"password\":\"b\"},"
			  "\"registry.example.com/team\":{\"auth\":\"dXNlcjpwYXNz\"},"
			  "\"*.glob.io\":{\"username\":\"g\",\"password\":\"h\"},"
			  "\"local:5000\":{\"username\":\"l\",\"password\":\"m\"}}}";
	struct image__cred *v = NULL;
	size_t n = 0;
	ASSERT_EQ(image__creds_match(doc, "registry.example.com", "team/app", &v, &n), 0);
	ASSERT_EQ(n, 2);
	ASSERT_STR(v[0].username, "user"); /* the longer path first */
	ASSERT_STR(v[0].password, "pass");
	ASSERT_STR(v[1].username, "a");
	for (size_t i = 0; i < n; i++)
		image__cred_release(&v[i]);
	free(v);
	v = NULL;
	n = 0;
	ASSERT_EQ(image__creds_match(doc, "docker.io", "library/busybox", &v, &n), 0);
	ASSERT_EQ(n, 1);
	ASSERT_STR(v[0].username, "hub");
	image__cred_release(&v[0]);
	free(v);
	v = NULL;
	n = 0;
	ASSERT_EQ(image__creds_match(doc, "x.glob.io", "a", &v, &n), 0);
	ASSERT_EQ(n, 1);
	ASSERT_STR(v[0].username, "g");
	image__cred_release(&v[0]);
	free(v);
	v = NULL;
	n = 0;
	ASSERT_EQ(image__creds_match(doc, "a.b.glob.io", "a", &v, &n), 0);
	ASSERT_EQ(n, 0); /* a glob label matches one label */
	ASSERT_EQ(image__creds_match(doc, "local", "a", &v, &n), 0);
	ASSERT_EQ(n, 0); /* ports must match */
	ASSERT_EQ(image__creds_match(doc, "local:5000", "a", &v, &n), 0);
	ASSERT_EQ(n, 1);
	image__cred_release(&v[0]);
	free(v);
	v = NULL;
	n = 0;
	/* Legacy dockercfg: the map alone. */
	ASSERT_EQ(image__creds_match("{\"q.io\":{\"auth\":\"dXNlcjpwYXNz\"}}", "q.io", "x", &v, &n), 0);
	ASSERT_EQ(n, 1);
	image__cred_release(&v[0]);
	free(v);
	v = NULL;
	n = 0;
	ASSERT(image__creds_match("not json", "q.io", "x", &v, &n) != 0);
	ASSERT_EQ(n, 0);
	return 0;
}

/* -- registries.yaml -- */

TEST_IMPL(image_registries_yaml)
{
	const char *y = "mirrors:\n"
			"  docker.io:\n"
			"    endpoint:\n"
			"      - \"http://127.0.0.1:5000\"\n"
			"      - \"https://mirror.example.com/prefix\"\n"
			"    rewrite:\n"
			"      \"^library/(.*)\": \"lib/$1\"\n"
			"configs:\n"
			"  \"127.0.0.1:5000\":\n"
			"    auth:\n"
			"      username: u\n"
			"      password: p\n"
			"  mirror.example.com:\n"
			"    tls:\n"
			"      insecure_skip_verify: true\n";
	struct image__registries r;
	struct buf err = BUF_INIT;
	ASSERT_EQ(image__registries_parse(y, strlen(y), &r, &err), 0);
	ASSERT_EQ(r.nmirrors, 1);
	ASSERT_STR(r.mirrors[0].host, "docker.io");
	ASSERT_EQ(r.mirrors[0].nendpoints, 2);
	ASSERT_EQ(r.nconfigs, 2);

	struct image__ref ref;
	ASSERT_EQ(image__ref_parse("busybox", &ref, NULL), 0);
	struct image__endpoint *ep = NULL;
	size_t n = 0;
	ASSERT_EQ(image__endpoints(&r, &ref, &ep, &n, &err), 0);
	ASSERT_EQ(n, 3);
	ASSERT_EQ(ep[0].tls, 0);
	ASSERT_STR(ep[0].hostport, "127.0.0.1:5000");
	ASSERT_STR(ep[0].prefix, "/v2");
	ASSERT_STR(ep[0].repo, "lib/busybox");
	ASSERT(ep[0].config && ep[0].config->has_cred);
	ASSERT_STR(ep[0].config->cred.username, "u");
	ASSERT_EQ(ep[1].tls, 1);
	ASSERT_STR(ep[1].prefix, "/prefix/v2");
	ASSERT_STR(ep[2].host, "registry-1.docker.io");
	ASSERT(ep[2].is_default);
	ASSERT_STR(ep[2].repo, "library/busybox");
	image__endpoints_free(ep, n);
	image__ref_release(&ref);

	/* A loopback registry without a config is plain HTTP, as containerd's default. */
	ASSERT_EQ(image__ref_parse("127.0.0.1:5999/app", &ref, NULL), 0);
	ASSERT_EQ(image__endpoints(&r, &ref, &ep, &n, &err), 0);
	ASSERT_EQ(n, 1);
	ASSERT_EQ(ep[0].tls, 0);
	ASSERT_EQ(ep[0].port, 5999);
	image__endpoints_free(ep, n);
	image__ref_release(&ref);
	image__registries_release(&r);

	static const char *const bad[] = { "mirrors: [1, 2]\n", "mirrors:\n  a:\n    endpoint: 3\n",
					   "mirrors:\n  a:\n    endpoint:\n      - \"ftp://x\"\n",
					   "configs:\n  a:\n    tls:\n      insecure_skip_verify: maybe\n",
					   "mirrors:\n  a:\n    rewrite:\n      \"(\": \"x\"\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&err);
		int ret = image__registries_parse(bad[i], strlen(bad[i]), &r, &err);
		if (ret == 0) {
			image__registries_release(&r);
			FAIL("accepted %s", bad[i]);
		}
		ASSERT(err.len > 0);
	}
	buf_release(&err);
	/* A missing file is an empty configuration. */
	ASSERT_EQ(image__registries_load("/nonexistent/registries.yaml", &r, &err), 0);
	ASSERT_EQ(r.nmirrors + r.nconfigs, 0);
	image__registries_release(&r);
	return 0;
}

/* -- URLs -- */

TEST_IMPL(image_url_parse)
{
	struct image__url u;
	ASSERT_EQ(image__url_parse("https://auth.docker.io/token?x=1", &u), 0);
	ASSERT_EQ(u.tls, 1);
	ASSERT_STR(u.host, "auth.docker.io");
	ASSERT_EQ(u.port, 443);
	ASSERT_STR(u.target, "/token?x=1");
	image__url_release(&u);
	ASSERT_EQ(image__url_parse("http://[::1]:5000", &u), 0);
	ASSERT_STR(u.host, "::1");
	ASSERT_EQ(u.port, 5000);
	ASSERT_STR(u.target, "/");
	image__url_release(&u);
	ASSERT(image__url_parse("ftp://x/", &u) != 0);
	ASSERT(image__url_parse("http://:80/", &u) != 0);
	ASSERT(image__url_parse("http://x:99999/", &u) != 0);
	ASSERT(image__url_parse("http://[::1/", &u) != 0);
	return 0;
}

/* -- platform choice -- */

TEST_IMPL(image_index_pick)
{
	const char *idx = "{\"schemaVersion\":2,\"manifests\":["
			  "{\"digest\":\"sha256:1111111111111111111111111111111111111111111111111111111111111111\","
			  "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v6\"}},"
			  "{\"digest\":\"sha256:2222222222222222222222222222222222222222222222222222222222222222\","
			  "\"platform\":{\"os\":\"linux\",\"architecture\":\"arm\",\"variant\":\"v7\"}},"
			  "{\"digest\":\"sha256:3333333333333333333333333333333333333333333333333333333333333333\","
			  "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\"}},"
			  "{\"digest\":\"sha256:4444444444444444444444444444444444444444444444444444444444444444\","
			  "\"platform\":{\"os\":\"windows\",\"architecture\":\"arm64\"}}]}";
	cJSON *doc = cJSON_Parse(idx);
	const char *d = NULL;
	struct buf err = BUF_INIT;
	ASSERT_EQ(image__index_pick(doc, "amd64", "", &d, &err), 0);
	ASSERT(d && d[7] == '3');
	ASSERT_EQ(image__index_pick(doc, "arm", "v7", &d, &err), 0);
	ASSERT(d[7] == '2');
	ASSERT_EQ(image__index_pick(doc, "arm", "v6", &d, &err), 0);
	ASSERT(d[7] == '1');
	ASSERT_EQ(image__index_pick(doc, "arm64", "", &d, &err), -IMAGE_EPLATFORM);
	ASSERT(strstr(buf_str(&err), "linux/arm64") != NULL);
	ASSERT_EQ(image__media_kind(NULL, doc), IMAGE_MEDIA_INDEX);
	cJSON_Delete(doc);
	doc = cJSON_Parse("{\"schemaVersion\":1,\"fsLayers\":[]}");
	ASSERT_EQ(image__media_kind(NULL, doc), IMAGE_MEDIA_SCHEMA1);
	cJSON_Delete(doc);
	buf_release(&err);
	return 0;
}

/* -- layers -- */

struct ent {
	const char *path;
	int type;          /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR; 1 = hard link */
	const char *data;  /* contents, symlink or hard link target */
	unsigned mode;
};

/* Writes a gzip tar with these entries to path. */
static int write_layer(const char *path, const struct ent *v, size_t n)
{
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_add_filter_gzip(a);
	if (archive_write_open_filename(a, path) != ARCHIVE_OK)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();
		archive_entry_set_pathname(e, v[i].path);
		archive_entry_set_mtime(e, 1700000000, 0);
		archive_entry_set_uid(e, 1000);
		archive_entry_set_gid(e, 1000);
		size_t len = 0;
		if (v[i].type == 1) {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_hardlink(e, v[i].data);
		} else {
			archive_entry_set_filetype(e, (unsigned)v[i].type);
			archive_entry_set_perm(e, v[i].mode ? v[i].mode : 0644);
			if (v[i].type == AE_IFLNK)
				archive_entry_set_symlink(e, v[i].data);
			if (v[i].type == AE_IFREG && v[i].data)
				len = strlen(v[i].data);
			archive_entry_set_size(e, (la_int64_t)len);
		}
		archive_write_header(a, e);
		if (len)
			archive_write_data(a, v[i].data, len);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	return 0;
}

static int unpack(const struct ent *v, size_t n, const char *name, struct buf *err)
{
	char *tgz = xasprintf("%s/%s.tgz", test_tmpdir(), name);
	char *dir = xasprintf("%s/%s", test_tmpdir(), name);
	mkdir(dir, 0755);
	write_layer(tgz, v, n);
	struct image__unpack_result res;
	int ret = image__unpack_file(tgz, dir, 0, &res, err);
	free(tgz);
	free(dir);
	return ret;
}

static char *tpath(const char *rel)
{
	static char p[4096];
	snprintf(p, sizeof(p), "%s/%s", test_tmpdir(), rel);
	return p;
}

TEST_IMPL(image_unpack_basic)
{
	const struct ent v[] = {
		{ "etc/", AE_IFDIR, NULL, 0755 },
		{ "etc/passwd", AE_IFREG, "root:x:0:0::/root:/bin/sh\n", 0644 },
		{ "bin/tool", AE_IFREG, "#!/bin/sh\n", 04755 },
		{ "bin/link", AE_IFLNK, "/etc/passwd", 0777 },
		{ "bin/hard", 1, "bin/tool", 0 },
		{ "opt/.wh..wh..opq", AE_IFREG, NULL, 0 },
		{ "opt/new", AE_IFREG, "n", 0600 },
		{ "var/.wh.gone", AE_IFREG, NULL, 0 },
		{ "./empty/", AE_IFDIR, NULL, 0700 },
	};
	struct buf err = BUF_INIT;
	int ret = unpack(v, sizeof(v) / sizeof(v[0]), "l1", &err);
	if (ret)
		FAIL("unpack: %d %s", ret, buf_str(&err));
	struct stat st;
	ASSERT_EQ(lstat(tpath("l1/etc/passwd"), &st), 0);
	ASSERT(S_ISREG(st.st_mode));
	ASSERT_EQ(st.st_size, 26);
	ASSERT_EQ(st.st_mtime, 1700000000);
	if (geteuid() == 0) {
		ASSERT_EQ(st.st_uid, 1000);
		ASSERT_EQ(lstat(tpath("l1/bin/tool"), &st), 0);
		ASSERT_EQ(st.st_mode & 07777, 04755);
	}
	ASSERT_EQ(lstat(tpath("l1/bin/link"), &st), 0);
	ASSERT(S_ISLNK(st.st_mode));
	struct stat a, b;
	ASSERT_EQ(lstat(tpath("l1/bin/hard"), &a), 0);
	ASSERT_EQ(lstat(tpath("l1/bin/tool"), &b), 0);
	ASSERT_EQ(a.st_ino, b.st_ino);
	ASSERT_EQ(lstat(tpath("l1/empty"), &st), 0);
	ASSERT_EQ(st.st_mode & 0777, 0700);
	ASSERT(lstat(tpath("l1/opt/.wh..wh..opq"), &st) != 0);
	if (geteuid() == 0) {
		/* overlayfs whiteouts: a 0:0 character device, the opaque xattr. */
		ASSERT_EQ(lstat(tpath("l1/var/gone"), &st), 0);
		ASSERT(S_ISCHR(st.st_mode));
		ASSERT_EQ(st.st_rdev, makedev(0, 0));
		char x[8] = { 0 };
		ASSERT_EQ(lgetxattr(tpath("l1/opt"), "trusted.overlay.opaque", x, sizeof(x)), 1);
		ASSERT_EQ(x[0], 'y');
	}
	buf_release(&err);
	return 0;
}

TEST_IMPL(image_unpack_hostile)
{
	static const struct ent dotdot[] = { { "a/../../escape", AE_IFREG, "x", 0644 } };
	static const struct ent through_link[] = { { "a", AE_IFLNK, "/tmp", 0777 },
						   { "a/planted", AE_IFREG, "x", 0644 } };
	static const struct ent hard_out[] = { { "h", 1, "../../etc/passwd", 0 } };
	static const struct ent link_dir[] = { { "d", AE_IFLNK, "..", 0777 }, { "d/x", AE_IFREG, "x", 0644 } };
	const struct {
		const struct ent *v;
		size_t n;
	} cases[] = { { dotdot, 1 }, { through_link, 2 }, { hard_out, 1 }, { link_dir, 2 } };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf err = BUF_INIT;
		char name[16];
		snprintf(name, sizeof(name), "h%zu", i);
		int ret = unpack(cases[i].v, cases[i].n, name, &err);
		if (ret != -IMAGE_EINVALID)
			FAIL("case %zu: %d %s", i, ret, buf_str(&err));
		ASSERT(err.len > 0);
		buf_release(&err);
	}
	struct stat st;
	ASSERT(lstat(tpath("escape"), &st) != 0);
	ASSERT(lstat(tpath("x"), &st) != 0);
	ASSERT(lstat("/tmp/planted", &st) != 0);
	return 0;
}

TEST_IMPL(image_unpack_corrupt)
{
	/* Not an archive, a truncated one, an empty file: errors, never a crash. */
	char *f = xasprintf("%s/bad", test_tmpdir());
	char *dir = xasprintf("%s/out", test_tmpdir());
	mkdir(dir, 0755);
	struct image__unpack_result res;
	ASSERT_EQ(write_file_atomic(f, "garbage garbage garbage", 23, 0644), 0);
	struct buf err = BUF_INIT;
	ASSERT(image__unpack_file(f, dir, 0, &res, &err) < 0);
	ASSERT(err.len > 0);
	static const struct ent v[] = { { "big", AE_IFREG,
					  "0123456789012345678901234567890123456789012345678901234567890123456789", 0644 } };
	char *tgz = xasprintf("%s/t.tgz", test_tmpdir());
	write_layer(tgz, v, 1);
	char *data;
	size_t len;
	ASSERT_EQ(read_file(tgz, &data, &len), 0);
	ASSERT_EQ(write_file_atomic(f, data, len / 2, 0644), 0);
	buf_reset(&err);
	ASSERT(image__unpack_file(f, dir, 0, &res, &err) < 0);
	free(data);
	free(tgz);
	free(f);
	free(dir);
	buf_release(&err);
	return 0;
}

TEST_IMPL(image_unpack_digests)
{
	static const struct ent v[] = { { "f", AE_IFREG, "hello", 0644 } };
	char *tgz = xasprintf("%s/d.tgz", test_tmpdir());
	char *dir = xasprintf("%s/d", test_tmpdir());
	mkdir(dir, 0755);
	write_layer(tgz, v, 1);
	char *data;
	size_t len;
	ASSERT_EQ(read_file(tgz, &data, &len), 0);
	char want[IMAGE_DIGEST_MAX];
	image__sha256(data, len, want);
	struct image__unpack_result res;
	struct buf err = BUF_INIT;
	ASSERT_EQ(image__unpack_file(tgz, dir, 0, &res, &err), 0);
	ASSERT_STR(res.blob_digest, want);
	ASSERT_EQ(res.blob_size, len);
	ASSERT(strcmp(res.diff_id, res.blob_digest) != 0);
	ASSERT(image__digest_valid(res.diff_id));
	free(data);
	free(tgz);
	free(dir);
	buf_release(&err);
	return 0;
}

/* -- the store on a loop: air-gap import, lookup, list, removal -- */

/* Adds a file entry of len bytes to an archive being written. */
static void add_file(struct archive *a, const char *name, const void *data, size_t len)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	archive_write_header(a, e);
	archive_write_data(a, data, len);
	archive_entry_free(e);
}

static int write_docker_archive_rep(const char *path, const char *tag, const struct ent *v, size_t n,
				    int repeat);

/* A docker-archive at path with one image tagged tag whose one layer holds entries v. */
static int write_docker_archive(const char *path, const char *tag, const struct ent *v, size_t n)
{
	return write_docker_archive_rep(path, tag, v, n, 0);
}

/* The same; repeat: the layer comes twice, around an empty one (as some images have it). */
static int write_docker_archive_rep(const char *path, const char *tag, const struct ent *v, size_t n,
				    int repeat)
{
	char *layer = xasprintf("%s/layer.tar.gz", test_tmpdir());
	if (write_layer(layer, v, n) != 0)
		return -1;
	char *data;
	size_t len;
	if (read_file(layer, &data, &len) != 0)
		return -1;
	struct image__unpack_result res;
	char *scratch = xasprintf("%s/scratch-%s", test_tmpdir(), tag);
	mkdir(scratch, 0755);
	struct buf err = BUF_INIT;
	image__unpack_file(layer, scratch, 0, &res, &err); /* for the diff id (may refuse) */
	if (err.len) {
		/* A hostile layer: compute the diff id from the uncompressed stream ourselves. */
		struct archive *r = archive_read_new();
		archive_read_support_filter_all(r);
		archive_read_support_format_raw(r);
		archive_read_open_memory(r, data, len);
		struct archive_entry *e;
		archive_read_next_header(r, &e);
		struct image__hash h;
		image__hash_init(&h);
		char blk[4096];
		la_ssize_t k;
		while ((k = archive_read_data(r, blk, sizeof(blk))) > 0)
			image__hash_update(&h, blk, (size_t)k);
		image__hash_final(&h, res.diff_id);
		archive_read_free(r);
	}
	/* The empty layer: 1024 zero bytes, uncompressed. */
	static const char empty[1024];
	char empty_id[IMAGE_DIGEST_MAX], ids[3 * IMAGE_DIGEST_MAX + 16];
	image__sha256(empty, sizeof(empty), empty_id);
	if (repeat)
		snprintf(ids, sizeof(ids), "\"%s\",\"%s\",\"%s\"", res.diff_id, empty_id, res.diff_id);
	else
		snprintf(ids, sizeof(ids), "\"%s\"", res.diff_id);
	char *config = xasprintf("{\"architecture\":\"%s\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"/bin/sh\"],"
				 "\"Env\":[\"A=b\"],\"WorkingDir\":\"/w\"},\"rootfs\":{\"type\":\"layers\","
				 "\"diff_ids\":[%s]}}",
				 image_host_arch(), ids);
	char *manifest = xasprintf("[{\"Config\":\"config.json\",\"RepoTags\":[\"%s\"],\"Layers\":[%s]}]", tag,
				   repeat ? "\"l/layer.tar\",\"e/layer.tar\",\"l/layer.tar\"" : "\"l/layer.tar\"");
	struct archive *a = archive_write_new();
	archive_write_set_format_pax_restricted(a);
	archive_write_open_filename(a, path);
	add_file(a, "manifest.json", manifest, strlen(manifest));
	add_file(a, "config.json", config, strlen(config));
	add_file(a, "l/layer.tar", data, len); /* gzip inside: allowed, as docker load does */
	if (repeat)
		add_file(a, "e/layer.tar", empty, sizeof(empty));
	archive_write_close(a);
	archive_write_free(a);
	free(config);
	free(manifest);
	free(data);
	free(layer);
	free(scratch);
	buf_release(&err);
	return 0;
}

struct done {
	int called, err;
	char msg[512];
};

static void on_done(void *arg, int err, const char *msg, struct image *img)
{
	(void)img;
	struct done *d = arg;
	d->called++;
	d->err = err;
	snprintf(d->msg, sizeof(d->msg), "%s", msg);
}

static void on_closed(void *arg)
{
	*(int *)arg = 1;
}

TEST_IMPL(image_store_airgap)
{
	char *data = xasprintf("%s/data", test_tmpdir());
	char *root = xasprintf("%s/agent/images", data);
	ASSERT_EQ(mkdir_p(root, 0755), 0);
	static const struct ent v[] = { { "bin/", AE_IFDIR, NULL, 0755 }, { "bin/sh", AE_IFREG, "#!", 0755 } };
	char *good = xasprintf("%s/a.tar", root), *bad = xasprintf("%s/b.tar", root);
	ASSERT_EQ(write_docker_archive(good, "t/x:1", v, 2), 0);
	static const struct ent evil[] = { { "../../evil", AE_IFREG, "x", 0644 } };
	ASSERT_EQ(write_docker_archive(bad, "t/evil:1", evil, 1), 0);

	uv_loop_t loop;
	uv_loop_init(&loop);
	struct image_store_config cfg = { .data_dir = data };
	struct image_store *s = NULL;
	struct buf err = BUF_INIT;
	ASSERT_EQ(image_store_open(&loop, &cfg, &s, &err), 0);
	struct done d = { 0 };
	ASSERT_EQ(image_store_import_dir(s, on_done, &d), 0);
	while (!d.called)
		uv_run(&loop, UV_RUN_ONCE);
	ASSERT_EQ(d.err, -IMAGE_EINVALID); /* b.tar is refused; a.tar is in */
	struct image *img = image_store_lookup(s, "t/x:1");
	ASSERT(img != NULL);
	ASSERT_STR(img->repo_tags[0], "docker.io/t/x:1");
	ASSERT_STR(img->cmd[0], "/bin/sh");
	ASSERT_STR(img->env[0], "A=b");
	ASSERT_STR(img->working_dir, "/w");
	ASSERT_EQ(img->nlayers, 1);
	char *sh = xasprintf("%s/bin/sh", img->layers[0]);
	struct stat st;
	ASSERT_EQ(stat(sh, &st), 0);
	free(sh);
	struct image *by_id = image_store_lookup(s, img->id);
	ASSERT(by_id == img);
	image_unref(by_id);
	ASSERT(image_store_lookup(s, "t/evil:1") == NULL);
	char *evil_path = xasprintf("%s/agent/evil", data);
	ASSERT(stat(evil_path, &st) != 0);
	free(evil_path);
	struct image **all;
	ASSERT_EQ(image_store_list(s, &all), 1);
	image_unref(all[0]);
	free(all);

	d.called = 0;
	ASSERT_EQ(image_store_remove(s, "docker.io/t/x:1", on_done, &d), 0);
	while (!d.called)
		uv_run(&loop, UV_RUN_ONCE);
	ASSERT_EQ(d.err, 0);
	ASSERT(image_store_lookup(s, "t/x:1") == NULL);
	ASSERT(stat(img->layers[0], &st) != 0); /* collected */
	image_unref(img);
	d.called = 0;
	ASSERT_EQ(image_store_remove(s, "t/x:1", on_done, &d), 0);
	while (!d.called)
		uv_run(&loop, UV_RUN_ONCE);
	ASSERT_EQ(d.err, -IMAGE_ENOTFOUND);

	int closed = 0;
	image_store_close(s, on_closed, &closed);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(closed);
	ASSERT_EQ(uv_loop_close(&loop), 0);
	free(good);
	free(bad);
	free(root);
	free(data);
	buf_release(&err);
	return 0;
}

/* -- closing the store in the middle of a pull -- */

#include <netinet/in.h>
#include <sys/socket.h>

struct close_ctx {
	struct image_store *s;
	int closed;
};

static void close_timer(uv_timer_t *t)
{
	struct close_ctx *c = t->data;
	image_store_close(c->s, on_closed, &c->closed);
	uv_close((uv_handle_t *)t, NULL);
}

TEST_IMPL(image_store_close_pulling)
{
	/* A "registry" that accepts connections and never answers. */
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	ASSERT_EQ(bind(ls, (struct sockaddr *)&a, sizeof(a)), 0);
	ASSERT_EQ(listen(ls, 16), 0);
	ASSERT_EQ(getsockname(ls, (struct sockaddr *)&a, &al), 0);
	char *ref = xasprintf("127.0.0.1:%d/silent/app:1", ntohs(a.sin_port));
	char *data = xasprintf("%s/data", test_tmpdir());

	uv_loop_t loop;
	uv_loop_init(&loop);
	struct image_store_config cfg = { .data_dir = data };
	struct close_ctx c = { 0 };
	struct buf err = BUF_INIT;
	ASSERT_EQ(image_store_open(&loop, &cfg, &c.s, &err), 0);
	struct done d1 = { 0 }, d2 = { 0 };
	ASSERT_EQ(image_store_pull(c.s, ref, NULL, on_done, &d1, &err), 0);
	ASSERT_EQ(image_store_pull(c.s, ref, NULL, on_done, &d2, &err), 0); /* joins */
	ASSERT_EQ(image_store_pull(c.s, "Not A Ref", NULL, on_done, &d2, &err), -KUBE_EINVAL);
	ASSERT(err.len > 0);
	uv_timer_t t;
	uv_timer_init(&loop, &t);
	t.data = &c;
	uv_timer_start(&t, close_timer, 300, 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(c.closed);
	ASSERT_EQ(d1.called, 1);
	ASSERT_EQ(d2.called, 1);
	ASSERT_EQ(d1.err, -ECANCELED);
	ASSERT_EQ(d2.err, -ECANCELED);
	ASSERT_EQ(uv_loop_close(&loop), 0);
	/* Nothing is left in the staging area. */
	char *tmp = xasprintf("%s/agent/images/tmp", data);
	DIR *dir = opendir(tmp);
	struct dirent *e;
	int left = 0;
	while (dir && (e = readdir(dir)))
		left += e->d_name[0] != '.';
	if (dir)
		closedir(dir);
	ASSERT_EQ(left, 0);
	close(ls);
	free(tmp);
	free(ref);
	free(data);
	buf_release(&err);
	return 0;
}

/* -- root filesystems through the loop (root only: overlay mounts) -- */

static int run_until(uv_loop_t *loop, struct done *d)
{
	while (!d->called)
		uv_run(loop, UV_RUN_ONCE);
	d->called = 0;
	return d->err;
}

TEST_IMPL(image_store_rootfs)
{
	if (geteuid() != 0)
		return 0; /* needs root */
	char *data = xasprintf("%s/data", test_tmpdir());
	char *tarball = xasprintf("%s/img.tar", test_tmpdir());
	static const struct ent v[] = { { "bin/", AE_IFDIR, NULL, 0755 }, { "bin/sh", AE_IFREG, "#!", 0755 },
					{ "etc/.wh.gone", AE_IFREG, NULL, 0 } };
	ASSERT_EQ(write_docker_archive_rep(tarball, "t/root:1", v, 3, 1), 0);
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct image_store_config cfg = { .data_dir = data };
	struct image_store *s = NULL;
	struct buf err = BUF_INIT;
	ASSERT_EQ(image_store_open(&loop, &cfg, &s, &err), 0);
	struct done d = { 0 };
	ASSERT_EQ(image_store_import(s, tarball, on_done, &d), 0);
	ASSERT_EQ(run_until(&loop, &d), 0);
	struct image *img = image_store_lookup(s, "t/root:1");
	ASSERT(img != NULL);
	ASSERT_EQ(img->nlayers, 3);
	ASSERT_STR(img->layers[0], img->layers[2]);
	char *ctr = xasprintf("%s/ctr", test_tmpdir());
	ASSERT_EQ(mkdir(ctr, 0700), 0);
	ASSERT_EQ(image_rootfs_prepare(s, img, ctr, on_done, &d), 0);
	int ret = run_until(&loop, &d);
	if (ret)
		FAIL("prepare: %d %s", ret, d.msg);
	ASSERT_EQ(image_rootfs_prepare(s, img, ctr, on_done, &d), 0); /* idempotent */
	ASSERT_EQ(run_until(&loop, &d), 0);
	char *sh = xasprintf("%s/rootfs/bin/sh", ctr);
	struct stat st;
	int seen = stat(sh, &st) == 0;
	/* The image goes, its layer stays while the rootfs uses it. */
	ASSERT_EQ(image_store_remove(s, "t/root:1", on_done, &d), 0);
	ASSERT_EQ(run_until(&loop, &d), 0);
	int kept = stat(img->layers[0], &st) == 0;
	ASSERT_EQ(image_rootfs_release(s, ctr, on_done, &d), 0);
	ASSERT_EQ(run_until(&loop, &d), 0);
	ASSERT(seen);
	ASSERT(kept);
	ASSERT(stat(sh, &st) != 0);
	ASSERT_EQ(image_rootfs_release(s, ctr, on_done, &d), 0); /* idempotent */
	ASSERT_EQ(run_until(&loop, &d), 0);
	image_unref(img);
	int closed = 0;
	image_store_close(s, on_closed, &closed);
	uv_run(&loop, UV_RUN_DEFAULT);
	ASSERT(closed);
	ASSERT_EQ(uv_loop_close(&loop), 0);
	free(sh);
	free(ctr);
	free(tarball);
	free(data);
	buf_release(&err);
	return 0;
}

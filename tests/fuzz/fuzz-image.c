/*
 * fuzz-image.c - libFuzzer target for the image store's parsers of outside input: image
 * references, WWW-Authenticate headers, registries.yaml, pull secrets, manifests and indexes,
 * and layer tarballs (unpacked into a fresh temp directory, which nothing may escape).
 *
 * The first byte picks the parser; the rest is its input. Any input must parse or fail with a
 * message, without a crash, leak or hang; an unpacked layer leaves nothing outside its
 * directory (the parent temp directory must hold only it afterwards).
 */
#include "cri/internal.h"
#include "lib/buf.h"
#include "lib/json.h"
#include "lib/util.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fz_ref(const char *s)
{
	struct image__ref r;
	struct buf err = BUF_INIT;
	if (image__ref_parse(s, &r, &err) == 0) {
		char *a = image__ref_string(&r);
		struct image__ref back;
		if (image__ref_parse(a, &back, NULL) != 0)
			abort(); /* a normalised reference parses again */
		image__ref_release(&back);
		free(a);
		image__ref_release(&r);
	} else if (!err.len) {
		abort();
	}
	buf_release(&err);
}

static void fz_challenges(const char *s)
{
	struct image__challenge c[4];
	size_t n = image__challenges_parse(s, c, 4);
	for (size_t i = 0; i < n; i++)
		image__challenge_release(&c[i]);
}

static void fz_registries(const char *s, size_t len)
{
	struct image__registries r;
	struct buf err = BUF_INIT;
	if (image__registries_parse(s, len, &r, &err) == 0) {
		struct image__ref ref;
		if (image__ref_parse("busybox", &ref, NULL) == 0) {
			struct image__endpoint *ep = NULL;
			size_t n = 0;
			if (image__endpoints(&r, &ref, &ep, &n, &err) == 0)
				image__endpoints_free(ep, n);
			image__ref_release(&ref);
		}
		image__registries_release(&r);
	} else if (!err.len) {
		abort();
	}
	buf_release(&err);
}

static void fz_creds(const char *s)
{
	struct image__cred *v = NULL;
	size_t n = 0;
	image__creds_match(s, "registry.example.com", "team/app", &v, &n);
	for (size_t i = 0; i < n; i++)
		image__cred_release(&v[i]);
	free(v);
}

static void fz_manifest(const char *s, size_t len)
{
	cJSON *doc = json_parse(s, len, NULL);
	if (!doc)
		return;
	struct buf err = BUF_INIT;
	const char *d = NULL;
	if (image__media_kind(NULL, doc) == IMAGE_MEDIA_INDEX)
		image__index_pick(doc, "amd64", "", &d, &err);
	char cfg[IMAGE_DIGEST_MAX];
	uint64_t size;
	struct image__layer_desc *l = NULL;
	size_t n = 0;
	if (image__manifest_parse(doc, cfg, &size, &l, &n, &err) == 0)
		image__layer_descs_free(l, n);
	char **ids = image__config_diff_ids(s, len, &err);
	image__strv_free(ids);
	cJSON_Delete(doc);
	buf_release(&err);
}

struct fz_src {
	const char *p;
	size_t left;
};

static ssize_t fz_read(void *ctx, const void **buf)
{
	struct fz_src *s = ctx;
	size_t n = s->left < 4096 ? s->left : 4096;
	*buf = s->p;
	s->p += n;
	s->left -= n;
	return (ssize_t)n;
}

static void fz_layer(const char *s, size_t len)
{
	char tmpl[] = "/tmp/fuzz-image.XXXXXX";
	if (!mkdtemp(tmpl))
		return;
	char *dir = xasprintf("%s/layer", tmpl);
	mkdir(dir, 0755);
	struct fz_src src = { s, len };
	struct image__unpack_result res;
	struct buf err = BUF_INIT;
	if (image__unpack(fz_read, &src, dir, IMAGE_UNPACK_NO_DEVICES, &res, &err) != 0 && !err.len)
		abort();
	/* Nothing but "layer" may be in the parent. */
	DIR *d = opendir(tmpl);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "layer"))
			abort();
	if (d)
		closedir(d);
	image__rmtree(tmpl);
	buf_release(&err);
	free(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	char *s = malloc(size);
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	size_t len = size - 1;
	switch (data[0] % 6) {
	case 0: fz_ref(s); break;
	case 1: fz_challenges(s); break;
	case 2: fz_registries(s, len); break;
	case 3: fz_creds(s); break;
	case 4: fz_manifest(s, len); break;
	default: fz_layer(s, len); break;
	}
	free(s);
	return 0;
}

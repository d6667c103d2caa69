/*
 * image_manifest.c - reading OCI and Docker manifests and indexes: what kind a document is,
 * which manifest of an index fits this node's platform, and a manifest's config and layers.
 *
 * Platform choice follows containerd's default matcher: os "linux" and this architecture;
 * for arm the host's variant or an older one (v7 runs v6 and v5; the closest wins), for arm64
 * no variant or "v8"; an entry without a platform is accepted when nothing names this one.
 * Architecture spellings are normalised (x86_64 -> amd64, aarch64 -> arm64).
 */
#include "cri/internal.h"

#include <string.h>

#include "lib/json.h"
#include "lib/util.h"

enum image__media image__media_kind(const char *media_type, const cJSON *doc)
{
	const char *mt = media_type && *media_type && strcmp(media_type, "application/json") != 0
				 ? media_type
				 : json_str(doc, "mediaType");
	if (mt) {
		if (!strcmp(mt, "application/vnd.oci.image.index.v1+json") ||
		    !strcmp(mt, "application/vnd.docker.distribution.manifest.list.v2+json"))
			return IMAGE_MEDIA_INDEX;
		if (!strcmp(mt, "application/vnd.oci.image.manifest.v1+json") ||
		    !strcmp(mt, "application/vnd.docker.distribution.manifest.v2+json"))
			return IMAGE_MEDIA_MANIFEST;
		if (starts_with(mt, "application/vnd.docker.distribution.manifest.v1"))
			return IMAGE_MEDIA_SCHEMA1;
	}
	int64_t version = 0;
	json_int(doc, "schemaVersion", &version);
	if (version == 1)
		return IMAGE_MEDIA_SCHEMA1;
	if (cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "manifests")))
		return IMAGE_MEDIA_INDEX;
	if (json_obj(doc, "config") && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "layers")))
		return IMAGE_MEDIA_MANIFEST;
	return IMAGE_MEDIA_UNKNOWN;
}

static const char *man__norm_arch(const char *a)
{
	if (!a)
		return "";
	if (!strcmp(a, "x86_64") || !strcmp(a, "x86-64"))
		return "amd64";
	if (!strcmp(a, "aarch64"))
		return "arm64";
	return a;
}

/* How well a platform fits: 0 not at all, higher is better. */
static int man__score(const cJSON *platform, const char *arch, const char *variant)
{
	if (!platform)
		return 1;
	const char *os = json_str(platform, "os");
	const char *a = man__norm_arch(json_str(platform, "architecture"));
	const char *v = json_str(platform, "variant");
	if (!v)
		v = "";
	if (!os || strcmp(os, "linux") != 0 || strcmp(a, arch) != 0)
		return 0;
	if (!strcmp(arch, "arm64"))
		return !*v || !strcmp(v, "v8") ? 10 : 0;
	if (!strcmp(arch, "arm")) {
		int want = variant && variant[0] == 'v' ? variant[1] - '0' : 7;
		int have = v[0] == 'v' ? v[1] - '0' : 7;
		return have <= want && have >= 5 ? 10 - (want - have) : 0;
	}
	if (!strcmp(arch, "amd64"))
		return !*v || !strcmp(v, "v1") ? 10 : 0;
	return !*v || (variant && !strcmp(v, variant)) ? 10 : 0;
}

int image__index_pick(const cJSON *doc, const char *arch, const char *variant, const char **digest,
		      struct buf *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, "manifests");
	if (!cJSON_IsArray(list)) {
		buf_adds(err, "invalid index: no manifests");
		return -IMAGE_EINVALID;
	}
	const cJSON *m, *best = NULL;
	int best_score = 0;
	cJSON_ArrayForEach(m, list) {
		const char *d = json_str(m, "digest");
		if (!image__digest_valid(d))
			continue;
		int s = man__score(json_obj(m, "platform"), arch, variant);
		if (s > best_score) {
			best = m;
			best_score = s;
		}
	}
	if (!best) {
		buf_addf(err, "no match for platform in manifest: linux/%s%s%s", arch,
			 variant && *variant ? "/" : "", variant ? variant : "");
		return -IMAGE_EPLATFORM;
	}
	*digest = json_str(best, "digest");
	return 0;
}

void image__layer_descs_free(struct image__layer_desc *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].media_type);
		free(v[i].url);
	}
	free(v);
}

static int man__desc(const cJSON *d, char digest[IMAGE_DIGEST_MAX], uint64_t *size)
{
	const char *dg = json_str(d, "digest");
	int64_t sz = -1;
	if (!image__digest_valid(dg) || json_int(d, "size", &sz) != 0 || sz < 0)
		return -1;
	snprintf(digest, IMAGE_DIGEST_MAX, "%s", dg);
	*size = (uint64_t)sz;
	return 0;
}

static int man__config_type_ok(const char *mt)
{
	return !mt || !strcmp(mt, "application/vnd.oci.image.config.v1+json") ||
	       !strcmp(mt, "application/vnd.docker.container.image.v1+json");
}

int image__manifest_parse(const cJSON *doc, char config_digest[IMAGE_DIGEST_MAX], uint64_t *config_size,
			  struct image__layer_desc **layers, size_t *nlayers, struct buf *err)
{
	const cJSON *cfg = json_obj(doc, "config");
	const cJSON *ls = cJSON_GetObjectItemCaseSensitive(doc, "layers");
	*layers = NULL;
	*nlayers = 0;
	if (!cfg || man__desc(cfg, config_digest, config_size) != 0 || !cJSON_IsArray(ls)) {
		buf_adds(err, "invalid manifest: bad config descriptor or layers");
		return -IMAGE_EINVALID;
	}
	if (!man__config_type_ok(json_str(cfg, "mediaType"))) {
		buf_addf(err, "not a container image (config media type %s)", json_str(cfg, "mediaType"));
		return -IMAGE_EINVALID;
	}
	size_t n = (size_t)cJSON_GetArraySize(ls), k = 0;
	struct image__layer_desc *v = xcalloc(n ? n : 1, sizeof(*v));
	const cJSON *l;
	cJSON_ArrayForEach(l, ls) {
		const char *mt = json_str(l, "mediaType");
		if (man__desc(l, v[k].digest, &v[k].size) != 0 || (mt && !strstr(mt, "tar"))) {
			buf_addf(err, "invalid manifest: layer %zu: bad descriptor or media type %s", k, mt ? mt : "");
			image__layer_descs_free(v, k);
			return -IMAGE_EINVALID;
		}
		v[k].media_type = xstrdup(mt ? mt : "");
		const cJSON *urls = cJSON_GetObjectItemCaseSensitive(l, "urls");
		if (cJSON_IsArray(urls) && cJSON_IsString(cJSON_GetArrayItem(urls, 0)))
			v[k].url = xstrdup(cJSON_GetArrayItem(urls, 0)->valuestring);
		k++;
	}
	*layers = v;
	*nlayers = k;
	return 0;
}

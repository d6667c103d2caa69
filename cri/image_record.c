/*
 * image_record.c - struct image: built from an image config blob (pull, import) or from its
 * record in index.json, written back as a record, reference-counted.
 *
 * A record holds what the kubelet needs without reading blobs: the id (the config's digest),
 * tags, repo digests, the layer diff ids (the layer directories follow from them), the size,
 * the architecture, the config's Entrypoint, Cmd, Env, WorkingDir, User and StopSignal, and
 * the digests of the blobs the image keeps (config, manifest, index).
 */
#include "cri/internal.h"

#include <string.h>

#include "lib/json.h"
#include "lib/util.h"

struct image *image_ref(struct image *img)
{
	if (img)
		img->refs++;
	return img;
}

void image__free(struct image *img)
{
	if (!img)
		return;
	free(img->id);
	image__strv_free(img->repo_tags);
	image__strv_free(img->repo_digests);
	image__strv_free(img->entrypoint);
	image__strv_free(img->cmd);
	image__strv_free(img->env);
	free(img->working_dir);
	free(img->user);
	free(img->stop_signal);
	free(img->arch);
	image__strv_free(img->layers);
	image__strv_free(img->blobs);
	free(img);
}

void image_unref(struct image *img)
{
	if (img && --img->refs <= 0)
		image__free(img);
}

/* A NULL-terminated copy of a JSON array of strings; NULL when absent or null. Returns -1
 * when present but not an array of strings. */
static int rec__strv(const cJSON *obj, const char *key, char ***out)
{
	*out = NULL;
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (!a || cJSON_IsNull(a))
		return 0;
	if (!cJSON_IsArray(a))
		return -1;
	char **v = xcalloc((size_t)cJSON_GetArraySize(a) + 1, sizeof(*v));
	size_t n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, a) {
		if (!cJSON_IsString(e)) {
			image__strv_free(v);
			return -1;
		}
		v[n++] = xstrdup(e->valuestring);
	}
	*out = v;
	return 0;
}

static char *rec__str(const cJSON *obj, const char *key)
{
	const char *s = json_str(obj, key);
	return xstrdup(s ? s : "");
}

/* Fills the config fields from a Docker/OCI "config" object (may be NULL). */
static int rec__config(struct image *img, const cJSON *c)
{
	if (rec__strv(c, "Entrypoint", &img->entrypoint) || rec__strv(c, "Cmd", &img->cmd) ||
	    rec__strv(c, "Env", &img->env))
		return -1;
	img->working_dir = rec__str(c, "WorkingDir");
	img->user = rec__str(c, "User");
	img->stop_signal = rec__str(c, "StopSignal");
	return 0;
}

static int rec__layers(struct image *img, const struct image__paths *p, char **diff_ids, struct buf *err)
{
	size_t n = image__strv_len(diff_ids);
	img->layers = xcalloc(n + 1, sizeof(char *));
	for (size_t i = 0; i < n; i++) {
		if (!image__digest_valid(diff_ids[i])) {
			buf_addf(err, "invalid layer diff id \"%s\"", diff_ids[i]);
			return -1;
		}
		img->layers[i] = image__layer_dir(p, diff_ids[i]);
	}
	img->nlayers = n;
	return 0;
}

char **image__config_diff_ids(const char *config, size_t len, struct buf *err)
{
	cJSON *doc = json_parse(config, len, err);
	char **v = NULL;
	const cJSON *rootfs = doc ? json_obj(doc, "rootfs") : NULL;
	if (!rootfs || rec__strv(rootfs, "diff_ids", &v) != 0 || !v) {
		buf_adds(err, "invalid image config: no rootfs.diff_ids");
		cJSON_Delete(doc);
		return NULL;
	}
	for (size_t i = 0; v[i]; i++) {
		if (!image__digest_valid(v[i])) {
			buf_addf(err, "invalid image config: bad diff id \"%s\"", v[i]);
			image__strv_free(v);
			v = NULL;
			break;
		}
	}
	cJSON_Delete(doc);
	return v;
}

struct image *image__new_from_config(const struct image__paths *p, const char *config, size_t len,
				     struct buf *err)
{
	char **diff_ids = image__config_diff_ids(config, len, err);
	if (!diff_ids)
		return NULL;
	cJSON *doc = json_parse(config, len, err);
	struct image *img = xcalloc(1, sizeof(*img));
	img->refs = 1;
	char id[IMAGE_DIGEST_MAX];
	image__sha256(config, len, id);
	img->id = xstrdup(id);
	img->repo_tags = xcalloc(1, sizeof(char *));
	img->repo_digests = xcalloc(1, sizeof(char *));
	img->arch = rec__str(doc, "architecture");
	int bad = rec__config(img, json_obj(doc, "config")) != 0;
	if (bad)
		buf_adds(err, "invalid image config: bad config fields");
	if (!bad && rec__layers(img, p, diff_ids, err) != 0)
		bad = 1;
	image__strv_free(diff_ids);
	cJSON_Delete(doc);
	if (bad) {
		image__free(img);
		return NULL;
	}
	return img;
}

struct image *image__new_from_json(const struct image__paths *p, const cJSON *rec, struct buf *err)
{
	const char *id = json_str(rec, "id");
	if (!image__digest_valid(id)) {
		buf_adds(err, "record without a valid id");
		return NULL;
	}
	struct image *img = xcalloc(1, sizeof(*img));
	img->refs = 1;
	img->id = xstrdup(id);
	char **diff_ids = NULL;
	int64_t size = 0;
	int bad = rec__strv(rec, "repoTags", &img->repo_tags) || rec__strv(rec, "repoDigests", &img->repo_digests) ||
		  rec__strv(rec, "blobs", &img->blobs) || rec__strv(rec, "layers", &diff_ids) ||
		  rec__config(img, json_obj(rec, "config"));
	if (bad)
		buf_addf(err, "record %s: malformed", id);
	if (!bad && rec__layers(img, p, diff_ids, err) != 0)
		bad = 1;
	image__strv_free(diff_ids);
	if (bad) {
		image__free(img);
		return NULL;
	}
	if (!img->repo_tags)
		img->repo_tags = xcalloc(1, sizeof(char *));
	if (!img->repo_digests)
		img->repo_digests = xcalloc(1, sizeof(char *));
	if (json_int(rec, "size", &size) == 0 && size > 0)
		img->size = (uint64_t)size;
	img->arch = rec__str(rec, "arch");
	return img;
}

static cJSON *rec__array(char *const *v)
{
	cJSON *a = cJSON_CreateArray();
	for (size_t i = 0; v && v[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return a;
}

cJSON *image__to_json(const struct image *img)
{
	cJSON *o = cJSON_CreateObject();
	json_set_str(o, "id", img->id);
	json_set(o, "repoTags", rec__array(img->repo_tags));
	json_set(o, "repoDigests", rec__array(img->repo_digests));
	cJSON *layers = cJSON_CreateArray();
	for (size_t i = 0; i < img->nlayers; i++) {
		const char *slash = strrchr(img->layers[i], '/');
		char *d = xasprintf("sha256:%s", slash ? slash + 1 : img->layers[i]);
		cJSON_AddItemToArray(layers, cJSON_CreateString(d));
		free(d);
	}
	json_set(o, "layers", layers);
	json_set_int(o, "size", (int64_t)img->size);
	json_set_str(o, "arch", img->arch ? img->arch : "");
	json_set(o, "blobs", rec__array(img->blobs));
	cJSON *c = cJSON_CreateObject();
	if (img->entrypoint)
		json_set(c, "Entrypoint", rec__array(img->entrypoint));
	if (img->cmd)
		json_set(c, "Cmd", rec__array(img->cmd));
	if (img->env)
		json_set(c, "Env", rec__array(img->env));
	json_set_str(c, "WorkingDir", img->working_dir ? img->working_dir : "");
	json_set_str(c, "User", img->user ? img->user : "");
	json_set_str(c, "StopSignal", img->stop_signal ? img->stop_signal : "");
	json_set(o, "config", c);
	return o;
}

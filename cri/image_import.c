/*
 * image_import.c - air-gap imports: oci-archive and docker-archive tarballs (optionally
 * compressed) and OCI image layout directories, into the store. Synchronous: it runs on a
 * worker thread of the agent or in `kube images import`.
 *
 * DESIGN
 * An archive is read twice, sequentially, with libarchive (no temporary copy of its layers):
 * the first pass keeps the small files in memory (index.json, manifest.json, manifests and
 * configs under blobs/, *.json) and notes symlinks; from them the images are resolved (an OCI
 * index is narrowed to this node's platform; a docker-archive's manifest.json lists configs
 * and layer files) and every digest of a manifest or config is checked. The layers the store
 * lacks are then protected (see image_index.c) and the second pass unpacks each straight from
 * its archive entry, checking its blob digest (OCI) and its diff id (both formats) on the way.
 * An OCI layout directory is the same without the passes: files are read directly.
 *
 * Names: OCI images take "io.containerd.image.name", else "org.opencontainers.image.ref.name"
 * when it is a full reference (a bare tag such as "latest" names nothing, as in containerd);
 * docker-archive images take their RepoTags. An OCI image also gets the repo digest
 * name@<digest of its index.json entry>.
 */
#include "cri/internal.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hmap.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

#define IMP_SMALL_MAX (8u << 20)  /* files kept in memory by the first pass */
#define IMP_BUF (128 * 1024)

struct imp__file {
	char *data;   /* contents (small files), or NULL */
	size_t len;
	int64_t size; /* size in the archive */
	char *link;   /* symlink target, or NULL */
};

struct imp__image {
	char *config, *manifest, *index;
	size_t config_len, manifest_len, index_len;
	char *name, *tag;
	char repo_digest[IMAGE_DIGEST_MAX]; /* "" for none */
	uint64_t size;
};

struct imp__layer {
	char *path;                         /* in the archive or layout */
	char blob[IMAGE_DIGEST_MAX];        /* expected blob digest, or "" */
	char diff_id[IMAGE_DIGEST_MAX];
	int needed;                         /* not in the store yet */
	int done;
};

struct imp {
	const struct image__paths *p;
	const char *path;
	int is_dir;
	const char *arch, *variant;
	struct hmap files;                  /* archive path -> struct imp__file */
	struct imp__image *images;
	size_t nimages;
	struct imp__layer *layers;
	size_t nlayers;
	struct image__op op;
	struct buf *err;
};

static int imp__fail(struct imp *m, int ret, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int imp__fail(struct imp *m, int ret, const char *fmt, ...)
{
	if (m->err->len)
		return ret;
	va_list ap;
	va_start(ap, fmt);
	buf_addf(m->err, "importing %s: ", m->path);
	buf_vaddf(m->err, fmt, ap);
	va_end(ap);
	return ret;
}

/* Normalises an archive path: no leading "./" or "/", no empty or "." components. */
static char *imp__clean(const char *name)
{
	struct buf out = BUF_INIT;
	const char *p = name;
	while (*p) {
		while (*p == '/')
			p++;
		size_t n = strcspn(p, "/");
		if (n && !(n == 1 && p[0] == '.')) {
			if (out.len)
				buf_addch(&out, '/');
			buf_add(&out, p, n);
		}
		p += n;
	}
	return buf_detach(&out, NULL);
}

static int imp__wanted_small(const char *path, int64_t size)
{
	if (size < 0 || (uint64_t)size > IMP_SMALL_MAX)
		return 0;
	return !strcmp(path, "index.json") || !strcmp(path, "manifest.json") || !strcmp(path, "oci-layout") ||
	       !strcmp(path, "repositories") || ends_with(path, ".json") ||
	       (starts_with(path, "blobs/") && size <= (4 << 20));
}

static struct archive *imp__open_archive(struct imp *m)
{
	struct archive *a = archive_read_new();
	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	if (archive_read_open_filename(a, m->path, IMP_BUF) != ARCHIVE_OK) {
		imp__fail(m, -IMAGE_EINVALID, "%s", archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

static int imp__read_entry(struct archive *a, struct imp__file *f)
{
	f->data = xmalloc((size_t)f->size + 1);
	size_t got = 0;
	while (got < (size_t)f->size) {
		la_ssize_t n = archive_read_data(a, f->data + got, (size_t)f->size - got);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	f->data[got] = 0;
	f->len = got;
	return 0;
}

/* The first pass over an archive. */
static int imp__scan(struct imp *m)
{
	struct archive *a = imp__open_archive(m);
	if (!a)
		return -IMAGE_EINVALID;
	int ret = 0;
	struct archive_entry *e;
	int r;
	while ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN) {
		char *path = imp__clean(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
		struct imp__file *f = xcalloc(1, sizeof(*f));
		f->size = archive_entry_size(e);
		if (archive_entry_filetype(e) == AE_IFLNK && archive_entry_symlink(e))
			f->link = xstrdup(archive_entry_symlink(e));
		else if (archive_entry_filetype(e) == AE_IFREG && imp__wanted_small(path, f->size) &&
			 imp__read_entry(a, f) != 0)
			ret = imp__fail(m, -IMAGE_EINVALID, "reading %s: %s", path, archive_error_string(a));
		struct imp__file *old = hmap_put(&m->files, path, f);
		if (old) {
			free(old->data);
			free(old->link);
			free(old);
		}
		free(path);
		if (ret)
			break;
	}
	if (!ret && r != ARCHIVE_EOF)
		ret = imp__fail(m, -IMAGE_EINVALID, "not a tar archive: %s", archive_error_string(a));
	archive_read_free(a);
	return ret;
}

/* Follows archive symlinks (relative to the link's directory), a few levels. */
static char *imp__resolve(struct imp *m, const char *path)
{
	char *cur = imp__clean(path);
	for (int i = 0; i < 8 && !m->is_dir; i++) {
		struct imp__file *f = hmap_get(&m->files, cur);
		if (!f || !f->link)
			break;
		char *dir = xstrdup(cur);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = 0;
		else
			dir[0] = 0;
		struct buf joined = BUF_INIT;
		if (f->link[0] != '/' && *dir)
			buf_addf(&joined, "%s/", dir);
		buf_adds(&joined, f->link);
		free(dir);
		/* Resolve ".." lexically; a path leaving the archive resolves to nothing. */
		struct buf out = BUF_INIT;
		const char *p = buf_str(&joined);
		int bad = 0;
		while (*p) {
			while (*p == '/')
				p++;
			size_t n = strcspn(p, "/");
			if (n == 2 && !strncmp(p, "..", 2)) {
				char *s = strrchr(out.data ? out.data : "", '/');
				if (!out.len)
					bad = 1;
				buf_truncate(&out, s ? (size_t)(s - out.data) : 0);
			} else if (n && !(n == 1 && *p == '.')) {
				if (out.len)
					buf_addch(&out, '/');
				buf_add(&out, p, n);
			}
			p += n;
		}
		buf_release(&joined);
		free(cur);
		cur = buf_detach(&out, NULL);
		if (bad)
			break;
	}
	return cur;
}

/* Reads a small file of the archive or layout (NUL-terminated copy). */
static int imp__get(struct imp *m, const char *path, char **data, size_t *len)
{
	char *clean = imp__resolve(m, path);
	int ret = 0;
	if (m->is_dir) {
		if (strstr(clean, "..")) {
			free(clean);
			return imp__fail(m, -IMAGE_EINVALID, "bad path %s", path);
		}
		char *full = xasprintf("%s/%s", m->path, clean);
		ret = read_file(full, data, len);
		free(full);
		if (ret)
			ret = imp__fail(m, ret == -ENOENT ? -IMAGE_ENOTFOUND : ret, "%s: %s", clean, strerror(-ret));
	} else {
		struct imp__file *f = hmap_get(&m->files, clean);
		if (!f || !f->data) {
			ret = imp__fail(m, -IMAGE_ENOTFOUND, "%s is missing from the archive (or too large)", clean);
		} else {
			*data = xmalloc(f->len + 1);
			memcpy(*data, f->data, f->len + 1);
			*len = f->len;
		}
	}
	free(clean);
	return ret;
}

/* Reads blobs/sha256/<hex> and checks its digest. */
static int imp__blob(struct imp *m, const char *digest, char **data, size_t *len)
{
	char *path = xasprintf("blobs/sha256/%s", digest + 7);
	int ret = imp__get(m, path, data, len);
	free(path);
	if (ret)
		return ret;
	char got[IMAGE_DIGEST_MAX];
	image__sha256(*data, *len, got);
	if (strcmp(got, digest) != 0) {
		free(*data);
		*data = NULL;
		return imp__fail(m, -IMAGE_EDIGEST, "blob %s has digest %s", digest, got);
	}
	return 0;
}

static struct imp__layer *imp__add_layer(struct imp *m, const char *path, const char *blob, const char *diff_id)
{
	for (size_t i = 0; i < m->nlayers; i++)
		if (!strcmp(m->layers[i].diff_id, diff_id))
			return &m->layers[i];
	m->layers = xrealloc(m->layers, (m->nlayers + 1) * sizeof(*m->layers));
	struct imp__layer *l = &m->layers[m->nlayers++];
	memset(l, 0, sizeof(*l));
	l->path = xstrdup(path);
	snprintf(l->blob, sizeof(l->blob), "%s", blob ? blob : "");
	snprintf(l->diff_id, sizeof(l->diff_id), "%s", diff_id);
	return l;
}

static struct imp__image *imp__add_image(struct imp *m)
{
	m->images = xrealloc(m->images, (m->nimages + 1) * sizeof(*m->images));
	struct imp__image *im = &m->images[m->nimages++];
	memset(im, 0, sizeof(*im));
	return im;
}

/* Sets the name and tag of im from a reference text; a bare tag names nothing. */
static void imp__name(struct imp__image *im, const char *ref)
{
	struct image__ref r;
	if (!ref || (!strchr(ref, '/') && !strchr(ref, ':') && !strchr(ref, '@')))
		return;
	if (image__ref_parse(ref, &r, NULL) != 0) {
		log_warn("images: import: ignoring the invalid name \"%s\"", ref);
		return;
	}
	im->name = image__ref_name(&r);
	im->tag = r.tag ? xstrdup(r.tag) : NULL;
	image__ref_release(&r);
}


/* One manifest of an OCI layout: its config and layers, checked. */
static int imp__oci_manifest(struct imp *m, struct imp__image *im, const char *digest)
{
	int ret = imp__blob(m, digest, &im->manifest, &im->manifest_len);
	if (ret)
		return ret;
	cJSON *doc = json_parse(im->manifest, im->manifest_len, NULL);
	char cfg[IMAGE_DIGEST_MAX];
	uint64_t cfg_size = 0;
	struct image__layer_desc *ls = NULL;
	size_t nls = 0;
	char **diff_ids = NULL;
	struct buf e2 = BUF_INIT;
	if (!doc || image__media_kind(NULL, doc) != IMAGE_MEDIA_MANIFEST ||
	    image__manifest_parse(doc, cfg, &cfg_size, &ls, &nls, &e2) != 0) {
		ret = imp__fail(m, -IMAGE_EINVALID, "manifest %s: %s", digest, e2.len ? buf_str(&e2) : "not a manifest");
		goto out;
	}
	ret = imp__blob(m, cfg, &im->config, &im->config_len);
	if (ret)
		goto out;
	diff_ids = image__config_diff_ids(im->config, im->config_len, &e2);
	if (!diff_ids || image__strv_len(diff_ids) != nls) {
		ret = imp__fail(m, -IMAGE_EINVALID, "config %s: %s", cfg,
				e2.len ? buf_str(&e2) : "its diff ids do not match the manifest's layers");
		goto out;
	}
	im->size = im->manifest_len + cfg_size;
	for (size_t i = 0; i < nls; i++) {
		char *path = xasprintf("blobs/sha256/%s", ls[i].digest + 7);
		imp__add_layer(m, path, ls[i].digest, diff_ids[i]);
		free(path);
		im->size += ls[i].size;
	}
out:
	image__strv_free(diff_ids);
	image__layer_descs_free(ls, nls);
	buf_release(&e2);
	cJSON_Delete(doc);
	return ret;
}

/* One entry of index.json: a manifest, or an index narrowed to this platform. */
static int imp__oci_entry(struct imp *m, const cJSON *desc)
{
	const char *digest = json_str(desc, "digest");
	if (!image__digest_valid(digest))
		return imp__fail(m, -IMAGE_EINVALID, "index.json: an entry without a valid digest");
	const cJSON *ann = json_obj(desc, "annotations");
	const char *name = json_str(ann, "io.containerd.image.name");
	struct imp__image *im = imp__add_image(m);
	imp__name(im, name ? name : json_str(ann, "org.opencontainers.image.ref.name"));
	snprintf(im->repo_digest, sizeof(im->repo_digest), "%s", digest);
	char *data = NULL;
	size_t len = 0;
	int ret = imp__blob(m, digest, &data, &len);
	if (ret)
		return ret;
	cJSON *doc = json_parse(data, len, NULL);
	enum image__media kind = doc ? image__media_kind(json_str(desc, "mediaType"), doc) : IMAGE_MEDIA_UNKNOWN;
	if (kind == IMAGE_MEDIA_INDEX) {
		const char *pick = NULL;
		struct buf e2 = BUF_INIT;
		ret = image__index_pick(doc, m->arch, m->variant, &pick, &e2);
		if (ret)
			imp__fail(m, ret, "%s", buf_str(&e2));
		else {
			char *child = xstrdup(pick);
			im->index = data;
			im->index_len = len;
			data = NULL;
			ret = imp__oci_manifest(m, im, child);
			free(child);
		}
		buf_release(&e2);
	} else if (kind == IMAGE_MEDIA_MANIFEST) {
		ret = imp__oci_manifest(m, im, digest);
	} else {
		ret = imp__fail(m, -IMAGE_EINVALID, "%s is neither an index nor a manifest", digest);
	}
	free(data);
	cJSON_Delete(doc);
	return ret;
}

static int imp__oci(struct imp *m)
{
	char *data = NULL;
	size_t len = 0;
	int ret = imp__get(m, "index.json", &data, &len);
	if (ret)
		return ret;
	cJSON *doc = json_parse(data, len, NULL);
	free(data);
	const cJSON *list = doc ? cJSON_GetObjectItemCaseSensitive(doc, "manifests") : NULL;
	if (!cJSON_IsArray(list)) {
		cJSON_Delete(doc);
		return imp__fail(m, -IMAGE_EINVALID, "index.json is not an OCI index");
	}
	const cJSON *d;
	cJSON_ArrayForEach(d, list) {
		ret = imp__oci_entry(m, d);
		if (ret)
			break;
	}
	cJSON_Delete(doc);
	return ret;
}

static int imp__docker_image(struct imp *m, const cJSON *ent)
{
	const char *config = json_str(ent, "Config");
	const cJSON *layers = cJSON_GetObjectItemCaseSensitive(ent, "Layers");
	if (!config || !cJSON_IsArray(layers))
		return imp__fail(m, -IMAGE_EINVALID, "manifest.json: an entry without Config or Layers");
	struct imp__image *im = imp__add_image(m);
	int ret = imp__get(m, config, &im->config, &im->config_len);
	if (ret)
		return ret;
	struct buf e2 = BUF_INIT;
	char **diff_ids = image__config_diff_ids(im->config, im->config_len, &e2);
	if (!diff_ids || image__strv_len(diff_ids) != (size_t)cJSON_GetArraySize(layers)) {
		ret = imp__fail(m, -IMAGE_EINVALID, "%s: %s", config,
				e2.len ? buf_str(&e2) : "its diff ids do not match the layers");
		goto out;
	}
	im->size = im->config_len;
	size_t i = 0;
	const cJSON *l;
	cJSON_ArrayForEach(l, layers) {
		if (!cJSON_IsString(l)) {
			ret = imp__fail(m, -IMAGE_EINVALID, "manifest.json: a layer is not a path");
			goto out;
		}
		char *path = imp__resolve(m, l->valuestring);
		struct imp__file *f = m->is_dir ? NULL : hmap_get(&m->files, path);
		im->size += f && f->size > 0 ? (uint64_t)f->size : 0;
		imp__add_layer(m, path, NULL, diff_ids[i++]);
		free(path);
	}
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(ent, "RepoTags");
	if (cJSON_IsArray(tags) && cJSON_IsString(cJSON_GetArrayItem(tags, 0)))
		imp__name(im, cJSON_GetArrayItem(tags, 0)->valuestring);
	/* Further tags become images of their own with the same content. */
	for (int t = 1; cJSON_IsArray(tags) && t < cJSON_GetArraySize(tags); t++) {
		const cJSON *tag = cJSON_GetArrayItem(tags, t);
		if (!cJSON_IsString(tag))
			continue;
		size_t first = (size_t)(im - m->images);
		struct imp__image *copy = imp__add_image(m);
		im = &m->images[first]; /* the array may have moved */
		copy->config = xmalloc(im->config_len + 1);
		memcpy(copy->config, im->config, im->config_len + 1);
		copy->config_len = im->config_len;
		copy->size = im->size;
		imp__name(copy, tag->valuestring);
	}
out:
	image__strv_free(diff_ids);
	buf_release(&e2);
	return ret;
}

static int imp__docker(struct imp *m)
{
	char *data = NULL;
	size_t len = 0;
	int ret = imp__get(m, "manifest.json", &data, &len);
	if (ret)
		return ret;
	cJSON *doc = json_parse(data, len, NULL);
	free(data);
	if (!cJSON_IsArray(doc)) {
		cJSON_Delete(doc);
		return imp__fail(m, -IMAGE_EINVALID, "manifest.json is not a docker-archive manifest");
	}
	const cJSON *ent;
	cJSON_ArrayForEach(ent, doc) {
		ret = imp__docker_image(m, ent);
		if (ret)
			break;
	}
	cJSON_Delete(doc);
	return ret;
}

/* Which layers are missing from the store; protects all of them first. */
static int imp__plan(struct imp *m)
{
	if (!m->nlayers)
		return 0;
	const char **ids = xcalloc(m->nlayers, sizeof(*ids));
	for (size_t i = 0; i < m->nlayers; i++)
		ids[i] = m->layers[i].diff_id;
	int lk = image__lock(m->p);
	int ret = lk < 0 ? lk : image__op_protect(&m->op, ids, m->nlayers);
	for (size_t i = 0; !ret && i < m->nlayers; i++) {
		char *dir = image__layer_dir(m->p, m->layers[i].diff_id);
		struct stat st;
		m->layers[i].needed = stat(dir, &st) != 0;
		free(dir);
	}
	image__unlock(lk);
	free(ids);
	if (ret)
		return imp__fail(m, ret, "protecting layers: %s", strerror(-ret));
	return 0;
}

/* Unpacks one layer from rd into the staging area and moves it into the store. */
static int imp__unpack(struct imp *m, struct imp__layer *l, image__read_fn *rd, void *ctx)
{
	char *stage = xasprintf("%s/layer-%s", m->op.dir, l->diff_id + 7);
	char *final = image__layer_dir(m->p, l->diff_id);
	struct image__unpack_result res;
	struct buf e2 = BUF_INIT;
	int ret = mkdir(stage, 0755) < 0 ? -errno : 0;
	if (ret) {
		imp__fail(m, ret, "%s: %s", stage, strerror(-ret));
		goto out;
	}
	ret = image__unpack(rd, ctx, stage, 0, &res, &e2);
	if (ret)
		imp__fail(m, ret, "layer %s: %s", l->path, buf_str(&e2));
	else if (l->blob[0] && strcmp(res.blob_digest, l->blob) != 0)
		ret = imp__fail(m, -IMAGE_EDIGEST, "layer %s has digest %s, expected %s", l->path, res.blob_digest, l->blob);
	else if (strcmp(res.diff_id, l->diff_id) != 0)
		ret = imp__fail(m, -IMAGE_EDIGEST, "layer %s has diff id %s, expected %s", l->path, res.diff_id,
				l->diff_id);
	if (!ret && rename(stage, final) < 0 && errno != EEXIST && errno != ENOTEMPTY)
		ret = imp__fail(m, -errno, "%s: %s", final, strerror(errno));
	if (!ret)
		l->done = 1;
out:
	image__rmtree(stage);
	buf_release(&e2);
	free(stage);
	free(final);
	return ret;
}

struct imp__entry_src {
	struct archive *a;
	char *buf;
};

static ssize_t imp__entry_read(void *ctx, const void **buf)
{
	struct imp__entry_src *s = ctx;
	la_ssize_t n = archive_read_data(s->a, s->buf, IMP_BUF);
	*buf = s->buf;
	return n < 0 ? -EIO : n;
}

static struct imp__layer *imp__needed(struct imp *m, const char *path)
{
	for (size_t i = 0; i < m->nlayers; i++)
		if (m->layers[i].needed && !m->layers[i].done && !strcmp(m->layers[i].path, path))
			return &m->layers[i];
	return NULL;
}

/* The second pass: unpacks the needed layers from their entries. */
static int imp__unpack_archive(struct imp *m)
{
	struct archive *a = imp__open_archive(m);
	if (!a)
		return -IMAGE_EINVALID;
	struct imp__entry_src src = { a, xmalloc(IMP_BUF) };
	struct archive_entry *e;
	int ret = 0, r;
	while (!ret && ((r = archive_read_next_header(a, &e)) == ARCHIVE_OK || r == ARCHIVE_WARN)) {
		char *path = imp__clean(archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
		struct imp__layer *l = archive_entry_filetype(e) == AE_IFREG ? imp__needed(m, path) : NULL;
		free(path);
		if (l)
			ret = imp__unpack(m, l, imp__entry_read, &src);
	}
	free(src.buf);
	archive_read_free(a);
	return ret;
}

struct imp__fd_src {
	int fd;
	char *buf;
};

static ssize_t imp__fd_read(void *ctx, const void **buf)
{
	struct imp__fd_src *s = ctx;
	ssize_t n;
	do
		n = read(s->fd, s->buf, IMP_BUF);
	while (n < 0 && errno == EINTR);
	*buf = s->buf;
	return n < 0 ? -errno : n;
}

static int imp__unpack_dir(struct imp *m)
{
	int ret = 0;
	for (size_t i = 0; !ret && i < m->nlayers; i++) {
		struct imp__layer *l = &m->layers[i];
		if (!l->needed || strstr(l->path, ".."))
			continue;
		char *full = xasprintf("%s/%s", m->path, l->path);
		struct imp__fd_src src = { open(full, O_RDONLY | O_CLOEXEC), NULL };
		free(full);
		if (src.fd < 0)
			return imp__fail(m, -IMAGE_ENOTFOUND, "layer %s: %s", l->path, strerror(errno));
		src.buf = xmalloc(IMP_BUF);
		ret = imp__unpack(m, l, imp__fd_read, &src);
		free(src.buf);
		close(src.fd);
	}
	return ret;
}

static int imp__commit(struct imp *m, struct image ***imported)
{
	size_t n = 0;
	*imported = xcalloc(m->nimages + 1, sizeof(**imported));
	for (size_t i = 0; i < m->nimages; i++) {
		struct imp__image *im = &m->images[i];
		struct image__record rec = {
			.config = im->config, .config_len = im->config_len,
			.manifest = im->manifest, .manifest_len = im->manifest_len,
			.index_blob = im->index, .index_len = im->index_len,
			.name = im->name, .tag = im->tag,
			.repo_digest_of = im->repo_digest[0] ? im->repo_digest : NULL, .size = im->size,
		};
		struct image *img = NULL;
		int ret = image__commit(m->p, &rec, &img, m->err);
		if (ret)
			return ret;
		(*imported)[n++] = img;
	}
	return 0;
}

static void imp__release(struct imp *m)
{
	struct hmap_entry *e;
	for (size_t b = 0; b < m->files.nbuckets; b++)
		for (e = m->files.buckets[b]; e; e = e->next) {
			struct imp__file *f = e->value;
			free(f->data);
			free(f->link);
			free(f);
		}
	hmap_release(&m->files);
	for (size_t i = 0; i < m->nimages; i++) {
		free(m->images[i].config);
		free(m->images[i].manifest);
		free(m->images[i].index);
		free(m->images[i].name);
		free(m->images[i].tag);
	}
	free(m->images);
	for (size_t i = 0; i < m->nlayers; i++)
		free(m->layers[i].path);
	free(m->layers);
	image__op_end(&m->op);
}

static int imp__resolve_images(struct imp *m)
{
	int has_index = m->is_dir ? 0 : hmap_get(&m->files, "index.json") != NULL;
	if (m->is_dir) {
		char *ix = xasprintf("%s/index.json", m->path);
		struct stat st;
		has_index = stat(ix, &st) == 0;
		free(ix);
	}
	int has_docker = !m->is_dir && hmap_get(&m->files, "manifest.json") != NULL;
	/* docker save (25+) writes both: its manifest.json names the tags, so prefer it. */
	if (has_docker)
		return imp__docker(m);
	if (has_index)
		return imp__oci(m);
	return imp__fail(m, -IMAGE_EINVALID, "neither an OCI archive (index.json) nor a docker archive (manifest.json)");
}

int image__import(const struct image__paths *p, const char *path, const char *arch, const char *variant,
		  struct image ***imported, struct buf *err)
{
	struct imp m = { .p = p, .path = path, .arch = arch, .variant = variant, .err = err, .op = { NULL, -1 } };
	*imported = NULL;
	struct stat st;
	if (stat(path, &st) != 0) {
		buf_addf(err, "importing %s: %s", path, strerror(errno));
		return -errno;
	}
	m.is_dir = S_ISDIR(st.st_mode);
	int ret = m.is_dir ? 0 : imp__scan(&m);
	if (!ret)
		ret = imp__resolve_images(&m);
	if (!ret && !m.nimages)
		ret = imp__fail(&m, -IMAGE_EINVALID, "no image in it");
	if (!ret)
		ret = image__op_begin(p, &m.op, err);
	if (!ret)
		ret = imp__plan(&m);
	if (!ret)
		ret = m.is_dir ? imp__unpack_dir(&m) : imp__unpack_archive(&m);
	for (size_t i = 0; !ret && i < m.nlayers; i++)
		if (m.layers[i].needed && !m.layers[i].done)
			ret = imp__fail(&m, -IMAGE_ENOTFOUND, "layer %s is missing", m.layers[i].path);
	if (!ret)
		ret = imp__commit(&m, imported);
	imp__release(&m);
	return ret;
}

/*
 * image_index.c - the image store on disk: its directories, the lock that serialises changes
 * between processes, the index of image records, staging areas of operations in progress,
 * and garbage collection. Everything here is synchronous (worker threads, `kube images`).
 *
 * DESIGN
 * Layout of DATA/agent/images/ (the *.tar files there are the user's air-gap archives):
 *
 *   index.json              every image: id, tags, repo digests, layer diff ids, size, the
 *                           config fields the kubelet needs, the blobs it keeps
 *   blobs/sha256/<hex>      manifests, indexes and configs (compressed layers are not kept:
 *                           once unpacked and verified they are deleted)
 *   layers/<hex>/           one unpacked layer per diff id: an overlayfs lower directory
 *   leases/<hex>            layers a container root filesystem uses (one file per rootfs)
 *   tmp/op-XXXXXX/          an operation in progress (pull, import): its downloads and
 *                           unpacking, a "lock" file it holds flock'd, and "protect", the
 *                           layers it needs kept
 *   empty/                  the lower directory of a container whose image has no layer
 *   lock                    flock'd exclusively around every change of index.json, leases and
 *                           layers/, and around garbage collection
 *
 * Crash safety: a layer is unpacked in its operation's staging directory and renamed into
 * layers/ only when complete and verified, so layers/<hex> always holds a whole layer; the
 * index is written to a temporary file, fsync'd and renamed; a layer is deleted by renaming
 * it out of layers/ first. Staging directories whose lock nobody holds are debris of a crash
 * and are removed by garbage collection. Garbage collection runs under the lock and keeps every
 * layer that an image, a lease or a live operation names; an operation records what it needs
 * (image__op_protect) under the lock before it looks for or creates those layers.
 */
#include "cri/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/hmap.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

void image__paths_release(struct image__paths *p)
{
	free(p->root);
	free(p->blobs);
	free(p->layers);
	free(p->tmp);
	free(p->leases);
	free(p->index);
	free(p->lock);
	free(p->empty);
	memset(p, 0, sizeof(*p));
}

int image__paths_init(struct image__paths *p, const char *data_dir, struct buf *err)
{
	memset(p, 0, sizeof(*p));
	p->root = xasprintf("%s/agent/images", data_dir);
	p->blobs = xasprintf("%s/blobs/sha256", p->root);
	p->layers = xasprintf("%s/layers", p->root);
	p->tmp = xasprintf("%s/tmp", p->root);
	p->leases = xasprintf("%s/leases", p->root);
	p->index = xasprintf("%s/index.json", p->root);
	p->lock = xasprintf("%s/lock", p->root);
	p->empty = xasprintf("%s/empty", p->root);
	const char *dirs[] = { p->root, p->blobs, p->layers, p->tmp, p->leases, p->empty };
	for (size_t i = 0; i < ARRAY_SIZE(dirs); i++) {
		int r = mkdir_p(dirs[i], 0700);
		if (r) {
			buf_addf(err, "image store: creating %s: %s", dirs[i], strerror(-r));
			image__paths_release(p);
			return r;
		}
	}
	return 0;
}

char *image__layer_dir(const struct image__paths *p, const char *diff_id)
{
	return xasprintf("%s/%s", p->layers, starts_with(diff_id, "sha256:") ? diff_id + 7 : diff_id);
}

int image__lock(const struct image__paths *p)
{
	int fd = open(p->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			int e = errno;
			close(fd);
			return -e;
		}
	}
	return fd;
}

void image__unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing the last descriptor releases the flock */
}

int image__op_begin(const struct image__paths *p, struct image__op *op, struct buf *err)
{
	op->dir = NULL;
	op->lock_fd = -1;
	int lk = image__lock(p);
	if (lk < 0) {
		buf_addf(err, "image store lock: %s", strerror(-lk));
		return lk;
	}
	char *tmpl = xasprintf("%s/op-XXXXXX", p->tmp);
	int ret = 0;
	if (!mkdtemp(tmpl)) {
		ret = -errno;
		buf_addf(err, "image store: %s: %s", tmpl, strerror(errno));
		free(tmpl);
		goto out;
	}
	char *lock = xasprintf("%s/lock", tmpl);
	op->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	free(lock);
	if (op->lock_fd < 0 || flock(op->lock_fd, LOCK_EX) < 0) {
		ret = -errno;
		buf_addf(err, "image store: locking %s: %s", tmpl, strerror(errno));
		if (op->lock_fd >= 0)
			close(op->lock_fd);
		op->lock_fd = -1;
		image__rmtree(tmpl);
		free(tmpl);
		goto out;
	}
	op->dir = tmpl;
out:
	image__unlock(lk);
	return ret;
}

int image__op_protect(struct image__op *op, const char *const *diff_ids, size_t n)
{
	char *path = xasprintf("%s/protect", op->dir);
	FILE *f = fopen(path, "ae");
	free(path);
	if (!f)
		return -errno;
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", diff_ids[i]);
	int ret = fclose(f) == 0 ? 0 : -errno;
	return ret;
}

void image__op_end(struct image__op *op)
{
	if (op->dir) {
		image__rmtree(op->dir);
		free(op->dir);
	}
	if (op->lock_fd >= 0)
		close(op->lock_fd);
	op->dir = NULL;
	op->lock_fd = -1;
}

void image__index_free(struct image__index *idx)
{
	if (!idx)
		return;
	for (size_t i = 0; i < idx->n; i++)
		image_unref(idx->v[i]); /* references handed out (image__commit's) stay valid */
	free(idx->v);
	free(idx);
}

int image__index_load(const struct image__paths *p, struct image__index **out, struct buf *err)
{
	struct image__index *idx = xcalloc(1, sizeof(*idx));
	char *data = NULL;
	size_t len = 0;
	int ret = read_file(p->index, &data, &len);
	if (ret == -ENOENT) {
		*out = idx;
		return 0;
	}
	if (ret) {
		buf_addf(err, "image index %s: %s", p->index, strerror(-ret));
		free(idx);
		return ret;
	}
	cJSON *doc = json_parse(data, len, err);
	free(data);
	const cJSON *images = doc ? cJSON_GetObjectItemCaseSensitive(doc, "images") : NULL;
	if (!cJSON_IsArray(images)) {
		buf_addf(err, "image index %s: not an index", p->index);
		cJSON_Delete(doc);
		free(idx);
		return -KUBE_EINVAL;
	}
	const cJSON *rec;
	cJSON_ArrayForEach(rec, images) {
		struct buf e2 = BUF_INIT;
		struct image *img = image__new_from_json(p, rec, &e2);
		if (!img) {
			log_warn("images: index %s: record skipped: %s", p->index, buf_str(&e2));
		} else {
			idx->v = xrealloc(idx->v, (idx->n + 1) * sizeof(*idx->v));
			idx->v[idx->n++] = img;
		}
		buf_release(&e2);
	}
	cJSON_Delete(doc);
	*out = idx;
	return 0;
}

int image__index_save(const struct image__paths *p, const struct image__index *idx, struct buf *err)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON *arr = cJSON_AddArrayToObject(doc, "images");
	for (size_t i = 0; i < idx->n; i++)
		cJSON_AddItemToArray(arr, image__to_json(idx->v[i]));
	char *text = cJSON_Print(doc);
	cJSON_Delete(doc);
	int ret = write_file_atomic(p->index, text, strlen(text), 0600);
	free(text);
	if (ret)
		buf_addf(err, "writing the image index %s: %s", p->index, strerror(-ret));
	return ret;
}

static struct image *index__find_ref(const struct image__index *idx, const char *ref)
{
	struct image__ref r;
	if (image__ref_parse(ref, &r, NULL) != 0)
		return NULL;
	char *s = image__ref_string(&r);
	struct image *found = NULL;
	for (size_t i = 0; i < idx->n && !found; i++)
		if (image__strv_has(r.digest ? idx->v[i]->repo_digests : idx->v[i]->repo_tags, s))
			found = idx->v[i];
	free(s);
	image__ref_release(&r);
	return found;
}

struct image *image__index_find(const struct image__index *idx, const char *ref)
{
	if (!idx || !ref || !*ref)
		return NULL;
	const char *hex = starts_with(ref, "sha256:") ? ref + 7 : ref;
	int idlike = image__is_id_prefix(ref);
	if (idlike && strlen(hex) == 64) {
		for (size_t i = 0; i < idx->n; i++)
			if (strcmp(idx->v[i]->id + 7, hex) == 0)
				return idx->v[i];
	}
	struct image *img = index__find_ref(idx, ref);
	if (img || !idlike)
		return img;
	size_t n = strlen(hex);
	for (size_t i = 0; i < idx->n; i++) {
		if (strncmp(idx->v[i]->id + 7, hex, n) != 0)
			continue;
		if (img)
			return NULL; /* ambiguous */
		img = idx->v[i];
	}
	return img;
}

static int index__write_blob(const struct image__paths *p, const char *data, size_t len, char *digest_out)
{
	char d[IMAGE_DIGEST_MAX];
	image__sha256(data, len, d);
	if (digest_out)
		memcpy(digest_out, d, IMAGE_DIGEST_MAX);
	char *path = xasprintf("%s/%s", p->blobs, d + 7);
	struct stat st;
	int ret = stat(path, &st) == 0 ? 0 : write_file_atomic(path, data, len, 0600);
	free(path);
	return ret;
}

/* Moves name from every other image of idx to img (tags and digests name one image). */
static void index__claim(struct image__index *idx, struct image *img, const char *name, int digest)
{
	for (size_t i = 0; i < idx->n; i++)
		if (idx->v[i] != img)
			image__strv_del(digest ? idx->v[i]->repo_digests : idx->v[i]->repo_tags, name);
	char ***v = digest ? &img->repo_digests : &img->repo_tags;
	if (!image__strv_has(*v, name))
		image__strv_add(v, name);
}

/* Writes the blobs of rec and returns the image for its config (new or merged into idx). */
static struct image *index__merge(const struct image__paths *p, struct image__index *idx,
				  const struct image__record *rec, struct buf *err)
{
	char id[IMAGE_DIGEST_MAX], md[IMAGE_DIGEST_MAX], xd[IMAGE_DIGEST_MAX];
	if (index__write_blob(p, rec->config, rec->config_len, id) ||
	    (rec->manifest && index__write_blob(p, rec->manifest, rec->manifest_len, md)) ||
	    (rec->index_blob && index__write_blob(p, rec->index_blob, rec->index_len, xd))) {
		buf_addf(err, "writing blobs under %s: %s", p->blobs, strerror(errno));
		return NULL;
	}
	struct image *img = image__index_find(idx, id);
	if (!img) {
		img = image__new_from_config(p, rec->config, rec->config_len, err);
		if (!img)
			return NULL;
		img->size = rec->size;
		idx->v = xrealloc(idx->v, (idx->n + 1) * sizeof(*idx->v));
		idx->v[idx->n++] = img;
	}
	if (!image__strv_has(img->blobs, id))
		image__strv_add(&img->blobs, id);
	if (rec->manifest && !image__strv_has(img->blobs, md))
		image__strv_add(&img->blobs, md);
	if (rec->index_blob && !image__strv_has(img->blobs, xd))
		image__strv_add(&img->blobs, xd);
	return img;
}

static int index__layers_present(const struct image__paths *p, const struct image *img, struct buf *err)
{
	for (size_t i = 0; i < img->nlayers; i++) {
		struct stat st;
		if (stat(img->layers[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			buf_addf(err, "layer %s is missing", img->layers[i]);
			return -IMAGE_EINVALID;
		}
	}
	(void)p;
	return 0;
}

int image__commit(const struct image__paths *p, const struct image__record *rec, struct image **out,
		  struct buf *err)
{
	struct image__index *idx = NULL;
	int lk = image__lock(p);
	if (lk < 0) {
		buf_addf(err, "image store lock: %s", strerror(-lk));
		return lk;
	}
	int ret = image__index_load(p, &idx, err);
	if (ret)
		goto out;
	struct image *img = index__merge(p, idx, rec, err);
	if (!img) {
		ret = -IMAGE_EINVALID;
		goto out;
	}
	ret = index__layers_present(p, img, err);
	if (ret)
		goto out;
	if (rec->name && rec->tag) {
		char *s = xasprintf("%s:%s", rec->name, rec->tag);
		index__claim(idx, img, s, 0);
		free(s);
	}
	if (rec->name && rec->repo_digest_of) {
		char *s = xasprintf("%s@%s", rec->name, rec->repo_digest_of);
		index__claim(idx, img, s, 1);
		free(s);
	}
	ret = image__index_save(p, idx, err);
	if (!ret && out)
		*out = image_ref(img);
out:
	image__index_free(idx);
	image__unlock(lk);
	return ret;
}

int image__remove(const struct image__paths *p, const char *ref, char **removed_id, struct buf *err)
{
	struct image__index *idx = NULL;
	int lk = image__lock(p);
	if (lk < 0) {
		buf_addf(err, "image store lock: %s", strerror(-lk));
		return lk;
	}
	int ret = image__index_load(p, &idx, err);
	if (ret)
		goto out;
	struct image *img = image__index_find(idx, ref);
	if (!img) {
		buf_addf(err, "no such image \"%s\"", ref);
		ret = -IMAGE_ENOTFOUND;
		goto out;
	}
	if (removed_id)
		*removed_id = xstrdup(img->id);
	size_t i = 0;
	while (idx->v[i] != img)
		i++;
	memmove(&idx->v[i], &idx->v[i + 1], (idx->n - i - 1) * sizeof(*idx->v));
	idx->n--;
	image__free(img);
	ret = image__index_save(p, idx, err);
	if (!ret)
		image__gc(p, idx);
out:
	image__index_free(idx);
	image__unlock(lk);
	return ret;
}

/* Adds the diff ids listed one per line (or as a JSON array) in path to keep. */
static void gc__read_list(const char *path, struct hmap *keep)
{
	char *data = NULL;
	size_t len = 0;
	if (read_file(path, &data, &len) != 0)
		return;
	for (char *line = data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		if (image__digest_valid(line))
			hmap_put(keep, line + 7, (void *)1);
	}
	free(data);
}

/* Removes staging dirs nobody holds; adds what live ones protect to keep. */
static void gc__ops(const struct image__paths *p, struct hmap *keep)
{
	DIR *d = opendir(p->tmp);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *dir = xasprintf("%s/%s", p->tmp, e->d_name);
		char *lock = xasprintf("%s/lock", dir);
		int fd = open(lock, O_RDWR | O_CLOEXEC);
		int live = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK;
		if (fd >= 0)
			close(fd);
		if (live) {
			char *prot = xasprintf("%s/protect", dir);
			gc__read_list(prot, keep);
			free(prot);
		} else {
			log_debug("images: removing the stale staging directory %s", dir);
			image__rmtree(dir);
		}
		free(lock);
		free(dir);
	}
	if (d)
		closedir(d);
}

static void gc__leases(const struct image__paths *p, struct hmap *keep)
{
	DIR *d = opendir(p->leases);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *path = xasprintf("%s/%s", p->leases, e->d_name);
		gc__read_list(path, keep);
		free(path);
	}
	if (d)
		closedir(d);
}

/* Removes the entries of dir that are not in keep (a layer is renamed away first). */
static void gc__sweep(const struct image__paths *p, const char *dir, struct hmap *keep, int layers)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || hmap_get(keep, e->d_name))
			continue;
		char *path = xasprintf("%s/%s", dir, e->d_name);
		if (layers) {
			char *away = xasprintf("%s/del-%s", p->tmp, e->d_name);
			log_info("images: deleting the unused layer sha256:%s", e->d_name);
			if (rename(path, away) == 0)
				image__rmtree(away);
			free(away);
		} else {
			unlink(path);
		}
		free(path);
	}
	if (d)
		closedir(d);
}

void image__gc(const struct image__paths *p, const struct image__index *idx)
{
	struct hmap layers = HMAP_INIT, blobs = HMAP_INIT;
	for (size_t i = 0; i < idx->n; i++) {
		const struct image *img = idx->v[i];
		for (size_t j = 0; j < img->nlayers; j++) {
			const char *slash = strrchr(img->layers[j], '/');
			hmap_put(&layers, slash ? slash + 1 : img->layers[j], (void *)1);
		}
		for (size_t j = 0; img->blobs && img->blobs[j]; j++)
			if (starts_with(img->blobs[j], "sha256:"))
				hmap_put(&blobs, img->blobs[j] + 7, (void *)1);
	}
	gc__ops(p, &layers);
	gc__leases(p, &layers);
	gc__sweep(p, p->layers, &layers, 1);
	gc__sweep(p, p->blobs, &blobs, 0);
	hmap_release(&layers);
	hmap_release(&blobs);
}

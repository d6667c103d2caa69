/*
 * image_airgap.c - importing the air-gap archives DATA/agent/images/<name>.tar (and
 * compressed variants) when the agent starts, as k3s does with its images directory.
 *
 * A small cache (DATA/agent/images/import-cache.json: file name -> size and modification time)
 * skips archives imported before and unchanged since, so that a large archive does not cost
 * a full read at every start. An archive that fails is logged and retried at the next start.
 */
#include "cri/internal.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

static const char *const airgap_suffixes[] = { ".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.zstd",
					       ".tar.xz", ".tar.bz2", ".tar.lz4" };

static int airgap__is_archive(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(airgap_suffixes); i++)
		if (ends_with(name, airgap_suffixes[i]) && strlen(name) > strlen(airgap_suffixes[i]))
			return 1;
	return 0;
}

static int airgap__cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The archive names in the store directory, sorted (NULL-terminated, malloc'd). */
static char **airgap__list(const char *root)
{
	char **v = xcalloc(1, sizeof(*v));
	DIR *d = opendir(root);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] != '.' && airgap__is_archive(e->d_name))
			image__strv_add(&v, e->d_name);
	if (d)
		closedir(d);
	qsort(v, image__strv_len(v), sizeof(*v), airgap__cmp);
	return v;
}

static char *airgap__stamp(const struct stat *st)
{
	return xasprintf("%lld:%lld.%09ld", (long long)st->st_size, (long long)st->st_mtim.tv_sec,
			 st->st_mtim.tv_nsec);
}

static void airgap__log(const char *file, struct image **imgs)
{
	for (size_t i = 0; imgs && imgs[i]; i++) {
		const struct image *img = imgs[i];
		log_info("images: imported %s (%s) from %s",
			 img->repo_tags[0] ? img->repo_tags[0] : "an unnamed image", img->id, file);
	}
}

static void airgap__run(struct image__job *j)
{
	const struct image__paths *p = &j->s->paths;
	char *cache_path = xasprintf("%s/import-cache.json", p->root);
	char *data = NULL;
	size_t len = 0;
	cJSON *cache = read_file(cache_path, &data, &len) == 0 ? json_parse(data, len, NULL) : NULL;
	free(data);
	if (!cJSON_IsObject(cache)) {
		cJSON_Delete(cache);
		cache = cJSON_CreateObject();
	}
	char **names = airgap__list(p->root);
	for (size_t i = 0; names[i]; i++) {
		char *path = xasprintf("%s/%s", p->root, names[i]);
		struct stat st;
		char *stamp = stat(path, &st) == 0 ? airgap__stamp(&st) : NULL;
		const char *old = json_str(cache, names[i]);
		if (stamp && old && strcmp(old, stamp) == 0) {
			log_debug("images: %s was imported before and has not changed", path);
		} else if (stamp) {
			struct image **imgs = NULL;
			struct buf e2 = BUF_INIT;
			int r = image__import(p, path, j->s->arch, j->s->variant, &imgs, &e2);
			if (r) {
				log_error("images: %s", buf_str(&e2));
				if (!j->err) {
					j->err = r;
					buf_adds(&j->msg, buf_str(&e2));
				}
			} else {
				airgap__log(path, imgs);
				json_set_str(cache, names[i], stamp);
			}
			for (size_t k = 0; imgs && imgs[k]; k++)
				image_unref(imgs[k]);
			free(imgs);
			buf_release(&e2);
		}
		free(stamp);
		free(path);
	}
	char *text = cJSON_Print(cache);
	write_file_atomic(cache_path, text, strlen(text), 0600);
	free(text);
	cJSON_Delete(cache);
	image__strv_free(names);
	free(cache_path);
	struct buf e3 = BUF_INIT;
	if (image__index_load(p, &j->idx, &e3) != 0)
		log_warn("images: %s", buf_str(&e3));
	buf_release(&e3);
}

static void airgap__done(struct image__job *j)
{
	if (j->cb)
		j->cb(j->arg, j->err, buf_str(&j->msg), NULL);
}

int image_store_import_dir(struct image_store *s, image_done_cb *cb, void *arg)
{
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = airgap__run;
	j->done = airgap__done;
	j->cb = cb;
	j->arg = arg;
	image__queue(s, j);
	return 0;
}

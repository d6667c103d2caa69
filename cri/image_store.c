/*
 * image_store.c - the image store on the loop: opening and closing it, the in-memory index
 * that lookups read, worker jobs for everything that touches the disk (removal, imports,
 * garbage collection), and following changes that other processes make to index.json.
 *
 * DESIGN
 * The loop thread owns an immutable snapshot of the index (struct image__index); lookups and
 * listings read it without blocking. Whatever changes the store runs as a job on libuv's
 * thread pool (image__queue) using the synchronous functions of image_index.c and
 * image_import.c, which take the store lock, re-read index.json from disk, change it and write
 * it back; the job then loads the result and the loop installs it as the new snapshot. Changes
 * by other processes (`kube images import` while the agent runs) are seen through an inotify
 * watch (uv_fs_event) on the store directory: a rename onto index.json queues a reload.
 */
#include "cri/internal.h"

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

static void store__maybe_closed(struct image_store *s);

static void store__after_work(uv_work_t *w, int status)
{
	struct image__job *j = container_of(w, struct image__job, work);
	struct image_store *s = j->s;
	if (status == UV_ECANCELED && !j->err) {
		j->err = -ECANCELED;
		buf_adds(&j->msg, "the image store is closing");
	}
	if (j->idx && !s->closing) {
		image__store_set_index(s, j->idx);
		j->idx = NULL;
	}
	if (j->done)
		j->done(j);
	image__index_free(j->idx);
	for (size_t i = 0; j->imgs && j->imgs[i]; i++)
		image_unref(j->imgs[i]);
	free(j->imgs);
	free(j->path);
	buf_release(&j->msg);
	free(j);
	s->pending--;
	store__maybe_closed(s);
}

static void store__work(uv_work_t *w)
{
	struct image__job *j = container_of(w, struct image__job, work);
	j->run(j);
}

void image__queue(struct image_store *s, struct image__job *j)
{
	j->s = s;
	s->pending++;
	int r = uv_queue_work(s->loop, &j->work, store__work, store__after_work);
	assert(r == 0);
	(void)r;
}

void image__store_set_index(struct image_store *s, struct image__index *idx)
{
	image__index_free(s->idx);
	s->idx = idx;
}

/* Jobs that end by calling the user's callback with the first image. */
static void store__done_cb(struct image__job *j)
{
	if (j->cb)
		j->cb(j->arg, j->err, buf_str(&j->msg), j->imgs ? j->imgs[0] : NULL);
}

/* Loads the index after a change (on the worker). */
static void store__reload_into(struct image__job *j)
{
	struct buf e2 = BUF_INIT;
	if (image__index_load(&j->s->paths, &j->idx, &e2) != 0)
		log_warn("images: %s", buf_str(&e2));
	buf_release(&e2);
}

static void store__reload_run(struct image__job *j)
{
	store__reload_into(j);
}

static void store__reload(struct image_store *s);

static void store__reload_done(struct image__job *j)
{
	struct image_store *s = j->s;
	s->reloading = 0;
	if (s->reload_again && !s->closing) {
		s->reload_again = 0;
		store__reload(s);
	}
}

static void store__reload(struct image_store *s)
{
	if (s->reloading) {
		s->reload_again = 1;
		return;
	}
	s->reloading = 1;
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = store__reload_run;
	j->done = store__reload_done;
	image__queue(s, j);
}

static void store__on_change(uv_fs_event_t *h, const char *filename, int events, int status)
{
	(void)events;
	struct image_store *s = h->data;
	if (status == 0 && filename && strcmp(filename, "index.json") == 0 && !s->closing)
		store__reload(s);
}

static void store__gc_run(struct image__job *j)
{
	int lk = image__lock(&j->s->paths);
	if (lk < 0)
		return;
	struct image__index *idx = NULL;
	struct buf e2 = BUF_INIT;
	if (image__index_load(&j->s->paths, &idx, &e2) == 0)
		image__gc(&j->s->paths, idx);
	image__index_free(idx);
	buf_release(&e2);
	image__unlock(lk);
}

int image_store_open(uv_loop_t *loop, const struct image_store_config *cfg, struct image_store **out,
		     struct buf *err)
{
	struct image_store *s = xcalloc(1, sizeof(*s));
	s->loop = loop;
	int ret = image__paths_init(&s->paths, cfg->data_dir, err);
	if (ret) {
		free(s);
		return ret;
	}
	ret = image__registries_load(cfg->registries_config, &s->reg, err);
	if (!ret)
		ret = image__index_load(&s->paths, &s->idx, err);
	if (ret) {
		image__registries_release(&s->reg);
		image__paths_release(&s->paths);
		free(s);
		return ret;
	}
	s->ca_bundle = xstrdup(cfg->ca_bundle ? cfg->ca_bundle : "/etc/ssl/certs/ca-certificates.crt");
	s->arch = xstrdup(cfg->arch && *cfg->arch ? cfg->arch : image_host_arch());
	s->variant = xstrdup(cfg->variant ? cfg->variant : image_host_variant());
	s->max_downloads = cfg->max_concurrent_downloads > 0 ? cfg->max_concurrent_downloads : 3;
	image__pulls_init(s);
	uv_fs_event_init(loop, &s->watch);
	s->watch.data = s;
	if (uv_fs_event_start(&s->watch, store__on_change, s->paths.root, 0) == 0)
		s->watching = 1;
	else
		log_warn("images: cannot watch %s: changes by other processes are seen at restart", s->paths.root);
	/* Debris of a crash (staging directories nobody holds) goes now. */
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = store__gc_run;
	image__queue(s, j);
	*out = s;
	return 0;
}

static void store__free(struct image_store *s)
{
	void (*cb)(void *) = s->close_cb;
	void *arg = s->close_arg;
	image__index_free(s->idx);
	image__registries_release(&s->reg);
	image__paths_release(&s->paths);
	hmap_release(&s->pulls);
	hmap_release(&s->clients);
	free(s->ca_bundle);
	free(s->ca_pem);
	free(s->arch);
	free(s->variant);
	free(s);
	if (cb)
		cb(arg);
}

static void store__maybe_closed(struct image_store *s)
{
	if (s->closing && s->pending == 0)
		store__free(s);
}

void image__store_unpend(struct image_store *s)
{
	s->pending--;
	store__maybe_closed(s);
}

static void store__watch_closed(uv_handle_t *h)
{
	struct image_store *s = h->data;
	s->pending--;
	store__maybe_closed(s);
}

void image_store_close(struct image_store *s, void (*cb)(void *arg), void *arg)
{
	if (s->closing)
		return;
	s->closing = 1;
	s->close_cb = cb;
	s->close_arg = arg;
	s->pending++; /* held until the end of this function */
	image__pulls_close(s);
	s->pending++;
	uv_close((uv_handle_t *)&s->watch, store__watch_closed);
	s->pending--;
	store__maybe_closed(s);
}

struct image *image_store_lookup(struct image_store *s, const char *ref)
{
	return image_ref(image__index_find(s->idx, ref));
}

size_t image_store_list(struct image_store *s, struct image ***out)
{
	size_t n = s->idx ? s->idx->n : 0;
	*out = xcalloc(n + 1, sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = image_ref(s->idx->v[i]);
	return n;
}

static void store__remove_run(struct image__job *j)
{
	char *id = NULL;
	j->err = image__remove(&j->s->paths, j->path, &id, &j->msg);
	free(id);
	if (!j->err)
		store__reload_into(j);
}

int image_store_remove(struct image_store *s, const char *ref, image_done_cb *cb, void *arg)
{
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = store__remove_run;
	j->done = store__done_cb;
	j->cb = cb;
	j->arg = arg;
	j->path = xstrdup(ref);
	image__queue(s, j);
	return 0;
}

static void store__import_run(struct image__job *j)
{
	struct image **imgs = NULL;
	j->err = image__import(&j->s->paths, j->path, j->s->arch, j->s->variant, &imgs, &j->msg);
	/* The callback gets the last image: reverse so that it is first. */
	size_t n = image__strv_len((char **)imgs);
	for (size_t i = 0; i < n / 2; i++) {
		struct image *t = imgs[i];
		imgs[i] = imgs[n - 1 - i];
		imgs[n - 1 - i] = t;
	}
	j->imgs = imgs;
	if (!j->err)
		store__reload_into(j);
}

int image_store_import(struct image_store *s, const char *path, image_done_cb *cb, void *arg)
{
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = store__import_run;
	j->done = store__done_cb;
	j->cb = cb;
	j->arg = arg;
	j->path = xstrdup(path);
	image__queue(s, j);
	return 0;
}

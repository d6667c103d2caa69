/*
 * registry_pull.c - image_store_pull: a pull from an OCI/Docker registry (distribution API v2)
 * into the store, on the loop.
 *
 * DESIGN
 * A pull (struct image__pull) runs in phases:
 *   begin    (job)  staging directory (image__op_begin), the CA bundle read once;
 *   resolve  (HTTP) GET /v2/<repo>/manifests/<tag|digest> on each endpoint in turn (mirrors
 *                   first, then the registry: any failure moves to the next, the last error is
 *                   reported); an index is narrowed to this node's platform and its manifest
 *                   fetched by digest; every document fetched by digest is checked against it;
 *   config   (HTTP) the config blob (checked), whose diff ids name the layer directories;
 *   plan     (job)  under the store lock: which layers are missing; all of them are protected
 *                   from garbage collection for the pull's lifetime;
 *   layers   (HTTP + jobs) up to max_downloads blobs at once, streamed to files in the staging
 *                   directory (uv_fs_write, one write in flight per blob, the sha256 computed as
 *                   bytes arrive), checked (digest and size), then unpacked on the thread pool
 *                   (diff id checked) and renamed into layers/;
 *   commit   (job)  the image record (image__commit) and a fresh index snapshot.
 * A failure (or the store's close) cancels what is in flight; when nothing is left the staging
 * directory goes (job) and every waiter gets the error. Pulls of the same reference with the
 * same credentials join: the key is the normalised reference and a hash of the secrets.
 * Error messages follow containerd's wording where it has one.
 */
#include "cri/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/http_client.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"

#define PULL_ACCEPT                                                                                    \
	"application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, " \
	"application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
#define PULL_DOC_MAX (4u << 20)  /* largest manifest, index or config */
#define PULL_META_TIMEOUT_MS 60000
#define PULL_BLOB_TIMEOUT_MS (30 * 60000) /* a stalled download ends some time */

struct pull__waiter {
	image_done_cb *cb;
	void *arg;
	struct pull__waiter *next;
};

struct pull__layer {
	struct image__pull *p;
	struct image__layer_desc *d;
	char diff_id[IMAGE_DIGEST_MAX];
	int needed;
	int fd;
	char *path;               /* the blob's file in the staging directory */
	struct image__hash h;
	uint64_t got;
	struct buf pend;          /* bytes not yet handed to a write */
	char *wbuf;               /* the write in flight */
	uv_fs_t wreq;
	int writing, body_done;
	struct image__regreq *req;
};

struct image__pull {
	struct image_store *s;
	struct image__pull *next, *prev;
	char *key;
	struct image__ref ref;
	char *name, *ref_str;
	struct image__cred *creds;     /* from the pull secrets */
	size_t ncreds;
	struct image__cred *epcreds;   /* creds plus the endpoint's registries.yaml ones (shallow) */
	struct image__endpoint *eps;
	size_t neps, epi;
	struct image__auth auth;
	struct pull__waiter *waiters;
	struct image__op op;
	char *index_blob, *manifest, *config;
	size_t index_len, manifest_len, config_len;
	char repo_digest[IMAGE_DIGEST_MAX];
	struct image__layer_desc *descs;
	size_t nlayers;
	struct pull__layer *layers;
	size_t next_layer, layers_done;
	int active;                    /* downloads in flight */
	int inflight;                  /* requests, writes and jobs not finished */
	struct image__regreq *req;     /* the manifest or config request */
	char expect[IMAGE_DIGEST_MAX]; /* the digest the document in flight must have, or "" */
	int err, ending;
	struct buf msg;
	struct image *img;
};

static void pull__resolve(struct image__pull *p, const char *what);
static void pull__next_layers(struct image__pull *p);

/* -- the end -- */

static void pull__free(struct image__pull *p)
{
	for (size_t i = 0; i < p->ncreds; i++)
		image__cred_release(&p->creds[i]);
	free(p->creds);
	free(p->epcreds);
	image__endpoints_free(p->eps, p->neps);
	free(p->auth.authz);
	image__ref_release(&p->ref);
	for (size_t i = 0; p->layers && i < p->nlayers; i++) {
		free(p->layers[i].path);
		buf_release(&p->layers[i].pend);
	}
	free(p->layers);
	image__layer_descs_free(p->descs, p->nlayers);
	free(p->index_blob);
	free(p->manifest);
	free(p->config);
	free(p->name);
	free(p->ref_str);
	free(p->key);
	buf_release(&p->msg);
	free(p);
}

static void pull__unlist(struct image__pull *p)
{
	struct image_store *s = p->s;
	if (hmap_get(&s->pulls, p->key) == p)
		hmap_del(&s->pulls, p->key);
	if (p->prev)
		p->prev->next = p->next;
	else if (s->pull_list == p)
		s->pull_list = p->next;
	if (p->next)
		p->next->prev = p->prev;
	p->next = p->prev = NULL;
}

/* The last job: the staging directory goes (on the worker), then the waiters hear. */
static void pull__end_run(struct image__job *j)
{
	struct image__pull *p = j->data;
	for (size_t i = 0; p->layers && i < p->nlayers; i++)
		if (p->layers[i].fd >= 0) {
			close(p->layers[i].fd);
			p->layers[i].fd = -1;
		}
	image__op_end(&p->op);
}

static void pull__end_done(struct image__job *j)
{
	struct image__pull *p = j->data;
	pull__unlist(p);
	const char *msg = p->err ? buf_str(&p->msg) : "";
	if (p->err)
		log_info("images: pull of %s failed: %s", p->ref_str, msg);
	else
		log_info("images: pulled %s (%s)", p->ref_str, p->img ? p->img->id : "");
	while (p->waiters) {
		struct pull__waiter *w = p->waiters;
		p->waiters = w->next;
		w->cb(w->arg, p->err, msg, p->err ? NULL : p->img);
		free(w);
	}
	if (p->img)
		image_unref(p->img);
	pull__free(p);
}

static void pull__maybe_end(struct image__pull *p)
{
	if (p->ending || p->inflight > 0 || (!p->err && !p->img))
		return;
	p->ending = 1;
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = pull__end_run;
	j->done = pull__end_done;
	j->data = p;
	image__queue(p->s, j);
}

static void pull__cancel_all(struct image__pull *p)
{
	if (p->req)
		image__regreq_cancel(p->req);
	for (size_t i = 0; p->layers && i < p->nlayers; i++)
		if (p->layers[i].req)
			image__regreq_cancel(p->layers[i].req);
}

/* Fails the pull (the first error wins) and cancels what is in flight. */
static void pull__fail(struct image__pull *p, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void pull__fail(struct image__pull *p, int err, const char *fmt, ...)
{
	if (!p->err && !p->ending) {
		p->err = err;
		buf_reset(&p->msg);
		va_list ap;
		va_start(ap, fmt);
		buf_vaddf(&p->msg, fmt, ap);
		va_end(ap);
		pull__cancel_all(p);
	}
	pull__maybe_end(p);
}

/* -- jobs -- */

static struct image__job *pull__job(struct image__pull *p, void (*run)(struct image__job *),
				    void (*done)(struct image__job *))
{
	struct image__job *j = xcalloc(1, sizeof(*j));
	j->run = run;
	j->done = done;
	j->data = p;
	p->inflight++;
	return j;
}

/* A job's end: its error fails the pull; returns nonzero when the pull goes on. */
static int pull__job_end(struct image__job *j)
{
	struct image__pull *p = j->data;
	p->inflight--;
	if (j->err && !p->err)
		pull__fail(p, j->err, "%s", buf_str(&j->msg));
	pull__maybe_end(p);
	return !p->err;
}

static void pull__begin_run(struct image__job *j)
{
	struct image__pull *p = j->data;
	j->err = image__op_begin(&p->s->paths, &p->op, &j->msg);
	if (!j->err && !p->s->ca_pem) {
		size_t len;
		if (read_file(p->s->ca_bundle, (char **)&j->path, &len) != 0)
			j->path = NULL;
	}
}

static void pull__begin_done(struct image__job *j)
{
	struct image__pull *p = j->data;
	if (j->path && !p->s->ca_pem) {
		p->s->ca_pem = j->path;
		j->path = NULL;
	}
	if (pull__job_end(j))
		pull__resolve(p, NULL);
}

/* -- resolve: manifests and config -- */

/* Points the auth state at endpoint epi: the pull secrets' credentials, then registries.yaml's. */
static void pull__use_endpoint(struct image__pull *p)
{
	const struct image__endpoint *ep = &p->eps[p->epi];
	free(p->epcreds);
	p->epcreds = xcalloc(p->ncreds + 1, sizeof(*p->epcreds));
	size_t n = 0;
	for (size_t i = 0; i < p->ncreds; i++)
		p->epcreds[n++] = p->creds[i];
	if (ep->config && ep->config->has_cred)
		p->epcreds[n++] = ep->config->cred;
	free(p->auth.authz);
	p->auth = (struct image__auth){ .s = p->s, .ep = ep, .creds = p->epcreds, .ncreds = n };
}

/* Sends GET <endpoint>/<repo>/<kind>/<what>; *out gets the request. */
static int pull__get(struct image__pull *p, const char *kind, const char *what, const char *accept,
		     image__regreq_done_cb *done, image__regreq_data_cb *data, void *user,
		     struct image__regreq **out)
{
	const struct image__endpoint *ep = p->auth.ep;
	struct image__regreq *r = xcalloc(1, sizeof(*r));
	r->auth = &p->auth;
	r->url = xasprintf("%s://%s%s/%s/%s/%s", ep->tls ? "https" : "http", ep->hostport, ep->prefix, ep->repo,
			   kind, what);
	r->accept = accept;
	r->on_done = done;
	r->on_data = data;
	r->user = user;
	r->timeout_ms = out == &p->req ? PULL_META_TIMEOUT_MS : PULL_BLOB_TIMEOUT_MS;
	struct buf err = BUF_INIT;
	int ret = image__regreq_send(r, &err);
	if (ret) {
		pull__fail(p, -IMAGE_ENETWORK, "%s", buf_str(&err));
		image__regreq_free(r);
	} else {
		*out = r;
		p->inflight++;
	}
	buf_release(&err);
	return ret;
}

/* Classifies a response that is not 200 (or a transport error): 0 for a 200. */
static int pull__status(struct image__pull *p, int err, const struct http_client_response *resp,
			const char *what, struct buf *msg)
{
	const struct image__endpoint *ep = p->auth.ep;
	if (err == -IMAGE_EUNAUTHORIZED || err == -IMAGE_ENETWORK) {
		buf_addf(msg, "%s", resp->error);
		return err;
	}
	if (err) {
		buf_addf(msg, "failed to do request: GET %s://%s: %s", ep->tls ? "https" : "http", ep->hostport,
			 resp->error && *resp->error ? resp->error : strerror(-err));
		return -IMAGE_ENETWORK;
	}
	if (resp->status == 200)
		return 0;
	if (resp->status == 404) {
		buf_addf(msg, "%s: not found", what);
		return -IMAGE_ENOTFOUND;
	}
	if (resp->status == 401 || resp->status == 403) {
		buf_addf(msg, "pulling from host %s failed with status code %d %s", ep->hostport, resp->status,
			 resp->status == 401 ? "Unauthorized" : "Forbidden");
		return -IMAGE_EUNAUTHORIZED;
	}
	buf_addf(msg, "unexpected status from GET request to %s: %d", ep->hostport, resp->status);
	return -IMAGE_ENETWORK;
}

/* Checks a document's size and digest; returns its JSON or NULL (the pull failed). */
static cJSON *pull__doc(struct image__pull *p, const struct http_client_response *resp, char digest[IMAGE_DIGEST_MAX])
{
	if (resp->body_len > PULL_DOC_MAX) {
		pull__fail(p, -IMAGE_EINVALID, "%s: document of %zu bytes is too large", p->ref_str, resp->body_len);
		return NULL;
	}
	image__sha256(resp->body, resp->body_len, digest);
	if (p->expect[0] && strcmp(digest, p->expect) != 0) {
		pull__fail(p, -IMAGE_EDIGEST, "unexpected commit digest %s, expected %s: failed precondition", digest,
			   p->expect);
		return NULL;
	}
	struct buf e2 = BUF_INIT;
	cJSON *doc = json_parse(resp->body, resp->body_len, &e2);
	if (!doc || !cJSON_IsObject(doc))
		pull__fail(p, -IMAGE_EINVALID, "%s: malformed document %s: %s", p->ref_str, digest, buf_str(&e2));
	buf_release(&e2);
	if (doc && !cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	return doc;
}

static void pull__config(struct image__pull *p, const cJSON *manifest);

/* A manifest or index arrived: an index is narrowed to our platform, a manifest leads to the
 * config. */
static void pull__got_doc(struct image__pull *p, const struct http_client_response *resp)
{
	char digest[IMAGE_DIGEST_MAX];
	cJSON *doc = pull__doc(p, resp, digest);
	if (!doc)
		return;
	enum image__media kind = image__media_kind(http_client_header(resp, "Content-Type"), doc);
	const char *pick = NULL;
	struct buf e2 = BUF_INIT;
	int ret;
	if (kind == IMAGE_MEDIA_INDEX && !p->index_blob && !p->manifest) {
		p->index_blob = xstrndup(resp->body, resp->body_len);
		p->index_len = resp->body_len;
		memcpy(p->repo_digest, digest, sizeof(digest));
		ret = image__index_pick(doc, p->s->arch, p->s->variant, &pick, &e2);
		if (ret)
			pull__fail(p, ret, "%s", buf_str(&e2));
		else
			pull__resolve(p, pick);
	} else if (kind == IMAGE_MEDIA_MANIFEST) {
		p->manifest = xstrndup(resp->body, resp->body_len);
		p->manifest_len = resp->body_len;
		if (!p->index_blob)
			memcpy(p->repo_digest, digest, sizeof(digest));
		pull__config(p, doc);
	} else if (kind == IMAGE_MEDIA_SCHEMA1) {
		pull__fail(p, -IMAGE_EINVALID, "%s: Docker schema 1 manifests are not supported", p->ref_str);
	} else {
		pull__fail(p, -IMAGE_EINVALID, "%s: unsupported manifest media type \"%s\"", p->ref_str,
			   http_client_header(resp, "Content-Type") ? http_client_header(resp, "Content-Type") : "");
	}
	cJSON_Delete(doc);
	buf_release(&e2);
}

static void pull__manifest_done(struct image__regreq *r, int err, const struct http_client_response *resp)
{
	struct image__pull *p = r->user;
	p->req = NULL;
	p->inflight--;
	struct buf msg = BUF_INIT;
	int ret = p->err ? 0 : pull__status(p, err, resp, p->ref_str, &msg);
	if (p->err) {
		pull__maybe_end(p);
	} else if (ret && !p->index_blob && p->epi + 1 < p->neps) {
		log_info("images: %s: %s; trying the next endpoint", p->ref_str, buf_str(&msg));
		p->epi++;
		pull__use_endpoint(p);
		pull__resolve(p, NULL);
	} else if (ret) {
		pull__fail(p, ret, "failed to resolve reference \"%s\": %s", p->ref_str, buf_str(&msg));
	} else {
		pull__got_doc(p, resp);
	}
	buf_release(&msg);
	image__regreq_free(r);
}

/* Fetches the manifest (digest NULL: by the reference's tag or digest) from the endpoint. */
static void pull__resolve(struct image__pull *p, const char *digest)
{
	const char *what = digest ? digest : p->ref.digest ? p->ref.digest : p->ref.tag;
	snprintf(p->expect, sizeof(p->expect), "%s", digest ? digest : p->ref.digest ? p->ref.digest : "");
	pull__get(p, "manifests", what, PULL_ACCEPT, pull__manifest_done, NULL, p, &p->req);
}

static void pull__plan(struct image__pull *p);

static void pull__config_done(struct image__regreq *r, int err, const struct http_client_response *resp)
{
	struct image__pull *p = r->user;
	p->req = NULL;
	p->inflight--;
	struct buf msg = BUF_INIT;
	int ret = p->err ? 0 : pull__status(p, err, resp, p->expect, &msg);
	char digest[IMAGE_DIGEST_MAX];
	cJSON *doc = NULL;
	char **diff_ids = NULL;
	if (p->err) {
		pull__maybe_end(p);
	} else if (ret) {
		pull__fail(p, ret, "failed to fetch the config of \"%s\": %s", p->ref_str, buf_str(&msg));
	} else if ((doc = pull__doc(p, resp, digest)) != NULL) {
		diff_ids = image__config_diff_ids(resp->body, resp->body_len, &msg);
		if (!diff_ids) {
			pull__fail(p, -IMAGE_EINVALID, "config %s: %s", digest, buf_str(&msg));
		} else if (image__strv_len(diff_ids) != p->nlayers) {
			pull__fail(p, -IMAGE_EINVALID, "config %s has %zu diff ids for %zu layers", digest,
				   image__strv_len(diff_ids), p->nlayers);
		} else {
			p->config = xstrndup(resp->body, resp->body_len);
			p->config_len = resp->body_len;
			p->layers = xcalloc(p->nlayers + 1, sizeof(*p->layers));
			for (size_t i = 0; i < p->nlayers; i++) {
				p->layers[i] = (struct pull__layer){ .p = p, .d = &p->descs[i], .fd = -1 };
				snprintf(p->layers[i].diff_id, IMAGE_DIGEST_MAX, "%s", diff_ids[i]);
			}
			pull__plan(p);
		}
	}
	image__strv_free(diff_ids);
	cJSON_Delete(doc);
	buf_release(&msg);
	image__regreq_free(r);
}

static void pull__config(struct image__pull *p, const cJSON *manifest)
{
	uint64_t size = 0;
	struct buf e2 = BUF_INIT;
	int ret = image__manifest_parse(manifest, p->expect, &size, &p->descs, &p->nlayers, &e2);
	if (ret)
		pull__fail(p, ret, "%s: %s", p->ref_str, buf_str(&e2));
	else if (size > PULL_DOC_MAX)
		pull__fail(p, -IMAGE_EINVALID, "%s: config of %llu bytes is too large", p->ref_str,
			   (unsigned long long)size);
	else
		pull__get(p, "blobs", p->expect, NULL, pull__config_done, NULL, p, &p->req);
	buf_release(&e2);
}

/* -- plan: what the store lacks -- */

static void pull__plan_run(struct image__job *j)
{
	struct image__pull *p = j->data;
	int lk = image__lock(&p->s->paths);
	if (lk < 0) {
		j->err = lk;
		buf_addf(&j->msg, "image store lock: %s", strerror(-lk));
		return;
	}
	const char **ids = xcalloc(p->nlayers + 1, sizeof(*ids));
	for (size_t i = 0; i < p->nlayers; i++) {
		struct pull__layer *l = &p->layers[i];
		char *dir = image__layer_dir(&p->s->paths, l->diff_id);
		struct stat st;
		l->needed = stat(dir, &st) != 0;
		free(dir);
		for (size_t k = 0; l->needed && k < i; k++)
			if (strcmp(p->layers[k].diff_id, l->diff_id) == 0)
				l->needed = 0; /* a layer repeated in the image comes once */
		ids[i] = l->diff_id;
	}
	j->err = image__op_protect(&p->op, ids, p->nlayers);
	if (j->err)
		buf_addf(&j->msg, "%s: %s", p->op.dir, strerror(-j->err));
	image__unlock(lk);
	free(ids);
	for (size_t i = 0; !j->err && i < p->nlayers; i++) {
		struct pull__layer *l = &p->layers[i];
		if (!l->needed)
			continue;
		l->path = xasprintf("%s/blob-%zu", p->op.dir, i);
		l->fd = open(l->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (l->fd < 0) {
			j->err = -errno;
			buf_addf(&j->msg, "%s: %s", l->path, strerror(errno));
		}
	}
}

static void pull__commit(struct image__pull *p);

static void pull__plan_done(struct image__job *j)
{
	struct image__pull *p = j->data;
	if (!pull__job_end(j))
		return;
	for (size_t i = 0; i < p->nlayers; i++)
		if (!p->layers[i].needed)
			p->layers_done++;
	pull__next_layers(p);
}

static void pull__plan(struct image__pull *p)
{
	image__queue(p->s, pull__job(p, pull__plan_run, pull__plan_done));
}

/* -- layers: download, check, unpack -- */

static void pull__layer_finish(struct pull__layer *l);

static void pull__wrote(uv_fs_t *req)
{
	struct pull__layer *l = req->data;
	struct image__pull *p = l->p;
	ssize_t got = req->result;
	uv_fs_req_cleanup(req);
	free(l->wbuf);
	l->wbuf = NULL;
	l->writing = 0;
	p->inflight--;
	if (!p->err && got < 0)
		pull__fail(p, (int)got, "writing %s: %s", l->path, uv_strerror((int)got));
	if (p->err) {
		pull__maybe_end(p);
		return;
	}
	pull__layer_finish(l); /* writes what is pending, or checks and unpacks */
}

/* Hands the pending bytes to a write when none is in flight. Returns 1 when a write runs. */
static int pull__write(struct pull__layer *l)
{
	if (l->writing)
		return 1;
	if (!l->pend.len)
		return 0;
	size_t len;
	l->wbuf = buf_detach(&l->pend, &len);
	uv_buf_t b = uv_buf_init(l->wbuf, (unsigned)len);
	l->wreq.data = l;
	/* One full write per request: libuv writes regular files in a loop until done or error. */
	int r = uv_fs_write(l->p->s->loop, &l->wreq, l->fd, &b, 1, -1, pull__wrote);
	if (r < 0) {
		free(l->wbuf);
		l->wbuf = NULL;
		pull__fail(l->p, r, "writing %s: %s", l->path, uv_strerror(r));
		return 0;
	}
	l->writing = 1;
	l->p->inflight++;
	return 1;
}

static void pull__layer_data(struct image__regreq *r, const char *data, size_t len)
{
	struct pull__layer *l = r->user;
	if (l->p->err)
		return;
	image__hash_update(&l->h, data, len);
	l->got += len;
	if (l->d->size && l->got > l->d->size) {
		pull__fail(l->p, -IMAGE_EDIGEST, "layer %s: more than its %llu bytes", l->d->digest,
			   (unsigned long long)l->d->size);
		return;
	}
	buf_add(&l->pend, data, len);
	if (l->pend.len >= (256u << 10))
		pull__write(l);
}

static void pull__layer_done(struct image__regreq *r, int err, const struct http_client_response *resp)
{
	struct pull__layer *l = r->user;
	struct image__pull *p = l->p;
	l->req = NULL;
	p->inflight--;
	p->active--;
	struct buf msg = BUF_INIT;
	if (!p->err) {
		int ret = pull__status(p, err, resp, l->d->digest, &msg);
		if (ret) {
			pull__fail(p, ret, "failed to copy %s: %s", l->d->digest, buf_str(&msg));
		} else {
			l->body_done = 1;
			pull__layer_finish(l);
			pull__next_layers(p);
		}
	}
	pull__maybe_end(p);
	buf_release(&msg);
	image__regreq_free(r);
}

static void pull__unpack_run(struct image__job *j)
{
	struct pull__layer *l = j->arg;
	struct image__pull *p = l->p;
	close(l->fd);
	l->fd = -1;
	char *stage = xasprintf("%s/layer-%s", p->op.dir, l->diff_id + 7);
	char *final = image__layer_dir(&p->s->paths, l->diff_id);
	struct image__unpack_result res;
	struct buf e2 = BUF_INIT;
	j->err = mkdir(stage, 0755) < 0 ? -errno : 0;
	if (j->err)
		buf_addf(&j->msg, "%s: %s", stage, strerror(-j->err));
	else if ((j->err = image__unpack_file(l->path, stage, 0, &res, &e2)) != 0)
		buf_addf(&j->msg, "failed to extract layer %s: %s", l->diff_id, buf_str(&e2));
	else if (strcmp(res.diff_id, l->diff_id) != 0)
		j->err = -IMAGE_EDIGEST, buf_addf(&j->msg, "failed to extract layer %s: diff id %s, expected %s",
						  l->d->digest, res.diff_id, l->diff_id);
	if (!j->err && rename(stage, final) < 0 && errno != EEXIST && errno != ENOTEMPTY) {
		j->err = -errno;
		buf_addf(&j->msg, "%s: %s", final, strerror(errno));
	}
	image__rmtree(stage);
	unlink(l->path);
	buf_release(&e2);
	free(stage);
	free(final);
}

static void pull__unpack_done(struct image__job *j)
{
	struct image__pull *p = j->data;
	if (!pull__job_end(j))
		return;
	p->layers_done++;
	pull__next_layers(p);
}

/* The download ended and its bytes are on disk: check them and unpack. */
static void pull__layer_finish(struct pull__layer *l)
{
	struct image__pull *p = l->p;
	if (p->err || pull__write(l))
		return; /* called again when the write is done */
	if (!l->body_done)
		return;
	char digest[IMAGE_DIGEST_MAX];
	image__hash_final(&l->h, digest);
	if (strcmp(digest, l->d->digest) != 0 || (l->d->size && l->got != l->d->size)) {
		pull__fail(p, -IMAGE_EDIGEST,
			   "failed commit on ref \"layer-%s\": unexpected commit digest %s (%llu bytes), expected %s "
			   "(%llu bytes): failed precondition",
			   l->d->digest, digest, (unsigned long long)l->got, l->d->digest,
			   (unsigned long long)l->d->size);
		return;
	}
	struct image__job *j = pull__job(p, pull__unpack_run, pull__unpack_done);
	j->arg = l;
	image__queue(p->s, j);
}

static void pull__next_layers(struct image__pull *p)
{
	if (p->err)
		return;
	if (p->layers_done == p->nlayers) {
		pull__commit(p);
		return;
	}
	while (p->active < p->s->max_downloads && p->next_layer < p->nlayers) {
		struct pull__layer *l = &p->layers[p->next_layer++];
		if (!l->needed)
			continue;
		image__hash_init(&l->h);
		p->active++;
		if (pull__get(p, "blobs", l->d->digest, NULL, pull__layer_done, pull__layer_data, l, &l->req) != 0) {
			p->active--;
			return;
		}
	}
}

/* -- commit -- */

static void pull__commit_run(struct image__job *j)
{
	struct image__pull *p = j->data;
	uint64_t size = p->manifest_len + p->config_len;
	for (size_t i = 0; i < p->nlayers; i++)
		size += p->descs[i].size;
	struct image__record rec = {
		.config = p->config, .config_len = p->config_len,
		.manifest = p->manifest, .manifest_len = p->manifest_len,
		.index_blob = p->index_blob, .index_len = p->index_len,
		.name = p->name, .tag = p->ref.tag, .repo_digest_of = p->repo_digest, .size = size,
	};
	j->err = image__commit(&p->s->paths, &rec, &p->img, &j->msg);
	struct buf e2 = BUF_INIT;
	if (!j->err && image__index_load(&p->s->paths, &j->idx, &e2) != 0)
		log_warn("images: %s", buf_str(&e2));
	buf_release(&e2);
}

static void pull__commit_done(struct image__job *j)
{
	pull__job_end(j);
}

static void pull__commit(struct image__pull *p)
{
	image__queue(p->s, pull__job(p, pull__commit_run, pull__commit_done));
}

/* -- the entry points -- */

/* The join key: the reference and a hash of the secrets. */
static char *pull__key(const char *ref, const struct image_pull_opts *opts)
{
	struct image__hash h;
	image__hash_init(&h);
	for (size_t i = 0; opts && i < opts->npull_secrets; i++)
		if (opts->pull_secrets[i])
			image__hash_update(&h, opts->pull_secrets[i], strlen(opts->pull_secrets[i]) + 1);
	char d[IMAGE_DIGEST_MAX];
	image__hash_final(&h, d);
	return xasprintf("%s %s", ref, d);
}

static struct image__pull *pull__new(struct image_store *s, struct image__ref *ref, char *key,
				     const struct image_pull_opts *opts, struct buf *err)
{
	struct image__pull *p = xcalloc(1, sizeof(*p));
	p->s = s;
	p->ref = *ref;
	p->key = key;
	p->name = image__ref_name(ref);
	p->ref_str = image__ref_string(ref);
	for (size_t i = 0; opts && i < opts->npull_secrets; i++)
		if (opts->pull_secrets[i] &&
		    image__creds_match(opts->pull_secrets[i], ref->domain, ref->path, &p->creds, &p->ncreds) != 0)
			log_warn("images: a pull secret for %s is not JSON: ignored", p->ref_str);
	if (image__endpoints(&s->reg, ref, &p->eps, &p->neps, err) != 0) {
		pull__free(p);
		return NULL;
	}
	pull__use_endpoint(p);
	return p;
}

int image_store_pull(struct image_store *s, const char *ref, const struct image_pull_opts *opts, image_done_cb *cb,
		     void *arg, struct buf *err)
{
	struct image__ref r;
	if (image__ref_parse(ref, &r, err) != 0)
		return -KUBE_EINVAL;
	if (s->closing) {
		image__ref_release(&r);
		buf_adds(err, "the image store is closing");
		return -ECANCELED;
	}
	char *str = image__ref_string(&r);
	char *key = pull__key(str, opts);
	free(str);
	struct image__pull *p = hmap_get(&s->pulls, key);
	if (p) {
		free(key);
		image__ref_release(&r);
	} else {
		p = pull__new(s, &r, key, opts, err);
		if (!p)
			return -KUBE_EINVAL;
		hmap_put(&s->pulls, key, p);
		p->next = s->pull_list;
		if (p->next)
			p->next->prev = p;
		s->pull_list = p;
		image__queue(s, pull__job(p, pull__begin_run, pull__begin_done));
	}
	struct pull__waiter *w = xcalloc(1, sizeof(*w)), **t = &p->waiters;
	*w = (struct pull__waiter){ cb, arg, NULL };
	while (*t)
		t = &(*t)->next;
	*t = w;
	return 0;
}

void image__pulls_init(struct image_store *s)
{
	s->pulls = (struct hmap)HMAP_INIT;
	s->clients = (struct hmap)HMAP_INIT;
	s->pull_list = NULL;
}

void image__pulls_close(struct image_store *s)
{
	for (struct image__pull *p = s->pull_list; p; p = p->next)
		pull__fail(p, -ECANCELED, "the image store is closing");
	image__clients_close(s);
}

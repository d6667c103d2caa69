/*
 * internal.h - cross-file internals of cri/ (not for other modules). Sectioned like cri.h:
 * each section belongs to one engineer.
 */
#ifndef KUBE_CRI_INTERNAL_H
#define KUBE_CRI_INTERNAL_H

#include "cri/cri.h"

/* ---- images ---- */
/*
 * Internals of the image store (cri/image_*.c, cri/registry_*.c). Functions named image__*
 * without a store pointer are synchronous and blocking: they run on worker threads, in
 * `kube images` commands and in unit tests, never on the loop thread.
 */
#include <cjson/cJSON.h>
#include <mbedtls/sha256.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

#include "lib/buf.h"
#include "lib/hmap.h"

#define IMAGE_DIGEST_MAX 72 /* "sha256:" + 64 hex + NUL, rounded */

/* A parsed image reference, normalised as docker does (image_ref.c). */
struct image__ref {
	char *domain; /* "docker.io", "localhost:5000", "[::1]:5000" */
	char *path;   /* repository path: "library/busybox" */
	char *tag;    /* "latest"; NULL when a digest is given */
	char *digest; /* "sha256:<hex>" or NULL */
};

/* Parses and normalises s: "busybox" -> docker.io/library/busybox:latest; a tag given with a
 * digest is dropped (the digest wins). Returns 0, or -IMAGE_EINVALID with a message. */
int image__ref_parse(const char *s, struct image__ref *r, struct buf *err);
void image__ref_release(struct image__ref *r);
/* "docker.io/library/busybox" (malloc'd). */
char *image__ref_name(const struct image__ref *r);
/* "docker.io/library/busybox:latest" or "...@sha256:..." (malloc'd). */
char *image__ref_string(const struct image__ref *r);
/* Nonzero when d is "sha256:" and 64 lowercase hex digits. */
int image__digest_valid(const char *d);
/* Nonzero when s is a plausible id prefix: 4 to 64 lowercase hex digits, or "sha256:" and
 * such. */
int image__is_id_prefix(const char *s);

/* One challenge of a WWW-Authenticate header (registry_auth.c). */
struct image__challenge {
	char scheme[16];  /* "bearer", "basic" (lower case) */
	char *realm, *service, *scope, *error;
};
/* Parses up to max challenges of a WWW-Authenticate value (RFC 7235: scheme, then
 * comma-separated auth-params with token or quoted-string values). Returns how many were
 * parsed; release each with image__challenge_release. */
size_t image__challenges_parse(const char *header, struct image__challenge *out, size_t max);
void image__challenge_release(struct image__challenge *c);

/* A username and password (or an identity token) for a registry. */
struct image__cred {
	char *username;
	char *password;
	char *identity_token; /* OAuth2 refresh token ("identitytoken"); rare */
};
void image__cred_release(struct image__cred *c);
/* Appends to *v (grown, *n counted) the credentials of a dockerconfigjson or dockercfg
 * document that match the registry domain and repository path, most specific key first (as
 * the kubelet's keyring orders them). Returns 0, or -KUBE_EINVAL for a document that is not
 * JSON (nothing appended). */
int image__creds_match(const char *docjson, const char *domain, const char *path,
		       struct image__cred **v, size_t *n);

/* registries.yaml (registry_config.c). */
struct image__rewrite {
	char *pattern, *replacement;
	regex_t re;
};
struct image__mirror {
	char *host;                /* "docker.io", "registry.local:5000", "*" */
	char **endpoints;          /* URLs as written */
	size_t nendpoints;
	struct image__rewrite *rewrites;
	size_t nrewrites;
};
struct image__regconfig {
	char *host;                /* "registry.local:5000", "*" */
	struct image__cred cred;   /* from auth.username/password, auth.auth, auth.identitytoken */
	int has_cred;
	char *ca_file, *cert_file, *key_file;
	int insecure_skip_verify;
	char *ca_pem, *cert_pem, *key_pem; /* the files' contents (image__registries_load) */
};
struct image__registries {
	struct image__mirror *mirrors;
	size_t nmirrors;
	struct image__regconfig *configs;
	size_t nconfigs;
};
/* Parses registries.yaml. Returns 0, or -KUBE_EINVAL with every problem in err. */
int image__registries_parse(const char *yaml, size_t len, struct image__registries *out, struct buf *err);
/* Reads path; a missing file is an empty configuration. */
int image__registries_load(const char *path, struct image__registries *out, struct buf *err);
void image__registries_release(struct image__registries *r);

/* A registry HTTP request with the distribution auth flow and redirects (registry_http.c):
 * sent with the pull's Authorization; a 401 with a Bearer challenge fetches a token from the
 * realm (with the pull's credentials as basic auth when it has some) and sends again, a Basic
 * challenge sends again with the credentials; a 3xx follows Location (up to 5 times; the
 * Authorization is dropped when the host changes). A stream (on_data set) passes only a 2xx
 * body to on_data. on_done runs once with the final response (any status) or an error. */
struct image__auth {
	struct image_store *s;
	const struct image__endpoint *ep; /* where requests go (the client for it is looked up) */
	struct image__cred *creds;        /* credentials to try, in order (borrowed) */
	size_t ncreds;
	size_t cur;                       /* the one in use */
	char *authz;                      /* the Authorization header value, or NULL */
};
struct http_client_req;
struct http_client_response;
struct image__regreq;
typedef void image__regreq_data_cb(struct image__regreq *r, const char *data, size_t len);
typedef void image__regreq_done_cb(struct image__regreq *r, int err, const struct http_client_response *resp);
struct image__regreq {
	struct image__auth *auth;
	char *url;                /* absolute, for messages */
	const char *accept;
	int authed, redirects, drop_auth;
	int in_token;             /* the request in flight (h) is the token request */
	int status;
	struct buf errbody;       /* the start of a non-2xx stream body */
	image__regreq_data_cb *on_data;
	image__regreq_done_cb *on_done;
	void *user;
	struct http_client_req *h;
	uint64_t timeout_ms;
};
/* Sends r (xcalloc'd and filled by the caller: auth, url (malloc'd), accept, callbacks, user,
 * timeout_ms). Returns 0 or an error with a message (then on_done is never called). on_done
 * gets err 0 and the final response (any status: a 401 the credentials could not answer is
 * the caller's to report), a transport error, or -IMAGE_EUNAUTHORIZED / -IMAGE_ENETWORK with
 * resp->error for a failed token request or redirect. The caller frees r with
 * image__regreq_free (in on_done, or after it ran); image__regreq_cancel ends a request in
 * flight with -ECANCELED. */
int image__regreq_send(struct image__regreq *r, struct buf *err);
void image__regreq_cancel(struct image__regreq *r);
void image__regreq_free(struct image__regreq *r);
/* An absolute URL taken apart. */
struct image__url {
	int tls;
	char *host;               /* without brackets */
	int port;
	char *target;             /* path and query, "/" at least */
};
int image__url_parse(const char *url, struct image__url *u);
void image__url_release(struct image__url *u);

/* Where to pull from: one endpoint of a registry, and the repository path to ask it for. */
struct image__endpoint {
	int tls;          /* https */
	char *host;       /* DNS name or IP, without brackets */
	int port;
	char *hostport;   /* "host:port" as written in URLs ("[::1]:5000"), or "host" */
	char *prefix;     /* "/v2" or the endpoint's path */
	char *repo;       /* repository path after rewrites */
	int is_default;   /* the registry itself, not a mirror */
	const struct image__regconfig *config; /* registries.yaml's configs entry, or NULL */
};
/* The endpoints to try for ref, in order: the mirrors' (rewrites applied), then the registry
 * itself (docker.io -> registry-1.docker.io). Returns 0 with a malloc'd array, or
 * -KUBE_EINVAL with a message (a malformed endpoint URL). */
int image__endpoints(const struct image__registries *r, const struct image__ref *ref,
		     struct image__endpoint **out, size_t *n, struct buf *err);
void image__endpoints_free(struct image__endpoint *v, size_t n);

/* Layer unpacking (image_unpack.c). */
typedef ssize_t image__read_fn(void *ctx, const void **buf); /* bytes, 0 at the end, < 0 */
struct image__unpack_result {
	char blob_digest[IMAGE_DIGEST_MAX]; /* sha256 of the bytes read (compressed) */
	char diff_id[IMAGE_DIGEST_MAX];     /* sha256 of the uncompressed tar stream */
	uint64_t blob_size;
	uint64_t tar_size;
};
enum image__unpack_flags {
	IMAGE_UNPACK_NO_DEVICES = 1 << 0, /* refuse block and character devices (not root) */
};
/* Unpacks one layer (a tar, optionally gzip/zstd/xz/bzip2-compressed) read through rd into
 * dir (which must exist and be empty) with whiteouts as overlayfs wants them: ".wh.NAME" a
 * 0:0 character device NAME, ".wh..wh..opq" the xattr trusted.overlay.opaque=y on its
 * directory. Ownership, modes, times, xattrs, hard links and symlinks are kept. Entries that
 * would leave dir ("..", paths through symlinks, hard links to outside) refuse the layer.
 * Returns 0 with digests and sizes in *res, or a negative error (-IMAGE_EINVALID for a
 * corrupt or hostile layer) with a message; dir is then partly filled (the caller removes
 * it). */
int image__unpack(image__read_fn *rd, void *ctx, const char *dir, unsigned flags,
		  struct image__unpack_result *res, struct buf *err);
/* The same from a file. */
int image__unpack_file(const char *path, const char *dir, unsigned flags,
		       struct image__unpack_result *res, struct buf *err);
/* Removes a directory tree (no symlinks followed; missing is fine). Returns 0 or a negative
 * errno. The _at form removes name in dirfd. */
int image__rmtree(const char *path);
int image__rmtree_at(int dirfd, const char *name);

/* Incremental sha256 with the "sha256:<hex>" text at the end. */
struct image__hash {
	mbedtls_sha256_context ctx;
};
void image__hash_init(struct image__hash *h);
void image__hash_update(struct image__hash *h, const void *data, size_t len);
void image__hash_final(struct image__hash *h, char out[IMAGE_DIGEST_MAX]);
void image__sha256(const void *data, size_t len, char out[IMAGE_DIGEST_MAX]);

/* The store on disk (image_store.c, image_index.c). */
struct image__paths {
	char *root;    /* DATA/agent/images */
	char *blobs;   /* root/blobs/sha256 */
	char *layers;  /* root/layers */
	char *tmp;     /* root/tmp: staging of operations in progress */
	char *leases;  /* root/leases: layers used by container root filesystems */
	char *index;   /* root/index.json */
	char *empty;   /* root/empty: the lower directory of an image without layers */
	char *lock;    /* root/lock */
};
int image__paths_init(struct image__paths *p, const char *data_dir, struct buf *err);
void image__paths_release(struct image__paths *p);
/* The directory of the layer whose diff id is digest (malloc'd). */
char *image__layer_dir(const struct image__paths *p, const char *diff_id);

/* The store lock (flock on root/lock): returns an fd or a negative errno. */
int image__lock(const struct image__paths *p);
void image__unlock(int fd);

/* An operation in progress (pull, import): a staging directory root/tmp/op-XXXXXX holding a
 * lock file it keeps flock'd and the list of layers it protects from garbage collection. */
struct image__op {
	char *dir;
	int lock_fd;
};
int image__op_begin(const struct image__paths *p, struct image__op *op, struct buf *err);
/* Records that op uses these layers; call under the store lock. */
int image__op_protect(struct image__op *op, const char *const *diff_ids, size_t n);
void image__op_end(struct image__op *op);

/* The index: every image record (index.json). */
struct image__index {
	struct image **v;
	size_t n;
};
void image__index_free(struct image__index *idx);
int image__index_load(const struct image__paths *p, struct image__index **out, struct buf *err);
/* Writes idx to index.json atomically. Call under the store lock. */
int image__index_save(const struct image__paths *p, const struct image__index *idx, struct buf *err);
/* Finds ref in idx (see image_store_lookup). Returns a borrowed pointer or NULL; an ambiguous
 * id prefix is NULL too. */
struct image *image__index_find(const struct image__index *idx, const char *ref);

/* A new image for the index: built from its config blob. */
struct image__record {
	const char *config;       /* the config blob */
	size_t config_len;
	const char *manifest;     /* the manifest blob (NULL for docker-archive imports) */
	size_t manifest_len;
	const char *index_blob;   /* the index it was picked from, or NULL */
	size_t index_len;
	const char *name;         /* "docker.io/library/busybox" or NULL */
	const char *tag;          /* "latest" or NULL */
	const char *repo_digest_of; /* digest for name@digest (manifest or index), or NULL */
	uint64_t size;
};
/* Checks the config (diff ids present), writes the blobs, adds or merges the image in the
 * index (a tag moves from the image that had it) under the store lock; every layer must be
 * in place. Returns 0 and a new reference in *out (optional). */
int image__commit(const struct image__paths *p, const struct image__record *rec,
		  struct image **out, struct buf *err);
/* Reads the diff ids of a config blob: a malloc'd NULL-terminated array (free with
 * image__strv_free), or NULL with a message. */
char **image__config_diff_ids(const char *config, size_t len, struct buf *err);
/* Removes the image ref names and collects garbage, under the store lock. Returns 0,
 * -IMAGE_ENOTFOUND, or another error. *removed_id (optional) gets the id (malloc'd). */
int image__remove(const struct image__paths *p, const char *ref, char **removed_id, struct buf *err);
/* Deletes layers and blobs no image, lease or live operation uses, and stale staging dirs.
 * Call under the store lock. */
void image__gc(const struct image__paths *p, const struct image__index *idx);

/* Imports an archive or OCI layout directory (image_import.c); synchronous. Every image
 * committed is appended to *imported (NULL-terminated array of new references). */
int image__import(const struct image__paths *p, const char *path, const char *arch,
		  const char *variant, struct image ***imported, struct buf *err);

/* Index/manifest handling shared by pull and import (image_manifest.c). */
enum image__media {
	IMAGE_MEDIA_UNKNOWN,
	IMAGE_MEDIA_INDEX,    /* OCI index or Docker manifest list */
	IMAGE_MEDIA_MANIFEST, /* OCI or Docker schema2 manifest */
	IMAGE_MEDIA_SCHEMA1,  /* Docker schema1: refused */
};
enum image__media image__media_kind(const char *media_type, const cJSON *doc);
/* From an index, the manifest digest for arch/variant (linux). Returns 0 and a pointer into
 * doc, or -IMAGE_EPLATFORM / -IMAGE_EINVALID with a message. */
int image__index_pick(const cJSON *doc, const char *arch, const char *variant,
		      const char **digest, struct buf *err);
struct image__layer_desc {
	char digest[IMAGE_DIGEST_MAX];
	uint64_t size;
	char *media_type;
	char *url; /* first of "urls" (foreign layers), or NULL */
};
/* From a manifest: the config digest and size, and the layers. Returns 0 or -IMAGE_EINVALID. */
int image__manifest_parse(const cJSON *doc, char config_digest[IMAGE_DIGEST_MAX], uint64_t *config_size,
			  struct image__layer_desc **layers, size_t *nlayers, struct buf *err);
void image__layer_descs_free(struct image__layer_desc *v, size_t n);

/* Root filesystems (image_rootfs.c): the work of image_rootfs_prepare/release, synchronous. */
int image__rootfs_mount(const struct image__paths *p, const struct image *img, const char *dir, struct buf *err);
int image__rootfs_unmount(const struct image__paths *p, const char *dir, struct buf *err);
/* Nonzero when path is a mount point in this mount namespace. */
int image__is_mounted(const char *path);

/* Small helpers (image_util.c). */
char **image__strv_dup(char *const *v);
void image__strv_free(char **v);
size_t image__strv_len(char *const *v);
int image__strv_has(char *const *v, const char *s);
/* Appends a copy of s to *v (NULL-terminated, reallocated). */
void image__strv_add(char ***v, const char *s);
/* Removes s from v; returns 1 if it was there. */
int image__strv_del(char **v, const char *s);
/* Builds an image (one reference) from its index record or from a config blob (id, arch,
 * config fields, layers; no names). NULL with a message when malformed. */
struct image *image__new_from_json(const struct image__paths *p, const cJSON *rec, struct buf *err);
struct image *image__new_from_config(const struct image__paths *p, const char *config, size_t len,
				     struct buf *err);
/* The index record of img (a new cJSON object). */
cJSON *image__to_json(const struct image *img);
/* Frees an image (refs dropped to 0). */
void image__free(struct image *img);


/* The loop side (image_store.c): the store and its worker jobs. */
struct http_client;
struct image__pull;

struct image_store {
	uv_loop_t *loop;
	struct image__paths paths;
	struct image__registries reg;
	char *ca_bundle;             /* path of the system CA bundle */
	char *ca_pem;                /* its contents, read on the first TLS pull */
	char *arch, *variant;
	int max_downloads;
	struct image__index *idx;    /* the current snapshot of index.json */
	uv_fs_event_t watch;         /* changes of index.json by other processes */
	int watching;
	int reloading, reload_again;
	int pending;                 /* jobs, handles and clients not finished */
	int closing;
	void (*close_cb)(void *arg);
	void *close_arg;
	/* registry_pull.c */
	struct hmap pulls;           /* key -> struct image__pull (joined pulls) */
	struct hmap clients;         /* "http[s]://host:port" -> struct http_client */
	struct image__pull *pull_list; /* every pull in progress */
};

/* A piece of blocking work for the thread pool: run() on a worker, done() on the loop (err
 * is -ECANCELED when the store closed before it started). The job is freed after done(). */
struct image__job {
	uv_work_t work;
	struct image_store *s;
	void (*run)(struct image__job *j);
	void (*done)(struct image__job *j);
	int err;
	struct buf msg;
	image_done_cb *cb;
	void *arg;
	char *path;                  /* a path or reference, per job */
	struct image **imgs;         /* results (NULL-terminated), unref'd by the job's end */
	struct image__index *idx;    /* a fresh index to install, or NULL */
	void *data;                  /* per job */
};
/* Drops one count of s->pending and frees a closing store when it was the last. */
void image__store_unpend(struct image_store *s);
/* Closes the registry HTTP clients (registry_http.c); each close is counted in s->pending. */
void image__clients_close(struct image_store *s);
/* Queues j (allocated by the caller with xcalloc) on the thread pool. */
void image__queue(struct image_store *s, struct image__job *j);
/* Installs a new index snapshot (takes ownership). */
void image__store_set_index(struct image_store *s, struct image__index *idx);

/* registry_pull.c */
void image__pulls_init(struct image_store *s);
/* Fails every pull in progress with -ECANCELED and closes the HTTP clients (each close
 * counted in s->pending). */
void image__pulls_close(struct image_store *s);

/* ---- end images ---- */

/* ---- runtime ---- */
/*
 * Internals of the runtime (cri/runc*.c, shim*.c, bundle*.c, sandbox*.c, cgroup*.c,
 * seccomp*.c). Pure parts (spec generation, user lookup, log lines, cgroup layout) take their
 * inputs as arguments so that unit tests can drive them without root.
 */
#include <cjson/cJSON.h>
#include <sys/types.h>

#include "lib/buf.h"
#include "lib/hmap.h"

/* -- cgroups (cgroup.c) -- */

enum cri_cgroup_mode {
	CRI_CGROUP_V1,     /* one hierarchy per controller (or group of them) */
	CRI_CGROUP_V2,     /* the unified hierarchy at the cgroup root */
	CRI_CGROUP_HYBRID, /* v1 controllers plus a controller-less v2 hierarchy (runc joins it) */
};

/* Where the cgroup hierarchies are mounted. Owned by the runtime; strings malloc'd. */
struct cri_cgroup_layout {
	enum cri_cgroup_mode mode;
	char **v1;        /* NULL-terminated mount points of every v1 hierarchy (named ones too) */
	char *cpu;        /* v1 mount points of the controllers we write, or NULL */
	char *memory;
	char *pids;
	char *cpuset;
	char *unified;    /* the v2 mount point (v2: the root; hybrid: e.g. .../unified) or NULL */
};

/* Fills *l from the text of /proc/self/mountinfo: a cgroup2 file system mounted at root is v2;
 * otherwise the cgroup (v1) mounts under root, plus a cgroup2 one there (hybrid). Returns 0 or
 * -KUBE_EINVAL (no cgroup file system under root) with a message in err. */
int cri_cgroup_detect(const char *mountinfo, const char *root, struct cri_cgroup_layout *l,
		      struct buf *err);
void cri_cgroup_layout_release(struct cri_cgroup_layout *l);

/* Creates the cgroup PATH ("/kube/pod<uid>") in every hierarchy (parents too; v1 cpusets
 * copied from the parent; v2 controllers enabled for children) and writes the limits of r.
 * Blocking (thread pool). Returns 0 or a negative errno with the file in err; on failure
 * nothing it created is left. */
int cri_cgroup_create(const struct cri_cgroup_layout *l, const char *path,
		      const struct cri_resources *r, struct buf *err);
/* Removes PATH in every hierarchy, empty child cgroups first, then (with parents set) the
 * levels above it while they are empty (the prefix after its last pod). A cgroup that still
 * holds processes gives -EBUSY. Absent is fine. Blocking. */
int cri_cgroup_remove(const struct cri_cgroup_layout *l, const char *path, int parents,
		      struct buf *err);
/* The file the OOM kill counter of cgroup PATH is read from (memory.events on v2,
 * memory.oom_control on v1), malloc'd, or NULL without a memory controller. */
char *cri_cgroup_oom_file(const struct cri_cgroup_layout *l, const char *path);
/* The "oom_kill N" count in such a file's text, or 0. */
long long cri_cgroup_oom_kills(const char *text);
/* cpu.shares (2..262144) to cgroup v2 cpu.weight (1..10000), as runc converts it. */
uint64_t cri_cgroup_shares_to_weight(uint64_t shares);

/* -- the OCI spec (bundle.c, seccomp.c) -- */

/* A resolved user: uid, primary gid and additional gids. */
struct cri_user {
	uint32_t uid;
	uint32_t gid;
	uint32_t *gids; /* malloc'd */
	size_t ngids;
};

/* Resolves the process user as containerd does: uid from cfg->uid, else cfg->user (a name
 * or number, optionally ":group") looked up in passwd; the primary gid from cfg->gid, else
 * the ":group" part, else the passwd entry, else 0; additional gids from the groups in group
 * that list the user's name, then cfg->supplemental_groups. passwd and group are the texts
 * of the image's /etc/passwd and /etc/group (NULL when absent). Returns 0, or -KUBE_EINVAL
 * (an unknown name, a malformed user) with a message in err. */
int cri_user_resolve(const struct cri_container_config *cfg, const char *passwd,
		     const char *group, struct cri_user *out, struct buf *err);
void cri_user_release(struct cri_user *u);

/* A host device given to a privileged container. */
struct cri_device {
	char *path;
	char type;      /* 'c' or 'b' */
	int64_t major, minor;
	uint32_t mode;  /* permission bits */
	uint32_t uid, gid;
};

/* What a container's spec depends on besides its config. */
struct cri_bundle_ctx {
	enum cri_cgroup_mode cgroup_mode;
	uint64_t caps;                  /* capability set of the agent (privileged, "ALL") */
	const char *arch;               /* Go architecture: seccomp architectures */
	const struct cri_sandbox *sandbox;
	const char *ipc_path;           /* the sandbox's namespaces (NULL: host's) */
	const char *uts_path;
	const char *shm_path;           /* bind-mounted on /dev/shm */
	const char *cgroups_path;       /* "/PREFIX/pod<uid>/<id>" */
	const struct cri_user *user;
	const struct cri_device *devices; /* host devices for a privileged container */
	size_t ndevices;
	const cJSON *seccomp_localhost; /* the parsed profile file (CRI_SECCOMP_LOCALHOST) */
};

/* Checks a container config (required fields, absolute paths, names, capabilities, limits).
 * Returns 0 or -KUBE_EINVAL with every problem in err. */
int cri_bundle_validate(const struct cri_container_config *cfg, struct buf *err);
/* Builds the OCI runtime spec (config.json, runtime-spec 1.0.2 as runc 1.1 reads it) of a
 * container. Pure. ctx->user NULL gives uid/gid 0, and a localhost seccomp profile absent from
 * ctx is left out: the runtime fills both in on a worker (cri_bundle_set_user, ...). Returns a new tree (cJSON_Delete it) or NULL
 * with a message in err. */
cJSON *cri_bundle_spec(const struct cri_container_config *cfg, const struct cri_bundle_ctx *ctx,
		       struct buf *err);
/* Sets the "user" object of a spec's process object. */
void cri_bundle_set_user(cJSON *process, const struct cri_user *u);
/* linux.devices of a privileged container. */
cJSON *cri_bundle_devices(const struct cri_device *devices, size_t n);
/* A localhost profile (Docker's or the OCI format) as linux.seccomp, or NULL with a message. */
cJSON *cri_bundle_seccomp_localhost(const cJSON *profile, struct buf *err);
/* The capability set named by one of cap_add/cap_drop's entries ("NET_ADMIN",
 * "CAP_NET_ADMIN", "ALL" = all of `all`); 0 for an unknown name. */
uint64_t cri_cap_parse(const char *name, uint64_t all);
/* The capability bit's name ("CAP_CHOWN"), or NULL beyond the known ones. */
const char *cri_cap_name(unsigned bit);
/* containerd's default capability set. */
uint64_t cri_cap_default(void);

/* The RuntimeDefault seccomp profile for caps and Go architecture arch (linux.seccomp). */
cJSON *cri_seccomp_default(uint64_t caps, const char *arch);

/* -- container logs (shim_log.c) -- */

/* A CRI log file being written: lines "<RFC3339Nano> <stream> <F|P> <text>\n", rotated by
 * size (path -> path.1 -> ... -> path.<max_files-1>). Owned by the shim. */
struct cri_log {
	char *path;
	int fd;
	uint64_t size;
	uint64_t max_size;
	unsigned max_files;
	struct buf line[2];  /* partial line of stdout, stderr */
	struct buf out;      /* formatted entries not yet written */
};

#define CRI_LOG_LINE_MAX 16384 /* a longer line is cut into P entries of this size */

/* Formats t (wall clock ns) as Go's RFC3339Nano in UTC ("2006-01-02T15:04:05.999999999Z",
 * trailing zeros of the fraction dropped) into out; returns its length. */
size_t cri_log_time(int64_t t, char out[40]);
/* Opens (appends to) path. Returns 0 or a negative errno. */
int cri_log_open(struct cri_log *l, const char *path, uint64_t max_size, unsigned max_files);
/* Adds len bytes read from stream (0 stdout, 1 stderr) at time t: complete lines become F
 * entries, a line reaching CRI_LOG_LINE_MAX becomes a P entry. Nothing is written yet. */
void cri_log_feed(struct cri_log *l, int stream, const char *data, size_t len, int64_t t);
/* The stream ended: its partial line becomes a P entry. */
void cri_log_eof(struct cri_log *l, int stream, int64_t t);
/* Writes the pending entries, rotating first when the file is over its size. Returns 0 or a
 * negative errno (entries are dropped rather than kept without bound). */
int cri_log_flush(struct cri_log *l);
void cri_log_close(struct cri_log *l);

/* -- the runtime (runc.c, runc_ctr.c, runc_ops.c, runc_exec.c, runc_proc.c, sandbox.c) -- */

/* An operation in flight: on the runtime's list (for close) and, while it waits for a
 * container's exit, on that container's waiters. */
struct cri_op {
	struct cri_op *next, *prev;      /* rt->ops */
	struct cri_op *wnext;            /* the container's waiters */
	struct cri_runtime *rt;
	char *id;                        /* the container (malloc'd; freed by the op's owner) */
	int linked;                      /* on rt->ops */
	void (*on_exit)(struct cri_op *op); /* the container exited */
	void (*cancel)(struct cri_op *op);  /* the runtime closes: take op off the list (and end
					       it with -ECANCELED if nothing else will) */
};

/* Puts op on rt's list (id copied into op->id) / takes it off the list and off its
 * container's waiters (idempotent; op->id stays). */
void cri_op_add(struct cri_runtime *rt, struct cri_op *op, const char *id);
void cri_op_del(struct cri_op *op);

/* A container record. Owned by the runtime's table. */
struct cri_ctr {
	struct cri_container pub;
	struct cri_runtime *rt;
	char *dir;           /* /run/PREFIX/shims/<id>: bundle and state */
	char *cgroups_path;  /* /PREFIX/pod<uid>/<id> */
	char *oom_file;
	int stop_signal;
	int shim_pid;
	unsigned long long shim_start; /* its start time (clock ticks after boot) */
	unsigned long long init_start; /* the init's (0: unknown, never signalled) */
	uv_poll_t *watch;    /* on the shim's pidfd while it runs */
	int pidfd;
	struct cri_op *waiters; /* operations waiting for the exit */
	int busy;            /* a start or removal is in flight */
};

/* A sandbox record. Owned by the runtime's table. */
struct cri_sb {
	struct cri_sandbox pub;
	char *dir;           /* /run/PREFIX/sandboxes/<id> */
	uint64_t shm_size;
	int busy;
};

struct cri_runtime {
	uv_loop_t *loop;
	char *prefix;
	char *data_dir;
	char *runc;
	char *run_dir;
	char *self_exe;
	char *runc_root;     /* RUN/PREFIX/runc */
	char *shims_dir;     /* RUN/PREFIX/shims */
	char *sandboxes_dir; /* RUN/PREFIX/sandboxes */
	char *netns_dir;     /* RUN/netns */
	uint64_t log_max_size;
	unsigned log_max_files;
	struct cri_cgroup_layout cg;
	uint64_t caps;
	struct hmap ctrs;    /* id -> struct cri_ctr */
	struct hmap sbs;     /* id -> struct cri_sb */
	cri_exit_cb *on_exit;
	void *on_exit_arg;
	struct cri_op *ops;  /* operations in flight */
	void *anchor;        /* a handle closed last (runc.c) */
	int handles;         /* libuv handles and work requests not yet finished */
	int closing;
	void (*close_cb)(void *arg);
	void *close_arg;
};

/* A child process whose stdout and stderr go to one pipe, read into a bounded buffer. */
struct cri_proc {
	struct cri_runtime *rt;
	uv_process_t proc;
	uv_pipe_t pipe;
	uv_timer_t timer;     /* the wait for EOF after the exit */
	struct buf out;
	size_t max_output;
	uint64_t eof_wait_ms; /* after the exit (0: wait for EOF) */
	int exited, eof, timer_on, handles;
	int64_t status;
	int term_signal;
	void (*done)(struct cri_proc *p);
	void *data;
};

/* Starts file with argv (NULL-terminated; stdin /dev/null), output to p->out. done(p) runs
 * once when it has exited and its output ended (or eof_wait_ms after the exit); p is freed
 * after done returns. Returns 0 or a negative errno (done never runs). */
int cri_proc_spawn(struct cri_runtime *rt, const char *file, char *const *argv,
		   size_t max_output, uint64_t eof_wait_ms, void (*done)(struct cri_proc *p),
		   void *data, struct cri_proc **out);
/* Builds a runc command line: runc --root ROOT [--log FILE --log-format json] ARGS...
 * (NULL-terminated, malloc'd strings; free with cri_argv_free). */
char **cri_runc_argv(struct cri_runtime *rt, const char *log, ...) __attribute__((sentinel));
void cri_argv_free(char **argv);
/* runc's message in its output (a plain line or a JSON log line), trimmed; never NULL. */
char *cri_runc_message(const char *out);

/* Work on the thread pool counted in rt->handles; done runs on the loop. */
int cri_queue_work(struct cri_runtime *rt, void (*work)(void *data),
		   void (*done)(void *data, int cancelled), void *data);
/* Drops a handle count; when closing and nothing is left, frees the runtime and runs the
 * close callback. */
void cri_handle_done(struct cri_runtime *rt);
/* Appends a to a NULL-terminated malloc'd argv. */
void cri_argv_push(char ***argv, const char *a);
/* A process's start time (clock ticks after boot, /proc/PID/stat field 22); 0 if unknown. */
unsigned long long cri_proc_start(pid_t pid);
/* Go's name of this machine's architecture. */
const char *cri_go_arch(void);

/* Sandboxes (sandbox.c): the records' life on the loop; blocking parts in workers. */
int cri_sandbox_load(struct cri_runtime *rt, const char *id, struct buf *err);
void cri_sb_free(struct cri_sb *sb);

/* Containers (runc_ctr.c): records, recovery after a restart, the shim's watch. */
int cri_ctr_load(struct cri_runtime *rt, const char *id, struct buf *err);
/* Watches the shim's pidfd; its exit (or its absence) ends in cri_ctr_exited. */
void cri_ctr_watch(struct cri_ctr *c);
void cri_ctr_unwatch(struct cri_ctr *c);
/* Frees a record (unwatched first); the caller has removed it from the table. */
void cri_ctr_free(struct cri_ctr *c);
/* Reads the shim's state files into c (shim.json, started.json, exit.json). */
void cri_ctr_read_state(struct cri_ctr *c);
/* The shim is gone: reads the exit (or records an unknown one), wakes the waiters and calls
 * the runtime's exit callback. */
void cri_ctr_exited(struct cri_ctr *c);
/* The meta.json of a record. */
cJSON *cri_ctr_meta(const struct cri_ctr *c);
/* Operations still waiting at close end with -ECANCELED. */
void cri_ops_cancel_all(struct cri_runtime *rt);
/* Sends sig to the container's init if it still is the process the shim started (pid and
 * start time). Returns 0 or a negative errno (-ESRCH: not running). */
int cri_ctr_kill(struct cri_ctr *c, int sig);
/* Adds op to c's waiters / takes it off. */
void cri_ctr_wait(struct cri_ctr *c, struct cri_op *op);
void cri_ctr_unwait(struct cri_ctr *c, struct cri_op *op);

/* Small file helpers (tmpfs state files). */
int cri_write_file(const char *path, const char *data, size_t len);
cJSON *cri_read_json(const char *path);
int cri_rm_rf(const char *path);
/* A new random id: 64 hex digits. */
void cri_new_id(char out[65]);
int64_t cri_wall_ns(void);
/* Nanosecond times in state files are decimal strings (a JSON number loses precision above
 * 2^53): set / get (0 when absent or malformed). */
void cri_json_set_ns(cJSON *o, const char *key, int64_t ns);
int64_t cri_json_ns(const cJSON *o, const char *key);

/* ---- end runtime ---- */

#endif

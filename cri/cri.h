/*
 * cri.h - the container runtime layer's one public header: the image store (pull, import,
 * unpack, overlay rootfs) and the runtime (OCI bundles, runc, shims, pod sandboxes, cgroups).
 *
 * Two engineers share this file: each owns one marked section below. Cross-file internals go
 * in cri/internal.h (sectioned the same way).
 */
#ifndef KUBE_CRI_H
#define KUBE_CRI_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct buf;

/* ---- images ---- */
/*
 * The image store: a content-addressed store under DATA/agent/images/ (see cri/image_store.c
 * for the layout), pulls from OCI/Docker registries (distribution API v2), air-gap imports of
 * oci-archive and docker-archive tarballs, and overlayfs root filesystems for containers.
 *
 * Threading: every image_store_* function runs on the loop thread that opened the store.
 * Blocking work (disk, unpacking, mount) runs on libuv's thread pool; callbacks run on the
 * loop. Several processes may use one store at once (the agent and `kube images` commands):
 * changes are serialised with a lock file and every write is an atomic rename.
 */

struct image_store;

/* Error classes of pulls and imports (returned negated), which the kubelet maps to its
 * ErrImagePull reasons. Other failures are negative errno values or -KUBE_EINVAL. */
enum image_err {
	IMAGE_ENOTFOUND = 1100, /* no such repository, tag, manifest or blob */
	IMAGE_EUNAUTHORIZED,    /* the registry refused the credentials (or wants some) */
	IMAGE_ENETWORK,         /* the registry could not be reached or broke the connection */
	IMAGE_EDIGEST,          /* content does not match its digest */
	IMAGE_EINVALID,         /* a malformed reference, manifest, config or layer; a hostile
				   layer entry; an unsupported media type */
	IMAGE_EPLATFORM,        /* the image has no manifest for this node's platform */
};

/* One image, immutable and reference-counted (image_ref/image_unref on the loop thread). */
struct image {
	int refs;
	char *id;                 /* "sha256:<hex of the config blob>" */
	char **repo_tags;         /* NULL-terminated: "docker.io/library/busybox:latest" */
	char **repo_digests;      /* NULL-terminated: "docker.io/library/busybox@sha256:..." */
	/* From the image config (NULL or an empty string when the image has none): */
	char **entrypoint;        /* NULL-terminated, or NULL */
	char **cmd;               /* NULL-terminated, or NULL */
	char **env;               /* NULL-terminated "NAME=value", or NULL */
	char *working_dir;
	char *user;
	char *stop_signal;
	char *arch;               /* "amd64", ... */
	uint64_t size;            /* bytes of content (manifest, config, compressed layers), as
				     crictl shows it */
	char **layers;            /* NULL-terminated absolute layer directories, bottom first */
	size_t nlayers;
	char **blobs;             /* internal: digests of the blobs the store keeps for it */
};

struct image_store_config {
	const char *data_dir;          /* DATA: the store is DATA/agent/images */
	const char *registries_config; /* k3s's registries.yaml; NULL or a missing file: none */
	const char *arch;              /* Go architecture to pull; NULL: this machine's */
	const char *variant;           /* "v7", ...; NULL: this machine's (arm only) */
	const char *ca_bundle;         /* NULL: /etc/ssl/certs/ca-certificates.crt */
	int max_concurrent_downloads;  /* layers of one image fetched at once; 0: 3 */
};

/* Opens the store (creating its directories), reads registries.yaml and the image index, and
 * removes what an earlier crash left half done. Blocking (start-up only). Returns 0 and *out
 * (close with image_store_close), or a negative error with a message in err (a bad
 * registries.yaml is an error). */
int image_store_open(uv_loop_t *loop, const struct image_store_config *cfg,
		     struct image_store **out, struct buf *err);

/* Closes the store: pulls and imports not finished end with -ECANCELED (their callbacks run),
 * then cb(arg) runs from the loop once everything is released. */
void image_store_close(struct image_store *s, void (*cb)(void *arg), void *arg);

/* The end of a pull, import, removal or rootfs operation: err 0 or negative (enum image_err,
 * -ECANCELED, ...), msg a message as containerd words it ("" on success), img the image
 * (pull; borrowed for the call: image_ref to keep it) or NULL. */
typedef void image_done_cb(void *arg, int err, const char *msg, struct image *img);

/* Credentials for one pull: the contents of kubernetes.io/dockerconfigjson Secrets
 * ({"auths": {...}}) or legacy kubernetes.io/dockercfg ones (the map alone), matched to the
 * registry as the kubelet does (host, then path prefix; "*.example.com" globs), each tried in
 * order, then registries.yaml's, then none. */
struct image_pull_opts {
	const char *const *pull_secrets;
	size_t npull_secrets;
};

/* Pulls ref ("busybox", "ghcr.io/x/y:1.0", "name@sha256:...") into the store: resolves
 * mirrors, authenticates, picks this node's platform from an index, downloads what is
 * missing with verified digests, unpacks new layers and records the image (tag and repo
 * digest). Concurrent pulls of one reference with the same credentials share one transfer.
 * opts may be NULL. Returns 0 (cb will run once), or -KUBE_EINVAL for a malformed reference
 * or registries.yaml endpoint, -ECANCELED when the store is closing (message in err; cb never
 * runs). */
int image_store_pull(struct image_store *s, const char *ref, const struct image_pull_opts *opts,
		     image_done_cb *cb, void *arg, struct buf *err);

/* Finds an image by reference (normalised: "busybox" is docker.io/library/busybox:latest),
 * by repo digest, by id ("sha256:<hex>") or by a unique id prefix of at least 4 hex digits.
 * Returns a new reference (image_unref it) or NULL. Never blocks: it reads the in-memory
 * index, which follows changes made by other processes. */
struct image *image_store_lookup(struct image_store *s, const char *ref);

/* Lists every image: *out gets a malloc'd array of new references (image_unref each, free the
 * array). Returns the count. */
size_t image_store_list(struct image_store *s, struct image ***out);

/* Removes the image ref names (all its tags and digests, as crictl rmi does) and deletes the
 * layers no other image or container rootfs uses. cb gets -IMAGE_ENOTFOUND for an unknown
 * reference. Returns 0 (cb will run). */
int image_store_remove(struct image_store *s, const char *ref, image_done_cb *cb, void *arg);

/* Imports an oci-archive or docker-archive tarball (optionally compressed), or an OCI layout
 * directory, into the store; every image in it is recorded under its names. cb's img is the
 * last image imported. Returns 0 (cb will run). */
int image_store_import(struct image_store *s, const char *path, image_done_cb *cb, void *arg);

/* Imports every DATA/agent/images/<name>.tar (also .tar.gz, .tgz, .tar.zst, .tar.xz, .tar.bz2,
 * .tar.lz4) at agent start; unchanged files already imported are skipped. Failures are
 * logged per file; cb gets the first error (0 if none) when all are done. Returns 0. */
int image_store_import_dir(struct image_store *s, image_done_cb *cb, void *arg);

/* Mounts a container's root filesystem: an overlay with the image's layers as lower
 * directories and DIR/upper, DIR/work as upper and work directories, on DIR/rootfs (created;
 * DIR must exist). Records that the container uses those layers, so that removing the image
 * keeps them. Idempotent: an already mounted DIR/rootfs is left as it is (agent restarts).
 * A read-only root is the runtime's business (OCI spec root.readonly); the overlay stays
 * writable so that runc can create mount points in it. cb's img is NULL. Returns 0. */
int image_rootfs_prepare(struct image_store *s, const struct image *img, const char *dir,
			 image_done_cb *cb, void *arg);

/* Unmounts DIR/rootfs, removes DIR/rootfs, DIR/upper and DIR/work (DIR itself stays) and drops
 * the layer record. Idempotent: nothing mounted is not an error. Returns 0 (cb will run). */
int image_rootfs_release(struct image_store *s, const char *dir, image_done_cb *cb, void *arg);

struct image *image_ref(struct image *img);
void image_unref(struct image *img);

/* Go's name of this machine's architecture ("amd64", "arm64", "arm", ...) and, for arm, its
 * variant ("v7"; "" otherwise). */
const char *image_host_arch(void);
const char *image_host_variant(void);

/* `kube images`: import, list, rm, inspect, pull. Returns the exit status. */
int cmd_images(int argc, char **argv);

/* ---- end images ---- */

/* ---- runtime ---- */
/*
 * The runtime: pod sandboxes (network, IPC and UTS namespaces held by bind mounts, no pause
 * process; a pod cgroup), containers run by runc (executed) under a per-container shim
 * (`kube shim`, the same binary: detached, a subreaper, it owns the container's stdio, writes
 * its CRI log file and records its exit), exec, signals and recovery after an agent restart.
 *
 * Every host resource is named from cfg.prefix (see DESIGN.md): runc root /run/PREFIX/runc,
 * shim state /run/PREFIX/shims/ID/, sandboxes /run/PREFIX/sandboxes/ID/, network namespaces
 * /run/netns/PREFIX-SHORTUID, cgroups PREFIX/pod<uid>/ID in every hierarchy. Logs go to
 * DATA/agent/pods/<pod uid>/<container name>/<attempt>.log in the CRI format, rotated by size.
 *
 * Threading: every cri_* function runs on the loop thread that opened the runtime; callbacks
 * run there too. runc and the shims are child processes (uv_spawn); namespaces, mounts, cgroup
 * and bundle files are handled on libuv's thread pool. Status and lists are answered from
 * memory. A function that fails synchronously (negative return) never calls its callback.
 */

struct cri_runtime;

/* Runtime error codes (returned negated); others are negative errno values or -KUBE_EINVAL. */
enum cri_err {
	CRI_ESTART = 1200, /* runc could not start the container (missing executable, bad mount,
			      ...): the message is runc's. Upstream's reason: StartError /
			      RunContainerError. The container exists (exited, code 128). */
	CRI_ESHIM,         /* the shim died before it reported */
};

/* A key and a value: labels, sysctls. */
struct cri_kv {
	const char *key;
	const char *value;
};

/* Cgroup limits of a pod or a container (0: not set). */
struct cri_resources {
	int64_t cpu_shares;    /* cpu.shares, 2..262144 (cgroup v2: converted to cpu.weight) */
	int64_t cpu_quota_us;  /* CFS quota per period, >= 1000 */
	int64_t cpu_period_us; /* CFS period (0 with a quota: 100000) */
	int64_t memory_limit;  /* bytes */
	int64_t pids_limit;
};

enum cri_sandbox_flags {
	CRI_HOST_NETWORK = 1 << 0, /* the host's network and UTS namespaces */
	CRI_HOST_IPC = 1 << 1,     /* the host's IPC namespace and /dev/shm */
	CRI_HOST_PID = 1 << 2,     /* containers in the host's PID namespace */
};

struct cri_sandbox_config {
	const char *pod_uid;       /* required; letters, digits and '-' */
	const char *pod_name;      /* stored and listed (may be NULL) */
	const char *pod_namespace; /* stored and listed (may be NULL) */
	const char *hostname;      /* set in the pod's UTS namespace; NULL: pod_name */
	unsigned attempt;
	unsigned flags;            /* enum cri_sandbox_flags */
	struct cri_resources resources; /* pod cgroup limits */
	uint64_t shm_size;         /* the pod's /dev/shm in bytes; 0: 64 MiB */
	const struct cri_kv *sysctls; /* namespaced sysctls: net.*, kernel.shm*, kernel.msg*,
					 kernel.sem, fs.mqueue.*; others are refused */
	size_t nsysctls;
	const struct cri_kv *labels;  /* stored and listed: the kubelet's recovery keys */
	size_t nlabels;
};

enum cri_propagation {
	CRI_PROPAGATION_PRIVATE,           /* rprivate */
	CRI_PROPAGATION_HOST_TO_CONTAINER, /* rslave */
	CRI_PROPAGATION_BIDIRECTIONAL,     /* rshared (privileged containers only) */
};

/* A bind mount of a host path (a volume) into a container. */
struct cri_mount {
	const char *container_path; /* absolute */
	const char *host_path;      /* absolute; must exist */
	int readonly;
	enum cri_propagation propagation;
};

enum cri_seccomp {
	CRI_SECCOMP_UNCONFINED,      /* Kubernetes' default without SeccompDefault */
	CRI_SECCOMP_RUNTIME_DEFAULT, /* our allowlist, like containerd's default profile */
	CRI_SECCOMP_LOCALHOST,       /* an OCI seccomp JSON file (seccomp_profile) */
};

struct cri_container_config {
	const char *sandbox_id;  /* required: a sandbox of this runtime */
	const char *name;        /* required: the container's name in the pod (a DNS label) */
	unsigned attempt;        /* the restart count: the log file is <attempt>.log */
	const char *rootfs;      /* required: absolute path of the prepared root filesystem */
	const char *const *args; /* required, NULL-terminated: the resolved command line */
	const char *const *env;  /* NULL-terminated "NAME=value" (may be NULL). PATH and HOSTNAME
				    are added when absent, as containerd does */
	const char *cwd;         /* NULL: "/" */
	int64_t uid;             /* runAsUser; -1: from user (else 0) */
	int64_t gid;             /* runAsGroup; -1: from user (else 0) */
	const char *user;        /* the image's USER ("name", "1000", "name:group", "1000:50"),
				    looked up in the rootfs's /etc/passwd and /etc/group; NULL */
	const int64_t *supplemental_groups; /* added to the user's groups from /etc/group */
	size_t nsupplemental_groups;
	const struct cri_mount *mounts;
	size_t nmounts;
	const char *hosts_path;    /* files bind-mounted on /etc/hosts, /etc/hostname and */
	const char *hostname_path; /* /etc/resolv.conf (the kubelet writes them); NULL: none */
	const char *resolv_path;
	struct cri_resources resources;
	/* securityContext */
	int privileged;            /* every capability the agent has, host devices, rw /sys,
				      no seccomp, no masked paths */
	int readonly_rootfs;
	int no_new_privs;          /* !allowPrivilegeEscalation */
	const char *const *cap_add;  /* NULL-terminated: "NET_ADMIN", "CAP_NET_ADMIN", "ALL" */
	const char *const *cap_drop;
	enum cri_seccomp seccomp;
	const char *seccomp_profile; /* CRI_SECCOMP_LOCALHOST: absolute path of the file */
	int has_oom_score_adj;
	int oom_score_adj;
	int stop_signal;           /* the image's STOPSIGNAL; 0: SIGTERM */
	const char *log_path;      /* NULL: DATA/agent/pods/<pod uid>/<name>/<attempt>.log */
	const struct cri_kv *labels; /* stored and listed */
	size_t nlabels;
};

enum cri_state {
	CRI_STATE_CREATED, /* being started */
	CRI_STATE_RUNNING,
	CRI_STATE_EXITED,
};

/* A container as the runtime knows it. Owned by the runtime: valid until the container is
 * removed or the runtime closes; read-only for callers. */
struct cri_container {
	char *id;             /* 64 hex digits; the kubelet shows "runc://<id>" */
	char *sandbox_id;
	char *pod_uid;
	char *name;
	unsigned attempt;
	char *log_path;
	struct cri_kv *labels;
	size_t nlabels;
	enum cri_state state;
	int pid;              /* the container's init (host PID namespace) while running */
	int exit_code;        /* when exited: the code, or 128 + signal */
	int oom_killed;       /* the cgroup's OOM killer killed a process of the container */
	int64_t created_ns;   /* wall clock, nanoseconds since the epoch; 0: not yet */
	int64_t started_ns;
	int64_t finished_ns;
	char *reason;         /* when exited: "Completed", "Error", "OOMKilled", "StartError",
				 "Unknown" (the shim died without recording the exit) */
	char *message;        /* runc's error for StartError; "" otherwise */
};

/* A pod sandbox. Owned by the runtime like struct cri_container. */
struct cri_sandbox {
	char *id;             /* 64 hex digits */
	char *pod_uid;
	char *pod_name;
	char *pod_namespace;
	char *hostname;
	unsigned attempt;
	unsigned flags;       /* enum cri_sandbox_flags */
	char *netns_path;     /* /run/netns/PREFIX-SHORTUID; NULL with CRI_HOST_NETWORK */
	char *cgroup_parent;  /* "/PREFIX/pod<uid>" (cgroupfs layout, every hierarchy) */
	struct cri_kv *labels;
	size_t nlabels;
	int64_t created_ns;
};

/* Called for every container exit seen while the runtime is open (exits that happened while
 * the agent was down are in the state cri_container_list shows after open). */
typedef void cri_exit_cb(void *arg, const struct cri_container *c);

struct cri_runtime_config {
	const char *prefix;      /* host resource prefix ("kube"); [a-z0-9], at most 20 */
	const char *data_dir;    /* DATA: logs under DATA/agent/pods/ */
	const char *runc;        /* runc binary; NULL: "runc" from PATH */
	const char *run_dir;     /* NULL: "/run" (runc root, shims, sandboxes, netns) */
	const char *cgroup_root; /* NULL: "/sys/fs/cgroup" (v1, v2 or hybrid: detected) */
	const char *self_exe;    /* the kube binary run as `kube shim`; NULL: this one */
	uint64_t log_max_size;   /* rotate a log file above this size; 0: 10 MiB */
	unsigned log_max_files;  /* files kept per container, current one included; 0: 5 */
	cri_exit_cb *on_exit;    /* may be NULL */
	void *on_exit_arg;
};

/* Opens the runtime: detects the cgroup layout, reads the sandboxes and containers that
 * exist under the prefix (recovery after a restart: shims that are still alive are watched
 * again, those that died without recording an exit show exited with reason "Unknown"), and
 * creates the directories. Blocking (start-up only: a few small files on tmpfs). Returns 0
 * and *out, or a negative error with a message in err. */
int cri_runtime_open(uv_loop_t *loop, const struct cri_runtime_config *cfg,
		     struct cri_runtime **out, struct buf *err);

/* Closes the runtime: stops, removals and execs still waiting end with -ECANCELED (exec'd
 * commands are killed); starts and removals whose runc or worker is already running finish
 * and report their result; then cb(arg) runs from the loop once every handle is closed.
 * Containers and their shims keep running. After close began, every function returns
 * -KUBE_ECLOSED. */
void cri_runtime_close(struct cri_runtime *rt, void (*cb)(void *arg), void *arg);

/* The end of an operation: err 0 or negative, msg a human-readable reason ("" on success). */
typedef void cri_done_cb(void *arg, int err, const char *msg);
/* The end of a create: id of the new sandbox or container (NULL when nothing was created). */
typedef void cri_create_cb(void *arg, int err, const char *msg, const char *id);
/* The end of an exec: err 0 (exit_code valid), -ETIMEDOUT (the command was killed) or another
 * negative error; out is the combined stdout and stderr, at most max_output bytes. */
typedef void cri_exec_cb(void *arg, int err, int exit_code, const char *out, size_t len);

/* Creates a pod sandbox: namespaces (held by bind mounts), hostname, loopback up, sysctls,
 * /dev/shm, the pod cgroup with its limits. Everything made is undone on failure. Returns 0
 * (cb runs), or -KUBE_EINVAL (bad config, message in err) or -EEXIST (a sandbox of that pod
 * exists). */
int cri_sandbox_create(struct cri_runtime *rt, const struct cri_sandbox_config *cfg,
		       cri_create_cb *cb, void *arg, struct buf *err);

/* Removes a sandbox: unmounts and deletes its namespaces and /dev/shm, removes the pod
 * cgroup. Its containers must have been removed first (-EBUSY otherwise). Returns 0 (cb
 * runs) or -KUBE_ENOTFOUND / -EBUSY. */
int cri_sandbox_remove(struct cri_runtime *rt, const char *id, cri_done_cb *cb, void *arg);

/* The sandbox with that id, or NULL. */
const struct cri_sandbox *cri_sandbox_get(struct cri_runtime *rt, const char *id);

/* Every sandbox: *out gets a malloc'd array of borrowed pointers (free the array). Returns
 * the count. */
size_t cri_sandbox_list(struct cri_runtime *rt, const struct cri_sandbox ***out);

/* Creates and starts a container: writes its OCI bundle, starts its shim, which runs
 * `runc run -d`. cb runs when the process runs (err 0), or with -CRI_ESTART and runc's message
 * (the container then exists, exited with code 128, reason StartError), or another error
 * (a bundle that could not be written: nothing is left). Returns 0 (cb runs), or
 * -KUBE_EINVAL with the problem in err (upstream's CreateContainerError) or -KUBE_ENOTFOUND
 * (no such sandbox). */
int cri_container_start(struct cri_runtime *rt, const struct cri_container_config *cfg,
			cri_create_cb *cb, void *arg, struct buf *err);

/* Stops a container: its stop signal (SIGTERM by default), then SIGKILL after grace_seconds
 * (at once when 0), also when the process ignores the first signal. cb runs when the
 * container has exited (at once if it is not running). Returns 0 or -KUBE_ENOTFOUND. */
int cri_container_stop(struct cri_runtime *rt, const char *id, unsigned grace_seconds,
		       cri_done_cb *cb, void *arg);

/* Removes a container (killed first if it still runs): `runc delete`, its cgroup, its state.
 * The root filesystem and the log files stay (their owners remove them). Returns 0 or
 * -KUBE_ENOTFOUND. */
int cri_container_remove(struct cri_runtime *rt, const char *id, cri_done_cb *cb, void *arg);

/* Sends sig to the container's init process. Returns 0 or -KUBE_ENOTFOUND / -ESRCH (not
 * running). */
int cri_container_signal(struct cri_runtime *rt, const char *id, int sig, cri_done_cb *cb,
			 void *arg);

/* Runs argv (NULL-terminated) in the running container (`runc exec`: the container's
 * environment, user and working directory), killing it after timeout_ms (0: no limit). At
 * most max_output bytes of output are kept (0: 4 KiB). Returns 0 or -KUBE_ENOTFOUND / -ESRCH
 * / -KUBE_EINVAL. */
int cri_container_exec(struct cri_runtime *rt, const char *id, const char *const *argv,
		       uint64_t timeout_ms, size_t max_output, cri_exec_cb *cb, void *arg);

/* The container with that id, or NULL. */
const struct cri_container *cri_container_get(struct cri_runtime *rt, const char *id);

/* Every container: *out gets a malloc'd array of borrowed pointers (free the array). Returns
 * the count. */
size_t cri_container_list(struct cri_runtime *rt, const struct cri_container ***out);

/* The default log path of a container: DATA/agent/pods/<pod uid>/<name>/<attempt>.log
 * (malloc'd). */
char *cri_log_path(const char *data_dir, const char *pod_uid, const char *name, unsigned attempt);

/* `kube shim`: the per-container shim (started by the runtime only). Returns the exit status. */
int cmd_shim(int argc, char **argv);

/* `kube runtime`: a test and debug front end of the runtime (hidden). Returns the exit status. */
int cmd_runtime(int argc, char **argv);

/* ---- end runtime ---- */

#endif

/*
 * internal.h - what the files of the API server share: the kind registry, stored-object
 * attributes, errors as Status, the request being served, and the server's runtime state.
 */
#ifndef KUBE_SERVER_INTERNAL_H
#define KUBE_SERVER_INTERNAL_H

#include <stdint.h>
#include <uv.h>

struct pki_key;

#include "lib/buf.h"
#include "lib/http.h"
#include "lib/json.h"
#include "lib/log.h"
#include "lib/util.h"
#include "server/patch.h"
#include "server/selector.h"
#include "server/server.h"
#include "server/validate.h"
#include "sqlite/store.h"

/* The Kubernetes version the API reports (discovery, /version). */
#define KUBE_K8S_MAJOR "1"
#define KUBE_K8S_MINOR "33"
#define KUBE_K8S_VERSION "v1.33.1"

/* ---- the kind registry (registry.c) ---------------------------------------------------- */

enum kind_flags {
	KIND_NAMESPACED = 1 << 0,
	KIND_STATUS = 1 << 1,          /* has a status subresource; writes to the main resource keep status */
	KIND_SCALE = 1 << 2,           /* has a scale subresource (autoscaling/v1 Scale) */
	KIND_GENERATION = 1 << 3,      /* metadata.generation counts spec changes */
	KIND_ALL = 1 << 4,             /* in the "all" category */
	KIND_RETURN_DELETED = 1 << 5,  /* DELETE answers with the object rather than a Status */
	KIND_CREATE_ON_UPDATE = 1 << 6, /* PUT of a missing object creates it */
	KIND_BINDING = 1 << 7,         /* pods: has the binding subresource */
	KIND_FINALIZE = 1 << 8,        /* namespaces: has the finalize subresource */
	KIND_VIRTUAL = 1 << 9,         /* create-only, never stored (access reviews): see review.c */
	KIND_TOKEN = 1 << 10,          /* serviceaccounts: has the token subresource (token.c) */
	KIND_EVICTION = 1 << 11,       /* pods: has the eviction subresource (eviction.c) */
	KIND_APPROVAL = 1 << 12,       /* CSRs: has the approval subresource (status.conditions only) */
	KIND_CUSTOM = 1 << 13,         /* a custom resource, registered at run time (crd_serve.c) */
};

struct table_col {
	const char *name;
	const char *type;   /* "string", "integer", "date", "boolean" */
	const char *format; /* "name" for the first column, else "" */
	const char *description;
	int priority;       /* 0: always shown; 1: with -o wide */
};

/* Appends one cell per column for obj to cells (a JSON array). now is the wall clock. */
typedef void table_row_fn(const cJSON *obj, cJSON *cells, int64_t now);

/* Per-kind behaviour beyond the generic path (kinds.c). All hooks may be NULL.
 *   defaults: fills in upstream's defaults (SetDefaults_*) on a decoded object, before
 *             validation, on create and on update.
 *   prepare:  upstream's PrepareForCreate (old == NULL) / PrepareForUpdate: resets what the
 *             main resource may not set (e.g. status) or derives fields.
 *   validate: adds upstream's validation errors for obj; old is NULL on create, else the stored
 *             object (immutable fields are checked against it). Metadata is checked generically
 *             before this runs.
 *   validate_status: the same for writes to the status (and approval) subresource. */
struct kind_hooks {
	void (*defaults)(cJSON *obj);
	void (*prepare)(cJSON *obj, const cJSON *old);
	void (*validate)(const cJSON *obj, const cJSON *old, struct field_errors *errs);
	void (*validate_status)(const cJSON *obj, const cJSON *old, struct field_errors *errs);
};

/* A kind stored as another kind's objects (events.k8s.io Events are core Events): requests
 * are converted in before writing, stored objects out before answering. */
struct kind_view {
	const char *store_group;   /* the kind whose storage is shared */
	const char *store_plural;
	void (*in)(cJSON *obj);    /* this kind's form -> the stored form */
	void (*out)(cJSON *obj);   /* the stored form -> this kind's form */
	const char *const *field_aliases; /* selector field, stored field, ...; NULL-ended */
};

extern const struct kind_view event_view;
extern const struct kind_view hpa_v1_view; /* autoscaling/v1 HorizontalPodAutoscalers (hpa.c) */
/* rbac.authorization.k8s.io/v1beta1 kinds over the v1 objects (rbac.c). */
extern const struct kind_view rbac_role_view, rbac_clusterrole_view, rbac_rolebinding_view,
	rbac_clusterrolebinding_view;
extern const struct kind_view csr_v1beta1_view; /* certificates.k8s.io/v1beta1 CSRs (csr.c) */
/* policy/v1beta1 PodDisruptionBudgets and batch/v1beta1 CronJobs over the v1 objects (versions.c). */
extern const struct kind_view pdb_v1beta1_view, cronjob_v1beta1_view;
/* networking.k8s.io/v1beta1 and extensions/v1beta1 Ingresses over the v1 objects (networking.c). */
extern const struct kind_view ingress_networking_v1beta1_view, ingress_extensions_v1beta1_view;

/* The hooks of a kind, or NULL for none. */
const struct kind_hooks *kind_hooks(const char *group, const char *version, const char *kind);

struct kind {
	const char *group;       /* "" for the core group */
	const char *version;
	const char *kind;
	const char *plural;
	const char *singular;
	const char *short_names[4];
	unsigned flags;
	enum name_rule name_rule;
	const char *const *fields; /* selectable fields besides metadata.name/namespace; NULL-ended */
	const struct table_col *cols; /* NULL: upstream's default Name / Created At */
	size_t ncols;
	table_row_fn *row;
	const struct kind_view *view; /* NULL: stored as itself */
	/* A deprecated version ("v1.17", else NULL) and the release without it ("v1.22"): requests
	 * get upstream's Warning naming the group's preferred version as the replacement. */
	const char *deprecated;
	const char *removed;
	const char *replacement; /* the kind to use instead when in another group ("networking.k8s.io/v1 Ingress") */
	/* Custom resources: the categories discovery lists (NULL: "all" when KIND_ALL), a JSONPath
	 * per column after Name (cols set, row NULL), and the CRD's data (crd_serve.c). */
	const char *const *categories;
	const char *const *col_paths;
	const void *custom;
	/* Filled by registry_init (registry_add for kinds registered at run time): */
	const struct kind_hooks *hooks;
	char *api_version;       /* "v1", "apps/v1" */
	char *list_kind;         /* "PodList" */
	char *qualified;         /* "pods", "deployments.apps": for error messages */
	char *qualified_kind;    /* "Pod", "Deployment.apps" */
	char *prefix;            /* storage key prefix "/registry/apps/deployments/" */
};

void registry_init(void);
size_t registry_count(void);
const struct kind *registry_at(size_t i);
const struct kind *kind_by_resource(const char *group, const char *version, const char *plural);
const struct kind *kind_by_gvk(const char *group, const char *version, const char *kind);
/* Splits an apiVersion ("apps/v1", "v1") at its first '/': copies the group ("" for the core
 * group; at most n - 1 bytes) into group and returns the version. */
const char *api_version_split(const char *api_version, char *group, size_t n);
/* The kind a storage key belongs to, or NULL. */
const struct kind *kind_by_key(const char *key);
/* Storage key of an object / prefix of a collection ("/registry/core/pods/default/web"). */
void kind_key(const struct kind *k, const char *ns, const char *name, struct buf *out);
void kind_prefix(const struct kind *k, const char *ns, struct buf *out);
/* Kinds registered at run time (custom resources): registry_add fills k's derived fields and
 * serves it (routing, discovery, lookups) from then on; registry_remove stops serving it. The
 * caller owns k and keeps it alive after removal (requests and watches may still point to it). */
void registry_add(struct kind *k);
void registry_remove(const struct kind *k);
/* Changes whenever a kind is added or removed: what derives from the set of kinds (the OpenAPI
 * documents) is rebuilt when it differs from the value it was built at. */
unsigned registry_generation(void);
/* Calls fn(k, data) for each kind registry_add registers from now on (until registry_unwatch). */
typedef void registry_watch_fn(const struct kind *k, void *data);
void registry_watch(registry_watch_fn *fn, void *data);
void registry_unwatch(registry_watch_fn *fn, void *data);
/* Is field selectable for this kind (metadata.name and metadata.namespace always are)? */
int kind_has_field(const struct kind *k, const char *field);

/* Appends the value of upstream's Warning header for a request to deprecated kind k: 299 - "G/V
 * Kind is deprecated in v1.17+, unavailable in v1.22+; use G/V2 Kind" (rbac.c). */
void deprecation_warning(const struct kind *k, struct buf *out);

/* The API groups in discovery order; each group's versions in preference order. */
struct api_group {
	const char *name;
	const char *versions[4];
};
size_t registry_groups(const struct api_group **out);

/* ---- stored objects (object.c) --------------------------------------------------------- */

/* What lists and watches filter on, extracted once when an object is stored or loaded. */
struct obj_attrs {
	size_t nlabels;
	size_t nfields;
	char **labels; /* key, value, key, value, ... */
	char **fields; /* "metadata.name", value, ... */
};

/* The store's index hook: parses the value and extracts its attrs. */
void *obj_index(const char *key, const char *value, size_t len);
void obj_attrs_free(void *attrs);
/* sel_lookup_fn over struct obj_attrs labels / fields. */
const char *obj_label(const void *attrs, const char *key);
const char *obj_field(const void *attrs, const char *key);
/* The store's encode hook: obj is a cJSON object; sets metadata.resourceVersion to rev and
 * prints it. The cJSON tree is not freed here (the write's owner frees it). */
int obj_encode(void *obj, int64_t rev, struct buf *out, struct buf *err);
/* Parses a stored value (never fails on values the server wrote; NULL on corruption). */
cJSON *obj_parse(const struct store_kv *kv);
/* The stored value as kind k shows it (converted out of a shared storage when k is a view; a
 * custom resource in k's apiVersion, with its schema's defaults). */
cJSON *obj_parse_as(const struct kind *k, const struct store_kv *kv);
/* Appends the stored value as kind k shows it: the stored bytes themselves when
 * obj_served_as_stored(k). */
void obj_print_as(const struct kind *k, const struct store_kv *kv, struct buf *out);
/* Are k's objects served as their stored bytes (no view, not a custom resource)? */
int obj_served_as_stored(const struct kind *k);
/* metadata.name of a stored kv (from its attrs). */
const char *obj_kv_name(const struct store_kv *kv);

/* Formats an age as kubectl users know it: "45s", "5m", "3h4m", "2d", "3y". */
void human_duration(int64_t seconds, char *out, size_t len);

/* ---- errors as Status (status.c) ------------------------------------------------------- */

/* A Status cause as upstream writes it. */
struct api_cause {
	char *reason;  /* "UnexpectedServerResponse", "FieldManagerConflict", ... */
	char *message;
	char *field;   /* may be NULL */
};

struct api_error {
	int code;               /* 0: no error */
	const char *reason;     /* "NotFound", ... ("" for none) */
	char *message;
	char *name;             /* details.name */
	const char *group;      /* details.group */
	const char *kind;       /* details.kind */
	struct field_errors causes;
	struct api_cause *raw;  /* causes given as they are (reason, message, field) */
	size_t nraw;
	int retry_after;        /* seconds, 0 for none */
};

void api_error_set(struct api_error *e, int code, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void api_error_not_found(struct api_error *e, const struct kind *k, const char *name);
void api_error_exists(struct api_error *e, const struct kind *k, const char *name);
void api_error_conflict(struct api_error *e, const struct kind *k, const char *name, const char *why);
/* 422 Invalid; takes the entries of errs (errs is left empty). */
void api_error_invalid(struct api_error *e, const struct kind *k, const char *name, struct field_errors *errs);
void api_error_bad_request(struct api_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void api_error_internal(struct api_error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Maps a store error (-KUBE_E*) for kind/name to the right Status. */
void api_error_from_store(struct api_error *e, int status, const struct kind *k, const char *name,
			  const char *detail);
/* Adds a cause (copies its arguments; field may be NULL). */
void api_error_cause(struct api_error *e, const char *reason, const char *message, const char *field);
void api_error_release(struct api_error *e);
/* Appends the Status JSON for e. */
void api_error_render(const struct api_error *e, struct buf *out);
/* A success Status ({"status":"Success"}) with details, for deletes. */
void status_success(struct buf *out, const struct kind *k, const char *name, const char *uid);
/* The HTTP layer's error hook. */
const char *status_http_error(int code, const char *reason, const char *message, struct buf *body);

/* ---- unknown and duplicate fields (fieldcheck.c) ---------------------------------------- */

struct sch_type;

/* The problems found in a body: messages like `unknown field "spec.foo"` (at most 100). */
struct fieldcheck {
	char **v;
	size_t n;
};

/* Adds the unknown and duplicate fields of obj, of type t, to fc. */
void fieldcheck_run(struct fieldcheck *fc, const cJSON *obj, const struct sch_type *t);
void fieldcheck_release(struct fieldcheck *fc);

/* ---- the server ------------------------------------------------------------------------ */

struct api_watch;

struct server {
	const struct server_config *cfg;
	uv_loop_t *loop;
	struct store *store;
	struct http_server *http;
	uv_signal_t sigterm;
	uv_signal_t sigint;
	uv_timer_t trim;         /* gives freed memory back to the system */
	uv_timer_t reconcile;    /* keeps the kubernetes Service (bootstrap.c) */
	char *ca_pem;            /* cluster CA certificate */
	char *ca_key_pem;
	char *serving_cert_pem;
	char *serving_key_pem;
	char *openapi_v3_index;  /* built once from the registry */
	struct api_watch *watches; /* open watches, for shutdown */
	int inflight_writes;     /* mutating requests being served */
	struct ctrl_namespace *ctrl_ns;
	struct ctrl_mgr *ctrl;   /* informers, queues, leader election (ctrl.c) */
	struct svc_alloc *svc_alloc;
	struct pki_key *sa_key;  /* signs and checks service-account tokens */
	int stopping;
	int bootstrap_pending; /* start-up writes not yet answered (namespaces, RBAC policy): /readyz
				* fails until they are, as upstream's post-start hooks */
	int exit_code;
	char *join_secret;       /* the join token's secret (bootstrap.c), for join.c */
	char *kubelet_client_cert_pem; /* the identity kubelets accept (bootstrap.c), for podlog.c */
	char *kubelet_client_key_pem;
	struct agent_thread *agent; /* the embedded agent (server.c), or NULL */
	struct metrics *metrics; /* /metrics figures (metrics.c) */
	struct rbac *rbac;       /* the RBAC authorizer's index (rbac.c) */
	struct crd_serve *crd;   /* serves the custom resources of the stored CRDs (crd_serve.c) */
};

/* ---- requests (api.c, router.c) -------------------------------------------------------- */

enum api_verb {
	VERB_GET, VERB_LIST, VERB_WATCH, VERB_CREATE, VERB_UPDATE, VERB_PATCH, VERB_DELETE,
	VERB_DELETECOLLECTION,
};

struct api_user {
	char *name;
	char **groups;
	size_t ngroups;
};

/* Query parameters every verb may use, parsed once. */
struct api_query {
	int dry_run;
	char *field_manager;
	char *field_validation;  /* Strict, Warn, Ignore */
	char *label_selector;
	char *field_selector;
	char *resource_version;
	char *resource_version_match;
	char *cont;              /* continue */
	int64_t limit;
	int64_t timeout_seconds;
	int allow_bookmarks;
	int send_initial_events;
	int include_object;      /* 0 None, 1 Metadata (default), 2 Object */
	int watch;
	int force;               /* apply: take over conflicting fields */
	int has_grace;           /* gracePeriodSeconds given */
	int64_t grace_period;
	char *propagation_policy;
};

/* One API request being served, from HTTP (or, later, the internal client). It owns everything
 * it points to and is freed by api_finish. */
struct api_req {
	struct server *srv;
	struct http_request *http; /* NULL for the internal client */
	/* The request body and its Content-Type (from http, or given by the internal client). */
	const char *raw;
	size_t raw_len;
	const char *content_type;
	/* Internal client: receives the answer instead of an HTTP response. */
	void (*done)(struct api_req *req, int code, const char *body, size_t len);
	void *done_data;
	struct api_user user;
	const struct kind *kind;
	enum api_verb verb;
	char *ns;
	char *name;
	char *sub;
	int table;               /* the client accepts meta.k8s.io/v1 Table */
	struct api_query q;
	cJSON *body;             /* the decoded request body, when there is one */
	cJSON *obj;              /* the object being written */
	int64_t expect_rev;
	int attempts;
	int counted;             /* counted in srv->inflight_writes */
	int counted_read;        /* counted in the metrics' readOnly in-flight requests */
	int is_apply;            /* a server-side apply (managedFields come from apply_patch) */
	struct svc_grant *grant; /* Service IPs and ports this request took */
	struct fieldcheck warnings; /* fieldValidation=Warn: sent as Warning headers */
	struct api_error err;
};

/* Entry from the HTTP server. */
void router_request(struct http_request *hreq, void *data);
/* Runs the handler for req->verb (and sub): routing done, authorized. */
void api_dispatch(struct api_req *req);

/* ---- the internal client (client.c) ------------------------------------------------------ */

/* The answer to an internal request: the HTTP status code and the JSON body (an object or a
 * Status), valid during the call. */
typedef void client_cb(int code, const char *body, size_t len, void *data);

/* Calls the API in process, through the same handlers (admission, validation, storage) as an
 * HTTPS request, as the privileged identity system:apiserver. body (JSON, may be NULL) is
 * copied. query may be NULL. cb runs later on the loop, exactly once (never from inside this
 * call). WATCH is not served here (in-process watchers use the store). */
void client_call(struct server *srv, enum api_verb verb, const struct kind *k, const char *ns,
		 const char *name, const char *sub, const char *content_type, const char *body,
		 const struct api_query *query, client_cb *cb, void *data);

/* Sends e as the response and frees req. */
void api_fail(struct api_req *req);
/* Sends a JSON body and frees req. */
void api_reply(struct api_req *req, int code, const struct buf *body);
/* Sends the stored value of kv (an object) with code, as JSON or as a one-row Table. */
void api_reply_kv(struct api_req *req, int code, const struct store_kv *kv);
/* Frees req without responding (after a stream ended). */
void api_req_free(struct api_req *req);
/* Answers a dry run: req->obj as it would be stored, with resourceVersion rv (NULL: none). */
void api_reply_dry_run(struct api_req *req, int code, const char *rv);
/* The current version of req's kind/namespace object `name`, or NULL (borrowed). */
struct store_kv *api_lookup(struct api_req *req, const char *name);

void api_get(struct api_req *req);
void api_list(struct api_req *req);
void api_create(struct api_req *req);
void api_update(struct api_req *req);
void api_patch(struct api_req *req);
void api_delete(struct api_req *req);
void api_delete_collection(struct api_req *req);
void api_binding(struct api_req *req);
/* Decodes the request body (JSON, YAML) into req->body, checking and filling in apiVersion and
 * kind. Returns 0 or fills req->err. */
int api_decode_object(struct api_req *req, const char *api_version, const char *kind);
/* Answers a create of a KIND_VIRTUAL kind (review.c). */
void api_review(struct api_req *req);
/* POST pods/NAME/eviction: a policy/v1 Eviction honouring PodDisruptionBudgets (eviction.c). */
void api_eviction(struct api_req *req);
/* Should an update that produced obj from old delete the object instead (its deletion was
 * pending on finalizers that are now all gone)? (delete.c) */
int api_delete_on_update(const struct kind *k, const cJSON *obj, const cJSON *old);
/* Parses req's labelSelector and fieldSelector (checking the fields are selectable for the
 * kind). Returns 0 or fills req->err. The selectors must be released by the caller. */
int api_parse_selectors(struct api_req *req, struct selector *labels, struct selector *fields);

/* Writes req->obj with op (CREATE/UPDATE/DELETE) and answers: the shared tail of every write.
 * For UPDATE a conflict re-runs retry (if not NULL and the client gave no resourceVersion). */
void api_write(struct api_req *req, enum store_op_type op, const char *key, int code,
	       void (*retry)(struct api_req *req));

/* ---- watch (watch.c) ------------------------------------------------------------------- */

void api_watch(struct api_req *req);
/* Ends every open watch (shutdown). */
void watch_close_all(struct server *srv);
/* Calls fn with the request of each open watch (metrics.c). */
void watch_each(struct server *srv, void (*fn)(const struct api_req *req, void *data), void *data);

/* ---- tables (table.c) ------------------------------------------------------------------ */

/* Does the Accept header ask for a Table? */
int table_wanted(const char *accept);
/* Starts a Table document: {"kind":"Table",...,"columnDefinitions":[...],"rows":[ */
void table_begin(const struct kind *k, struct buf *out, const char *rv, const char *cont,
		 int64_t remaining);
/* Appends one row (with a leading comma when not first). */
void table_row(const struct kind *k, const cJSON *obj, int include_object, int first, struct buf *out);
void table_end(struct buf *out);
/* A whole one-row Table for a single object. */
void table_single(const struct kind *k, const cJSON *obj, int include_object, struct buf *out);

/* ---- discovery, OpenAPI, version (discovery.c) ----------------------------------------- */

/* Answers /api, /apis, /api/v1, /apis/G, /apis/G/V, /version, /openapi/...: returns 1 if the
 * path was one of them (and the request was answered). */
int discovery_serve(struct server *srv, struct http_request *hreq);

/* Appends the OpenAPI v3 document of a group-version (openapi.c; built once, then kept until
 * the set of kinds changes). */
void openapi_v3(const char *group, const char *version, struct buf *out);
/* Its SHA-256 (hex), for the index's serverRelativeURL. */
const char *openapi_v3_hash(const char *group, const char *version);
struct sch_type;
/* Adds to out, under upstream's definition names, the schema of each root type (NULL roots are
 * skipped), of every type reachable from them, of Status and DeleteOptions, and the shared
 * scalar definitions (Quantity, Time, IntOrString, ...). swagger2 selects Swagger 2.0
 * references ("#/definitions/NAME", a plain $ref) over OpenAPI v3's ("#/components/schemas/
 * NAME" through allOf). */
void openapi_schemas(const struct sch_type *const *roots, size_t n, int swagger2, cJSON *out);
/* Adds to defs the definitions of custom kind k and its list (their CRD's schema), and names
 * one of them (kind: k->kind or k->list_kind) as upstream does (com.example.stable.v1.CronTab). */
void openapi_custom_definitions(const struct kind *k, int swagger2, cJSON *defs);
void openapi_custom_name(const struct kind *k, const char *kind, char *out, size_t n);
/* The Swagger 2.0 document of every served kind (openapi_v2.c; built on first use, then kept
 * until the set of kinds changes):
 * JSON, or gnostic's protobuf encoding of the same document when proto is set. Sets *len to
 * its length and *etag to its quoted ETag. */
const char *openapi_v2(int proto, size_t *len, const char **etag);
/* A subresource of a kind as discovery lists it (discovery.c). */
struct kind_sub {
	const char *name;
	const char *group, *version, *kind;
	const char *const *verbs;
	size_t nverbs;
};
/* The subresources of k, from its flags; returns the count written to out (at most 6). */
size_t kind_subresources(const struct kind *k, struct kind_sub *out);

/* ---- authentication and authorization (auth.c) ----------------------------------------- */

/* Fills user from the TLS peer. Returns 0, or -1 when unauthenticated. */
int auth_authenticate(const struct http_request *hreq, struct api_user *user);
/* Fills user from a bearer token of --token-auth-file (plus system:authenticated). Returns 0,
 * or -1 when the token is not one of them. */
int auth_static_token(const struct server_config *cfg, const char *token, struct api_user *user);
void auth_user_release(struct api_user *user);
/* Applies the Impersonate-User / Impersonate-Group headers of h (impersonate.c): when present
 * and allowed, replaces user with the impersonated one. Returns 0, or -1 with e filled (403 when
 * not allowed, 400 for groups without a user). */
int impersonate(struct server *srv, const struct http_request *h, struct api_user *user, struct api_error *e);
/* What a request asks to do, as an authorizer sees it: verb on group/resource[/sub] (name) in ns
 * (NULL or "": cluster-wide), or, when path is set, verb on that non-resource URL. */
struct rbac_attrs {
	const char *verb, *group, *resource, *sub, *ns, *name, *path;
};
/* Is user allowed a? The one authorization decision: system:masters, the node rules, then RBAC. */
int auth_allowed(struct server *srv, const struct api_user *user, const struct rbac_attrs *a);
/* Returns 1 if user may do verb on the kind (sub)resource in ns; else fills a 403 in e. */
int auth_authorize(struct server *srv, const struct api_user *user, const char *verb, const struct kind *k,
		   const char *sub, const char *ns, const char *name, struct api_error *e);
/* Authenticates a bearer token: --token-auth-file, then service-account tokens. Returns 0 and
 * fills user (release it), or -1. */
int auth_bearer(struct server *srv, const char *token, struct api_user *user);

/* ---- RBAC (rbac.c) ------------------------------------------------------------------------ */

struct rbac;
/* Builds the index of Roles, ClusterRoles and bindings from the store and follows it from then
 * on; also runs the ClusterRole aggregation controller. */
struct rbac *rbac_start(struct server *srv);
/* Stops following the store; r frees itself once its updates in flight are answered. NULL ok. */
void rbac_stop(struct rbac *r);
/* Does a binding that applies to user grant a (upstream's RBAC authorizer)? r may be NULL (no). */
int rbac_allowed(struct rbac *r, const struct api_user *user, const struct rbac_attrs *a);
/* A new array (caller frees) of the PolicyRules granted to user in ns (NULL: cluster bindings
 * only), for SelfSubjectRulesReview. */
cJSON *rbac_rules(struct rbac *r, const struct api_user *user, const char *ns);
/* Creates upstream's bootstrap roles and bindings that are missing and adds missing rules and
 * subjects to those whose autoupdate annotation is not "false" (asynchronous; logs failures). */
void rbac_bootstrap(struct server *srv);
/* Escalation prevention on a write of obj, a Role, ClusterRole or binding (0 for other kinds):
 * the user must hold what it grants, or the escalate (roles) / bind (bindings) verb. Returns 0,
 * or -1 with a 403 in req->err. */
int rbac_admit(struct api_req *req, const cJSON *obj);

/* ---- admission (admission.c) ------------------------------------------------------------ */

/* Upstream's default mutating admission plugins, on a new object after defaulting. Returns 0, or
 * -1 with req->err set (Priority: an unknown class). */
int admission_create(struct api_req *req, cJSON *obj);
/* The mutating plugins on an update, after the system fields are kept: DefaultTolerationSeconds,
 * and Priority keeping a pod's spec.priority and spec.preemptionPolicy when obj leaves them out. */
void admission_update(struct api_req *req, cJSON *obj, const cJSON *old);
/* A new CertificateSigningRequest's spec.username, uid, groups and extra: the requesting user's,
 * whatever the request said (upstream's PrepareForCreate; csr.c). */
void csr_set_requester(cJSON *obj, const struct api_user *user);
/* The validating plugins, on an object about to be written (old: NULL on create). Returns 0, or
 * -1 with req->err set. */
int admission_validate(struct api_req *req, const cJSON *obj, const cJSON *old);
/* The checks on a delete of req->name. Returns 0, or -1 with req->err set. */
int admission_delete(struct api_req *req);
/* Does kube's admission plugin (enum admission_plugin) run on req's server? */
int admission_enabled(const struct api_req *req, unsigned plugin);
/* admission_limits.c: the storage and quota plugins (StorageObjectInUseProtection,
 * DefaultStorageClass, LimitRanger, ResourceQuota). _create mutates a new object (called by
 * admission_create); _validate refuses a create outside the namespace's LimitRanges or beyond
 * its ResourceQuotas (called by admission_validate). Both return 0, or -1 with req->err set. */
int admission_limits_create(struct api_req *req, cJSON *obj);
int admission_limits_validate(struct api_req *req, const cJSON *obj, const cJSON *old);
struct quantity;
/* The current use in namespace ns of the quota resource ("pods", "requests.cpu",
 * "count/deployments.apps", "requests.storage") by the objects quota tracks (its scopes; NULL:
 * every object) into *q. Returns 0, or -1 for a resource kube does not count (*q is then 0). */
int quota_usage(struct store *st, const char *ns, const char *resource, const cJSON *quota, struct quantity *q);

/* ---- Service IPs and node ports (alloc.c) ------------------------------------------------ */

struct svc_alloc;
struct svc_grant;
/* Builds the allocator from the stored Services and follows the store from then on. */
struct svc_alloc *svc_alloc_start(struct server *srv);
void svc_alloc_stop(struct svc_alloc *a);
/* Upstream's patchAllocatedValues and dropTypeDependentFields for an update of old into svc. */
void svc_alloc_keep(cJSON *svc, const cJSON *old);
/* Takes the cluster IP and node ports svc needs (old: the stored version on update), filling
 * them in where unset. Returns 0 and the grant (give it back with svc_alloc_abort if the write
 * fails; free it with svc_alloc_done once committed), or -1 with errors added. */
int svc_alloc_prepare(struct svc_alloc *a, cJSON *svc, const cJSON *old, struct svc_grant **grant,
		      struct field_errors *errs);
void svc_alloc_abort(struct svc_alloc *a, struct svc_grant *g);
void svc_alloc_done(struct svc_grant *g);
/* The first service IP (the `kubernetes` Service's), into out. */
int svc_alloc_first_ip(const struct svc_alloc *a, char *out, size_t len);

/* ---- controllers ----------------------------------------------------------------------- */

struct ctrl_mgr;
/* Starts every controller and the scheduler (controllers.c); the ctrl_start_fn of the manager. */
void controllers_start(struct ctrl_mgr *m, void *data);

struct ctrl_namespace;
/* Starts the namespace controller (ctrl_namespace.c). */
struct ctrl_namespace *ctrl_namespace_start(struct server *srv);
/* Stops it; it frees itself once its requests in flight have been answered. */
void ctrl_namespace_stop(struct ctrl_namespace *c);

/* ---- service-account tokens (token.c) ---------------------------------------------------- */

/* Loads (or makes, on first start) the service-account signing key. Start-up only. */
int token_init(struct server *srv, struct buf *err);
/* POST serviceaccounts/NAME/token: a TokenRequest answered with a signed token. */
void api_token(struct api_req *req);
/* Authenticates a bearer token issued by api_token. Returns 0 and fills user, or -1. */
int token_authenticate(struct server *srv, const char *token, struct api_user *user);

/* ---- joining agents (join.c) ------------------------------------------------------------ */

/* Serves /v1-kube/... (node certificates for a join token, cluster settings for nodes): returns
 * 1 if the path was one of them (and the request was answered or is being answered). */
int join_serve(struct server *srv, struct http_request *hreq);

/* ---- pods/log (podlog.c) ----------------------------------------------------------------- */

/* GET pods/NAME/log: validates the options, then proxies the kubelet's container log (streamed
 * with follow=true). */
void api_pod_log(struct api_req *req);

/* ---- metrics (metrics.c) --------------------------------------------------------------- */

struct metrics;
struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
/* Counts an answered request (only those that came over HTTPS: req->http set) in
 * apiserver_request_total with its code. m may be NULL (nothing is counted). */
void metrics_request(struct metrics *m, const struct api_req *req, int code);
/* An HTTPS read (not a watch) starts / ends: apiserver_current_inflight_requests readOnly. */
void metrics_read_begin(struct metrics *m);
void metrics_read_end(struct metrics *m);
/* Answers GET /metrics (Prometheus text) for user, or refuses it (403 for users outside
 * system:masters and system:monitoring, 405 for other methods): returns 1 when h's path was
 * /metrics (and h was answered), else 0. */
int metrics_serve(struct server *srv, struct http_request *h, const struct api_user *user);

/* ---- bootstrap (bootstrap.c) ----------------------------------------------------------- */

/* Creates or loads the CA, serving and admin certificates, the join token and the admin
 * kubeconfig. Blocking; start-up only. */
int bootstrap_tls(struct server *srv, struct buf *err);
/* Creates the default namespaces that do not exist yet (asynchronous; logs failures), and
 * starts the reconciler that keeps the `kubernetes` Service, Endpoints and EndpointSlice in
 * `default` (re-created when deleted, every BOOTSTRAP_RECONCILE_MS, as upstream's bootstrap
 * controller does). */
void bootstrap_objects(struct server *srv);
/* Stops that reconciler (shutdown). */
void bootstrap_stop(struct server *srv);

#endif

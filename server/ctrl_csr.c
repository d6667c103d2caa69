/*
 * ctrl_csr.c - the CSR signing controller (upstream's csrsigning, with the cluster CA as the
 * signing files): an approved CertificateSigningRequest addressed to one of the signers below
 * gets status.certificate; a denied or failed one never does.
 *
 * DESIGN
 * An informer over certificates.k8s.io/v1 CSRs queues the name of every request that is
 * Approved, not Denied or Failed, without a certificate, for a signer served here:
 *   kubernetes.io/kube-apiserver-client          client certificates for any user (usages
 *                                                 within digital signature, key encipherment,
 *                                                 client auth; client auth required),
 *   kubernetes.io/kube-apiserver-client-kubelet  a kubelet's client certificate (CN
 *                                                 system:node:NAME, O system:nodes),
 *   kubernetes.io/legacy-unknown                 anything, as 1.20's controller-manager signed
 *                                                 it when given the cluster signing files.
 * A request a signer refuses gets the condition Failed (reason SignerValidationFailure), as
 * upstream. Otherwise the certificate carries the request's own subject (CN and O from the CSR,
 * checked against its self-signature) and public key, the EKUs asked for, and lasts
 * spec.expirationSeconds (at least 600 s) capped at the default of one year. Signing is an ECDSA
 * operation of a few milliseconds, so it runs in the thread pool (uv_queue_work); the result is
 * written through the status subresource with the object's resourceVersion as precondition (a
 * conflict requeues). While a signature is being computed the manager may stop: the work item
 * then frees itself when it comes back, and the controller state is freed last.
 */
#include "server/ctrl.h"
#include "server/csr.h"
#include "server/kinds.h"

#include <stdlib.h>
#include <string.h>

#include "lib/pki.h"

#define MANAGER "certificatesigningrequest-signing-controller"
#define DEFAULT_SECONDS (365LL * 24 * 3600)

struct csr_ctrl {
	struct ctrl_mgr *m;
	struct server *srv;
	const struct kind *k;
	struct informer *inf;
	struct workqueue *q;
	int stopped;
	int busy;  /* signatures in the thread pool */
};

struct sign_job {
	uv_work_t work;
	struct csr_ctrl *c;
	char *key;
	cJSON *obj;       /* the CSR as it was queued */
	char *ca, *ca_key, *pem;
	long long seconds;
	int client, server;
	char *cert;       /* the result, or NULL */
	struct buf err;
};

static void ctrl_free_if_done(struct csr_ctrl *c)
{
	if (c->stopped && !c->busy)
		free(c);
}

static void job_free(struct sign_job *j)
{
	free(j->key);
	cJSON_Delete(j->obj);
	free(j->ca);
	free(j->ca_key);
	free(j->pem);
	free(j->cert);
	buf_release(&j->err);
	free(j);
}

/* Is this request ours to sign now? */
static int wants_signing(const cJSON *obj)
{
	const char *signer = json_strv(obj, "spec", "signerName", NULL);
	const char *cert = json_strv(obj, "status", "certificate", NULL);
	return signer && (!strcmp(signer, CSR_CLIENT) || !strcmp(signer, CSR_CLIENT_KUBELET) ||
			  !strcmp(signer, CSR_LEGACY_UNKNOWN)) &&
	       csr_has_condition(obj, "Approved") && !csr_has_condition(obj, "Denied") &&
	       !csr_has_condition(obj, "Failed") && !(cert && *cert);
}

static void on_csr(enum informer_ev ev, const struct store_kv *kv, const struct store_kv *old, void *data)
{
	struct csr_ctrl *c = data;
	UNUSED(old);
	if (ev == INF_DELETE)
		return;
	cJSON *obj = obj_parse(kv);
	if (obj && wants_signing(obj))
		workqueue_add(c->q, json_strv(obj, "metadata", "name", NULL));
	cJSON_Delete(obj);
}

/* ---- signing (in the thread pool) ---------------------------------------------------------- */

/* Reads the usages into the job's EKU flags; returns the first usage the signer does not allow
 * (NULL if none). client_only: the kube-apiserver-client signers' set. */
static const char *read_usages(struct sign_job *j, const cJSON *usages, int client_only)
{
	const cJSON *u;
	cJSON_ArrayForEach(u, usages)
	{
		const char *s = cJSON_IsString(u) ? u->valuestring : "";
		if (!strcmp(s, "client auth"))
			j->client = 1;
		else if (!strcmp(s, "server auth") && !client_only)
			j->server = 1;
		else if (client_only && strcmp(s, "digital signature") && strcmp(s, "key encipherment"))
			return s;
	}
	return NULL;
}

/* The signer's own rules on the request's subject: a kubelet client is system:node:NAME in
 * system:nodes. Returns 0, or -1 with the reason in j->err. */
static int signer_accepts(struct sign_job *j, const char *cn, char **orgs, size_t norgs)
{
	const char *signer = json_strv(j->obj, "spec", "signerName", NULL);
	if (strcmp(signer, CSR_CLIENT_KUBELET))
		return 0;
	if (norgs != 1 || strcmp(orgs[0], "system:nodes") || !starts_with(cn, "system:node:") ||
	    !cn[strlen("system:node:")]) {
		buf_adds(&j->err, "subject must be CN=system:node:<name>, O=system:nodes");
		return -1;
	}
	return 0;
}

static void sign_work(uv_work_t *w)
{
	struct sign_job *j = w->data;
	char *cn = NULL, **orgs = NULL;
	size_t norgs = 0;
	if (pki_csr_subject(j->pem, &cn, &orgs, &norgs, &j->err) == 0 && signer_accepts(j, cn, orgs, norgs) == 0) {
		struct pki_subject subj = { .cn = cn, .orgs = (const char *const *)orgs, .norgs = norgs,
					    .client = j->client, .server = j->server, .seconds = j->seconds };
		pki_sign_csr(j->ca, j->ca_key, j->pem, &subj, &j->cert, &j->err);
	}
	free(cn);
	pki_free_strings(orgs, norgs);
}

/* ---- the result ---------------------------------------------------------------------------- */

static void written(int code, const char *body, size_t len, void *data)
{
	struct sign_job *j = data;
	struct csr_ctrl *c = j->c;
	if (code >= 300 && code != 404 && code != 409)
		log_warn("csr signer: cannot update %s (%d): %.*s", j->key, code, (int)MIN(len, 300), body);
	if (!c->stopped)
		workqueue_done(c->q, j->key, code == 409);
	c->busy--;
	job_free(j);
	ctrl_free_if_done(c);
}

/* Adds the condition Failed (SignerValidationFailure) with the reason in j->err. */
static void add_failed(struct sign_job *j)
{
	char now[21];
	format_rfc3339(wall_seconds(), now);
	cJSON *cond = cJSON_CreateObject();
	json_set_str(cond, "type", "Failed");
	json_set_str(cond, "status", "True");
	json_set_str(cond, "reason", "SignerValidationFailure");
	json_set_str(cond, "message", j->err.data ? j->err.data : "the signer refused the request");
	json_set_str(cond, "lastUpdateTime", now);
	json_set_str(cond, "lastTransitionTime", now);
	cJSON *st = json_obj_force(j->obj, "status");
	cJSON *conds = cJSON_GetObjectItemCaseSensitive(st, "conditions");
	if (!cJSON_IsArray(conds)) {
		conds = cJSON_CreateArray();
		json_set(st, "conditions", conds);
	}
	cJSON_AddItemToArray(conds, cond);
}

/* Writes the certificate (or Failed) through the status subresource; ends the job. */
static void job_finish(struct sign_job *j)
{
	struct csr_ctrl *c = j->c;
	if (c->stopped) {
		c->busy--;
		job_free(j);
		ctrl_free_if_done(c);
		return;
	}
	if (j->cert) {
		struct buf b64 = BUF_INIT;
		pki_base64(j->cert, strlen(j->cert), &b64);
		json_set_str(json_obj_force(j->obj, "status"), "certificate", b64.data);
		buf_release(&b64);
	} else {
		log_info("csr signer: %s failed: %s", j->key, j->err.data ? j->err.data : "");
		add_failed(j);
	}
	ctrl_update(c->m, MANAGER, c->k, NULL, j->key, "status", j->obj, written, j);
}

static void sign_done(uv_work_t *w, int status)
{
	UNUSED(status);
	job_finish(w->data);
}

/* ---- the queue ----------------------------------------------------------------------------- */

/* Reads what the job needs from the CSR; returns 0 to sign, 1 to mark it Failed at once. */
static int job_prepare(struct sign_job *j)
{
	const cJSON *spec = json_obj(j->obj, "spec");
	const char *signer = json_str(spec, "signerName");
	int client_only = strcmp(signer, CSR_LEGACY_UNKNOWN) != 0;
	struct buf pem = BUF_INIT;
	if (csr_request_pem(spec, &pem, &j->err) < 0) {
		buf_release(&pem);
		return 1;
	}
	j->pem = buf_detach(&pem, NULL);
	const char *bad = read_usages(j, cJSON_GetObjectItemCaseSensitive(spec, "usages"), client_only);
	if (bad) {
		buf_addf(&j->err, "invalid usage for client certificate: %s", bad);
		return 1;
	}
	if (client_only && !j->client) {
		buf_adds(&j->err, "missing required usages: client auth");
		return 1;
	}
	int64_t exp = 0;
	j->seconds = DEFAULT_SECONDS;
	if (json_int(spec, "expirationSeconds", &exp) == 0 && exp > 0 && exp < DEFAULT_SECONDS)
		j->seconds = exp;
	return 0;
}

static void sync_csr(struct workqueue *q, const char *key, void *data)
{
	struct csr_ctrl *c = data;
	struct store_kv *kv = informer_get(c->inf, NULL, key);
	cJSON *obj = kv ? obj_parse(kv) : NULL;
	if (!obj || !wants_signing(obj)) {
		cJSON_Delete(obj);
		workqueue_done(q, key, 0);
		return;
	}
	struct sign_job *j = xcalloc(1, sizeof(*j));
	j->c = c;
	j->key = xstrdup(key);
	j->obj = obj;
	j->work.data = j;
	c->busy++;
	if (job_prepare(j) == 0) {
		j->ca = xstrdup(c->srv->ca_pem);
		j->ca_key = xstrdup(c->srv->ca_key_pem);
		if (uv_queue_work(c->srv->loop, &j->work, sign_work, sign_done) == 0)
			return;
		buf_adds(&j->err, "cannot start signing");
	}
	job_finish(j);
}

/* The requests stored before this server led. */
static int initial(struct store_kv *kv, void *data)
{
	on_csr(INF_ADD, kv, NULL, data);
	return 0;
}

static void on_stop(void *data)
{
	struct csr_ctrl *c = data;
	c->stopped = 1;
	ctrl_free_if_done(c);
}

void ctrl_csr_start(struct ctrl_mgr *m)
{
	struct csr_ctrl *c = xcalloc(1, sizeof(*c));
	c->m = m;
	c->srv = ctrl_server(m);
	c->k = kind_by_resource("certificates.k8s.io", "v1", "certificatesigningrequests");
	c->inf = informer_of(m, c->k);
	c->q = workqueue_new(m, "csrsigning", 2, sync_csr, c);
	informer_on(c->inf, on_csr, c);
	ctrl_on_stop(m, on_stop, c);
	informer_list(c->inf, NULL, NULL, initial, c);
}

/*
 * kubeletapi.c - the kubelet's HTTPS API on --kubelet-port (10250).
 *
 * DESIGN
 * Served with the serving certificate the node got when it joined (IP SANs = the node's
 * addresses), asking for client certificates verified against the cluster CA. /healthz is open
 * (as upstream's healthz on the kubelet port); everything else needs a client certificate, and
 * only the API server's kubelet-client identity (CN kube-apiserver-kubelet-client, issued by the
 * server's bootstrap) is allowed: no certificate is 401, another identity 403 (upstream's
 * kubelet authorizes through the API server; this kubelet trusts only that one identity).
 * Routes: GET /containerLogs/NAMESPACE/POD/CONTAINER (logs.c). Others are 404.
 */
#include "agent/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/http.h"

struct kubelet_api {
	struct agent *a;
	struct http_server *http;
};

static void respond_text(struct http_request *req, int code, const char *text)
{
	http_respond(req, code, "text/plain; charset=utf-8", NULL, 0, text, strlen(text));
}

/* Splits "/containerLogs/ns/pod/container" into its decoded segments. Returns 0 or -1. */
static int split_logs_path(const char *path, struct buf seg[3])
{
	const char *p = path + strlen("/containerLogs/");
	for (int i = 0; i < 3; i++) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (!n || (i < 2 && !slash) || (i == 2 && slash) || http_unescape(p, n, 0, &seg[i]) < 0)
			return -1;
		p += n + 1;
	}
	return 0;
}

static void on_request(struct http_request *req, void *data)
{
	struct kubelet_api *k = data;
	if (!strcmp(req->path, "/healthz")) {
		respond_text(req, 200, "ok");
		return;
	}
	if (!req->peer || !req->peer->cn) {
		respond_text(req, 401, "Unauthorized");
		return;
	}
	if (strcmp(req->peer->cn, AGENT_APISERVER_CLIENT_CN)) {
		char msg[256];
		snprintf(msg, sizeof(msg), "Forbidden (user=%.100s, verb=get, resource=nodes, subresource=proxy)", req->peer->cn);
		respond_text(req, 403, msg);
		return;
	}
	if (!starts_with(req->path, "/containerLogs/")) {
		respond_text(req, 404, "404 page not found");
		return;
	}
	struct buf seg[3] = { BUF_INIT, BUF_INIT, BUF_INIT };
	if (strcmp(req->method, "GET") && strcmp(req->method, "HEAD"))
		respond_text(req, 405, "method not allowed");
	else if (split_logs_path(req->path, seg) < 0)
		respond_text(req, 400, "want /containerLogs/NAMESPACE/POD/CONTAINER");
	else
		logs_serve(k->a, req, seg[0].data, seg[1].data, seg[2].data);
	for (int i = 0; i < 3; i++)
		buf_release(&seg[i]);
}

int kubeletapi_start(struct agent *a, struct buf *err)
{
	struct kubelet_api *k = xcalloc(1, sizeof(*k));
	struct http_server_config hc;
	http_server_config_init(&hc);
	hc.bind_address = a->cfg->kubelet_address;
	hc.port = a->cfg->kubelet_port;
	hc.cert_pem = a->serving_cert_pem;
	hc.key_pem = a->serving_key_pem;
	hc.client_ca_pem = a->ca_pem;
	hc.max_conns = 256;
	hc.on_request = on_request;
	hc.data = k;
	k->a = a;
	int r = http_server_start(a->loop, &hc, &k->http, err);
	if (r < 0) {
		free(k);
		return r;
	}
	a->kapi = k;
	log_info("agent: kubelet API on https://%s:%d", a->cfg->kubelet_address, http_server_port(k->http));
	return 0;
}

void kubeletapi_stop(struct agent *a)
{
	struct kubelet_api *k = a->kapi;
	if (k && k->http) {
		http_server_close(k->http, NULL, NULL);
		k->http = NULL;
	}
}

void kubeletapi_free(struct agent *a)
{
	free(a->kapi);
	a->kapi = NULL;
}

/*
 * fuzz-request.c - libFuzzer target for the whole request path: raw bytes into an HTTP
 * connection (the in-memory transport, authenticated as system:admin) through the parser, the
 * router, the handlers and the datastore, until every response is written.
 *
 * The datastore lives in a temporary directory on /dev/shm (fsync is cheap there) and keeps the
 * state of earlier inputs, so later inputs meet existing objects, conflicts and watches.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <ftw.h>
#include <sys/stat.h>

#include "server/internal.h"

static uv_loop_t loop;
static struct server srv;
static struct server_config cfg;

static void sink(void *arg, const char *data, size_t len)
{
	(void)arg;
	(void)data;
	(void)len;
}

/* Runs the loop until no connection is left (all requests answered), for at most 10 s. */
static void drain(void)
{
	for (int i = 0; i < 200000 && http_server_conns(srv.http); i++) {
		if (!uv_run(&loop, UV_RUN_NOWAIT))
			usleep(50);
	}
	if (http_server_conns(srv.http)) {
		fprintf(stderr, "fuzz-request: a request never finished\n");
		abort();
	}
}

static char dir[] = "/dev/shm/kube-fuzz-XXXXXX";

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The datastore directory goes when the fuzzer exits. */
static void cleanup(void)
{
	nftw(dir, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct buf err = BUF_INIT;
	struct store_config sc;
	struct http_server_config hc;
	if (!mkdtemp(dir))
		abort();
	atexit(cleanup);
	log_init(LOG_ERROR, NULL);
	registry_init();
	uv_loop_init(&loop);
	cfg.max_mutating_inflight = 400;
	cidr_parse("10.43.0.0/16", &cfg.service_cidr);
	cfg.bind_address = "127.0.0.1";
	cfg.cluster_domain = "cluster.local";
	cfg.tls_dir = dir;
	srv.cfg = &cfg;
	srv.loop = &loop;
	srv.ca_pem = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";
	if (token_init(&srv, &err) < 0) {
		fprintf(stderr, "token_init: %s\n", buf_str(&err));
		abort();
	}
	store_config_init(&sc);
	char *path = xasprintf("%s/state.db", dir);
	sc.path = path;
	sc.index = obj_index;
	sc.attrs_free = obj_attrs_free;
	if (store_open(&loop, &sc, &srv.store, &err) < 0) {
		fprintf(stderr, "store_open: %s\n", buf_str(&err));
		abort();
	}
	http_server_config_init(&hc);
	hc.bind_address = NULL;
	hc.on_request = router_request;
	hc.on_error = status_http_error;
	hc.data = &srv;
	if (http_server_start(&loop, &hc, &srv.http, &err) < 0) {
		fprintf(stderr, "http_server_start: %s\n", buf_str(&err));
		abort();
	}
	srv.svc_alloc = svc_alloc_start(&srv);
	bootstrap_objects(&srv);
	for (int i = 0; i < 1000; i++)
		uv_run(&loop, UV_RUN_NOWAIT), usleep(100);
	free(path);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const masters[] = { "system:masters" };
	struct http_conn *c = http_conn_new_memory(srv.http, sink, NULL);
	http_conn_set_identity(c, "system:admin", masters, 1);
	http_conn_feed(c, (const char *)data, size);
	http_conn_close(c);
	drain();
	return 0;
}

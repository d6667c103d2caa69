/*
 * proxy_bench.c - the service proxy's sync time: N Services x 10 endpoints (EndpointSlices as
 * the API serves them, parsed as the informer does) through the real code path
 * (proxy_rules_build -> one libnftnl batch -> the kernel), against `nft -f` of the same ruleset
 * printed as a file, in the same run; then one incremental change (an endpoint added to one
 * Service) at the largest size. Needs root (nftables). Uses a table of its own name, deleted at
 * the end. Usage: proxy_bench [N...] (default 1000 5000 10000).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/proxy_rules.h"
#include "lib/json.h"
#include "lib/util.h"
#include "netfilter/nft.h"

#define EPS 10

static double ms_since(uint64_t t0)
{
	return (double)(now_ns() - t0) / 1e6;
}

static cJSON *parse(struct buf *b)
{
	cJSON *j = json_parse(b->data, b->len, NULL);
	buf_reset(b);
	if (!j)
		die("bad generated JSON");
	return j;
}

static void gen(size_t n, cJSON **svcs, cJSON **slices)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		buf_addf(&b, "{\"metadata\":{\"namespace\":\"bench\",\"name\":\"svc-%zu\"},\"spec\":{\"type\":\"ClusterIP\","
			 "\"clusterIP\":\"172.16.%zu.%zu\",\"ports\":[{\"name\":\"http\",\"port\":80,\"protocol\":\"TCP\","
			 "\"targetPort\":8080}]}}", i, i / 250, i % 250 + 1);
		svcs[i] = parse(&b);
		buf_addf(&b, "{\"metadata\":{\"namespace\":\"bench\",\"name\":\"svc-%zu-abcde\",\"labels\":"
			 "{\"kubernetes.io/service-name\":\"svc-%zu\"}},\"addressType\":\"IPv4\",\"ports\":[{\"name\":"
			 "\"http\",\"port\":8080,\"protocol\":\"TCP\"}],\"endpoints\":[", i, i);
		for (size_t j = 0; j < EPS; j++) {
			size_t k = i * EPS + j;
			buf_addf(&b, "%s{\"addresses\":[\"10.%zu.%zu.%zu\"],\"conditions\":{\"ready\":true},\"nodeName\":"
				 "\"n%zu\"}", j ? "," : "", 100 + k / 62500, k / 250 % 250, k % 250 + 1, j);
		}
		buf_adds(&b, "]}");
		slices[i] = parse(&b);
	}
	buf_release(&b);
}

static struct nf_ruleset *model(const char *table, cJSON **svcs, cJSON **slices, size_t n, double *ms)
{
	struct proxy_input in = { table, "n0", "10.100.0.0/14", "172.16.0.0/16", NULL, (const cJSON *const *)svcs, n,
				  (const cJSON *const *)slices, n, NULL, 0 };
	uint64_t t0 = now_ns();
	struct nf_ruleset *rs = proxy_rules_build(&in, NULL);
	*ms = ms_since(t0);
	return rs;
}

/* Times `nft -f` of rs printed as a file (the table deleted first, so both start empty). */
static double nft_file(const struct nf_ruleset *rs, const char *table)
{
	char path[] = "/tmp/proxy_bench.XXXXXX";
	int fd = mkstemp(path);
	struct buf b = BUF_INIT, err = BUF_INIT;
	nf_ruleset_print(rs, &b);
	if (fd < 0 || write(fd, b.data, b.len) != (ssize_t)b.len)
		die("cannot write %s", path);
	close(fd);
	nf_table_delete(table, &err);
	char *cmd = xasprintf("nft -f %s", path);
	uint64_t t0 = now_ns();
	int rc = system(cmd);
	double ms = ms_since(t0);
	unlink(path);
	free(cmd);
	buf_release(&b);
	buf_release(&err);
	if (rc != 0)
		die("nft -f failed");
	return ms;
}

static void run(size_t n, const char *table, int incremental)
{
	cJSON **svcs = xcalloc(n, sizeof(cJSON *)), **slices = xcalloc(n, sizeof(cJSON *));
	struct buf err = BUF_INIT;
	double tm, ta;
	size_t chains, rules, elems;
	gen(n, svcs, slices);
	nf_table_delete(table, &err);
	struct nf_ruleset *rs = model(table, svcs, slices, n, &tm);
	nf_ruleset_stats(rs, &chains, &rules, &elems);
	uint64_t t0 = now_ns();
	if (nf_apply_full(rs, &err) < 0)
		die("sync failed: %s", buf_str(&err));
	ta = ms_since(t0);
	double tn = nft_file(rs, table);
	printf("%6zu services x %d endpoints (%zu chains, %zu rules, %zu elements): kube %.0f ms (model %.0f + "
	       "batch %.0f), nft -f %.0f ms, ratio %.2f\n", n, EPS, chains, rules, elems, tm + ta, tm, ta, tn,
	       (tm + ta) / tn);
	if (incremental) {
		/* the kernel holds rs again (the nft -f run replaced it with the same ruleset) */
		cJSON *eps = json_getv(slices[n / 2], "endpoints", NULL);
		cJSON_AddItemToArray(eps, json_parse("{\"addresses\":[\"10.250.0.1\"],\"conditions\":{\"ready\":true}}",
						     60, NULL));
		struct nf_ruleset *rs2 = model(table, svcs, slices, n, &tm);
		size_t msgs = 0;
		t0 = now_ns();
		if (nf_apply_diff(rs, rs2, &msgs, &err) < 0)
			die("incremental sync failed: %s", buf_str(&err));
		ta = ms_since(t0);
		printf("%6zu services, one endpoint added: kube %.1f ms (model %.1f + batch of %zu messages %.1f), "
		       "ratio to the full sync %.3f\n", n, tm + ta, tm, msgs, ta, (tm + ta) / tn);
		nf_ruleset_free(rs2);
	}
	nf_table_delete(table, &err);
	if (nf_table_exists(table) != 0)
		die("table ip %s is still there", table);
	nf_ruleset_free(rs);
	for (size_t i = 0; i < n; i++) {
		cJSON_Delete(svcs[i]);
		cJSON_Delete(slices[i]);
	}
	free(svcs);
	free(slices);
	buf_release(&err);
}

int main(int argc, char **argv)
{
	size_t sizes[8] = { 1000, 5000, 10000 }, ns = 3;
	char table[32];
	if (argc > 1)
		for (ns = 0; ns < 8 && (int)ns + 1 < argc; ns++)
			sizes[ns] = (size_t)strtoul(argv[ns + 1], NULL, 10);
	snprintf(table, sizeof(table), "kbench%x", (unsigned)getpid());
	printf("service proxy sync (table ip %s; ratio: kube / nft -f of the same ruleset)\n", table);
	for (size_t i = 0; i < ns; i++)
		run(sizes[i], table, i + 1 == ns);
	return 0;
}

/* Unit tests for the scheduler's pure parts (server/sched_pod.c, sched_filter.c, sched_score.c,
 * sched_queue.c): requests, filters and their messages, scores, the failure message and the
 * queue, with pods and nodes written as JSON fixtures. Expected values follow upstream's plugin
 * tests and formulas (pkg/scheduler/framework/plugins). */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/sched.h"

/* Parses JSON written with ' for " (fixtures only). */
static cJSON *js(const char *s)
{
	char *t = xstrdup(s);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	cJSON *j = json_parse(t, strlen(t), NULL);
	free(t);
	return j;
}

static struct sched_pod *pod(const char *json)
{
	cJSON *o = js(json);
	struct sched_pod *p = sched_pod_parse(o);
	cJSON_Delete(o);
	return p;
}

/* A node named name with cpu/memory/pods allocatable and extra JSON members merged in (labels,
 * spec). */
static struct sched_node *node(struct sched_cluster *c, const char *name, const char *cpu, const char *mem,
			       const char *extra_meta, const char *spec)
{
	char *s = xasprintf("{'metadata':{'name':'%s'%s%s},'spec':%s,'status':{'allocatable':{'cpu':'%s','memory':'%s',"
			    "'pods':'110'}}}",
			    name, extra_meta ? "," : "", extra_meta ? extra_meta : "", spec ? spec : "{}", cpu, mem);
	cJSON *o = js(s);
	struct sched_node *n = sched_cluster_set_node(c, o);
	cJSON_Delete(o);
	free(s);
	return n;
}

/* Binds a fixture pod to n (dropping the caller's reference). */
static void bind_to(struct sched_node *n, struct sched_pod *p)
{
	sched_node_add_pod(n, p);
	sched_pod_unref(p);
}

/* Runs every filter for p on n; returns "" when it passes, else the reasons joined by "; "
 * (static buffer). */
static const char *verdict(struct sched_cluster *c, const struct sched_pod *p, const struct sched_node *n)
{
	static char out[512];
	struct sched_cycle cy;
	struct sched_status st = { 0 };
	sched_cycle_init(&cy, c, p);
	out[0] = 0;
	if (!sched_filter_all(&cy, n, &st))
		for (size_t i = 0; i < st.n; i++)
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s", i ? "; " : "", st.reasons[i]);
	sched_status_release(&st);
	sched_cycle_release(&cy);
	return out;
}

TEST_IMPL(sched_requests)
{
	struct sched_pod *p = pod("{'metadata':{'name':'a','namespace':'d'},'spec':{"
				  "'containers':[{'name':'a','resources':{'requests':{'cpu':'100m','memory':'64Mi'}}},"
				  "{'name':'b','resources':{'requests':{'cpu':'250m','example.com/gpu':'1'}}}],"
				  "'initContainers':[{'name':'i','resources':{'requests':{'cpu':'1','memory':'1Gi'}}},"
				  "{'name':'s','restartPolicy':'Always','resources':{'requests':{'cpu':'50m'}}},"
				  "{'name':'j','resources':{'requests':{'cpu':'500m'}}}],"
				  "'overhead':{'cpu':'10m','memory':'1Mi'}}}");
	/* containers 350m + sidecar 50m = 400m < init max(1, 500m+50m) = 1000m; + overhead. */
	ASSERT_EQ(p->req.cpu, 1010);
	ASSERT_EQ(p->req.mem, 1024LL * 1024 * 1024 + 1024 * 1024);
	ASSERT_EQ(sched_res_scalar(&p->req, "example.com/gpu"), 1);
	/* Scoring: container b has no memory request, so it counts 200 MB. */
	ASSERT_EQ(p->nz_mem, 1024LL * 1024 * 1024 + 1024 * 1024);
	sched_pod_unref(p);
	p = pod("{'metadata':{'name':'b','namespace':'d'},'spec':{'containers':[{'name':'a'}]}}");
	ASSERT_EQ(p->req.cpu, 0);
	ASSERT_EQ(p->nz_cpu, SCHED_DEFAULT_MILLI_CPU);
	ASSERT_EQ(p->nz_mem, SCHED_DEFAULT_MEMORY);
	ASSERT_STR(p->scheduler, "default-scheduler");
	sched_pod_unref(p);
	return 0;
}

TEST_IMPL(sched_tolerations)
{
	struct sched_taint t = { "k", "v", "NoSchedule" };
	struct sched_toleration eq = { "k", "Equal", "v", "", -1 }, other = { "k", "Equal", "w", "", -1 };
	struct sched_toleration exists = { "", "Exists", "", "", -1 }, effect = { "k", "Exists", "", "NoExecute", -1 };
	struct sched_toleration dflt = { "k", "", "v", "NoSchedule", -1 };
	ASSERT(sched_tolerates(&eq, &t));
	ASSERT(!sched_tolerates(&other, &t));
	ASSERT(sched_tolerates(&exists, &t));
	ASSERT(!sched_tolerates(&effect, &t));
	ASSERT(sched_tolerates(&dflt, &t));
	return 0;
}

TEST_IMPL(sched_filter_node_rules)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	struct sched_node *cordoned = node(&c, "a", "4", "8Gi", NULL, "{'unschedulable':true}");
	struct sched_node *tainted = node(&c, "b", "4", "8Gi", NULL,
					  "{'taints':[{'key':'soft','effect':'PreferNoSchedule'},{'key':'dedicated','value':'gpu','effect':'NoSchedule'}]}");
	struct sched_node *zoned = node(&c, "c", "4", "8Gi", "'labels':{'zone':'z1','rank':'5'}", NULL);
	struct sched_pod *p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'a'}]}}");
	ASSERT_STR(verdict(&c, p, cordoned), "node(s) were unschedulable");
	ASSERT_STR(verdict(&c, p, tainted), "node(s) had untolerated taint {dedicated: gpu}");
	ASSERT_STR(verdict(&c, p, zoned), "");
	sched_pod_unref(p);
	p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'tolerations':[{'key':'node.kubernetes.io/unschedulable',"
		"'operator':'Exists','effect':'NoSchedule'},{'key':'dedicated','operator':'Equal','value':'gpu'}],"
		"'nodeSelector':{'zone':'z1'}}}");
	ASSERT_STR(verdict(&c, p, cordoned), "node(s) didn't match Pod's node affinity/selector");
	ASSERT_STR(verdict(&c, p, zoned), "");
	sched_pod_unref(p);
	p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'affinity':{'nodeAffinity':{'requiredDuringSchedulingIgnoredDuringExecution':"
		"{'nodeSelectorTerms':[{'matchExpressions':[{'key':'rank','operator':'Gt','values':['7']}]},"
		"{'matchFields':[{'key':'metadata.name','operator':'In','values':['c']}],"
		"'matchExpressions':[{'key':'zone','operator':'NotIn','values':['z2']}]}]}}}}}");
	ASSERT(sched_node_matches_pod(p, zoned));
	ASSERT(!sched_node_matches_pod(p, cordoned));
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_filter_ports)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	struct sched_node *n = node(&c, "a", "4", "8Gi", NULL, NULL);
	bind_to(n, pod("{'metadata':{'name':'x','namespace':'d'},'spec':{'containers':[{'name':'a','ports':"
		       "[{'containerPort':80,'hostPort':8080,'hostIP':'10.0.0.1'}]}]}}"));
	struct sched_pod *same = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'a','ports':"
				     "[{'containerPort':80,'hostPort':8080}]}]}}");
	struct sched_pod *other_ip = pod("{'metadata':{'name':'q','namespace':'d'},'spec':{'containers':[{'name':'a','ports':"
					 "[{'containerPort':80,'hostPort':8080,'hostIP':'10.0.0.2'}]}]}}");
	struct sched_pod *udp = pod("{'metadata':{'name':'r','namespace':'d'},'spec':{'containers':[{'name':'a','ports':"
				    "[{'containerPort':80,'hostPort':8080,'protocol':'UDP'}]}]}}");
	ASSERT_STR(verdict(&c, same, n), "node(s) didn't have free ports for the requested pod ports");
	ASSERT_STR(verdict(&c, other_ip, n), "");
	ASSERT_STR(verdict(&c, udp, n), "");
	sched_pod_unref(same);
	sched_pod_unref(other_ip);
	sched_pod_unref(udp);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_filter_fit)
{
	struct sched_cluster c;
	struct sched_status st = { 0 };
	sched_cluster_init(&c);
	struct sched_node *n = node(&c, "a", "2", "1Gi", NULL, NULL);
	bind_to(n, pod("{'metadata':{'name':'x','namespace':'d'},'spec':{'containers':[{'name':'a','resources':"
		       "{'requests':{'cpu':'1500m','memory':'512Mi'}}}]}}"));
	struct sched_pod *p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'a','resources':"
				  "{'requests':{'cpu':'1','memory':'600Mi','example.com/gpu':'1'}}}]}}");
	ASSERT_STR(verdict(&c, p, n), "Insufficient cpu; Insufficient memory; Insufficient example.com/gpu");
	/* Freed by preemption: Unschedulable; beyond the node's whole allocatable: unresolvable. */
	ASSERT(!sched_filter_fit(p, n, NULL, 0, &st));
	ASSERT_EQ(st.code, SCHED_UNRESOLVABLE);
	sched_status_release(&st);
	sched_pod_unref(p);
	p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'a','resources':"
		"{'requests':{'cpu':'1'}}}]}}");
	ASSERT(!sched_filter_fit(p, n, NULL, 0, &st));
	ASSERT_EQ(st.code, SCHED_UNSCHEDULABLE);
	sched_status_release(&st);
	sched_pod_unref(p);
	/* Nominated pods of equal or higher priority count against the node. */
	p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'containers':[{'name':'a','resources':"
		"{'requests':{'cpu':'300m'}}}]}}");
	ASSERT_STR(verdict(&c, p, n), "");
	struct sched_pod *nom = pod("{'metadata':{'name':'n','namespace':'d','uid':'u1'},'spec':{'priority':5,'containers':"
				    "[{'name':'a','resources':{'requests':{'cpu':'300m'}}}]}}");
	sched_cluster_nominate(&c, nom, "a");
	ASSERT_STR(verdict(&c, p, n), "Insufficient cpu");
	sched_cluster_unnominate(&c, nom, "a");
	sched_pod_unref(nom);
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_filter_too_many_pods)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	cJSON *o = js("{'metadata':{'name':'a'},'status':{'capacity':{'cpu':'1','memory':'1Gi','pods':'1'}}}");
	struct sched_node *n = sched_cluster_set_node(&c, o);
	cJSON_Delete(o);
	ASSERT_EQ(n->alloc.pods, 1); /* allocatable defaults to capacity */
	bind_to(n, pod("{'metadata':{'name':'x','namespace':'d'},'spec':{}}"));
	struct sched_pod *p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{}}");
	ASSERT_STR(verdict(&c, p, n), "Too many pods");
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_filter_spread)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	struct sched_node *a1 = node(&c, "a1", "4", "8Gi", "'labels':{'zone':'a'}", NULL);
	struct sched_node *b1 = node(&c, "b1", "4", "8Gi", "'labels':{'zone':'b'}", NULL);
	struct sched_node *bare = node(&c, "x", "4", "8Gi", NULL, NULL);
	bind_to(a1, pod("{'metadata':{'name':'w1','namespace':'d','labels':{'app':'w'}}}"));
	bind_to(a1, pod("{'metadata':{'name':'w2','namespace':'other','labels':{'app':'w'}}}"));
	struct sched_pod *p = pod("{'metadata':{'name':'p','namespace':'d','labels':{'app':'w'}},'spec':"
				  "{'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'zone','whenUnsatisfiable':"
				  "'DoNotSchedule','labelSelector':{'matchLabels':{'app':'w'}}}]}}");
	/* zone a has 1 matching pod (the other namespace does not count), zone b none. */
	ASSERT_STR(verdict(&c, p, a1), "node(s) didn't match pod topology spread constraints");
	ASSERT_STR(verdict(&c, p, b1), "");
	ASSERT_STR(verdict(&c, p, bare), "node(s) didn't match pod topology spread constraints (missing required label)");
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_filter_interpod)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	struct sched_node *a = node(&c, "a", "4", "8Gi", "'labels':{'zone':'z1'}", NULL);
	struct sched_node *b = node(&c, "b", "4", "8Gi", "'labels':{'zone':'z2'}", NULL);
	const char *aff = "{'metadata':{'name':'p','namespace':'d','labels':{'app':'web'}},'spec':{'affinity':{'podAffinity':"
			  "{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone','labelSelector':"
			  "{'matchLabels':{'app':'db'}}}]}}}}";
	struct sched_pod *p = pod(aff);
	/* No db pod anywhere and the pod is not a db itself: nowhere. */
	ASSERT_STR(verdict(&c, p, a), "node(s) didn't match pod affinity rules");
	bind_to(b, pod("{'metadata':{'name':'db','namespace':'d','labels':{'app':'db'}}}"));
	ASSERT_STR(verdict(&c, p, a), "node(s) didn't match pod affinity rules");
	ASSERT_STR(verdict(&c, p, b), "");
	sched_pod_unref(p);
	/* The first of a group that has affinity to itself may go anywhere. */
	p = pod("{'metadata':{'name':'p','namespace':'d','labels':{'app':'solo'}},'spec':{'affinity':{'podAffinity':"
		"{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone','labelSelector':"
		"{'matchLabels':{'app':'solo'}}}]}}}}");
	ASSERT_STR(verdict(&c, p, a), "");
	sched_pod_unref(p);
	p = pod("{'metadata':{'name':'p','namespace':'d','labels':{'app':'web'}},'spec':{'affinity':{'podAntiAffinity':"
		"{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone','labelSelector':"
		"{'matchLabels':{'app':'db'}}}]}}}}");
	ASSERT_STR(verdict(&c, p, b), "node(s) didn't match pod anti-affinity rules");
	ASSERT_STR(verdict(&c, p, a), "");
	sched_pod_unref(p);
	/* An existing pod's anti-affinity keeps matching pods out of its zone. */
	bind_to(a, pod("{'metadata':{'name':'loner','namespace':'d'},'spec':{'affinity':{'podAntiAffinity':"
		       "{'requiredDuringSchedulingIgnoredDuringExecution':[{'topologyKey':'zone','labelSelector':"
		       "{'matchLabels':{'app':'noisy'}}}]}}}}"));
	p = pod("{'metadata':{'name':'p','namespace':'d','labels':{'app':'noisy'}}}");
	ASSERT_STR(verdict(&c, p, a), "node(s) didn't satisfy existing pods anti-affinity rules");
	ASSERT_STR(verdict(&c, p, b), "");
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_fit_message)
{
	struct hmap h = HMAP_INIT;
	struct sched_status cpu = { 0 }, taint = { 0 };
	sched_status_fail(&cpu, SCHED_UNSCHEDULABLE, SP_FIT, "Insufficient cpu");
	sched_status_fail(&taint, SCHED_UNRESOLVABLE, SP_TAINT, "node(s) had untolerated taint {key: value}");
	sched_histogram_add(&h, &cpu, 1);
	sched_histogram_add(&h, &taint, 2);
	char *m = sched_fit_message(3, &h, "preemption: 0/3 nodes are available: 1 No preemption victims found for "
					   "incoming pod, 2 Preemption is not helpful for scheduling.");
	ASSERT_STR(m, "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {key: value}. "
		      "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption "
		      "is not helpful for scheduling..");
	free(m);
	/* Upstream sorts the "count reason" strings: "10 ..." before "9 ...". */
	sched_histogram_add(&h, &cpu, 9);
	m = sched_fit_message(12, &h, NULL);
	ASSERT_STR(m, "0/12 nodes are available: 10 Insufficient cpu, 2 node(s) had untolerated taint {key: value}.");
	free(m);
	sched_status_release(&cpu);
	sched_status_release(&taint);
	hmap_release(&h);
	return 0;
}

TEST_IMPL(sched_scores)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	struct sched_node *n = node(&c, "a", "4", "10000", NULL,
				    "{'taints':[{'key':'x','effect':'PreferNoSchedule'},{'key':'y','effect':'PreferNoSchedule'}]}");
	bind_to(n, pod("{'metadata':{'name':'x','namespace':'d'},'spec':{'containers':[{'name':'a','resources':"
		       "{'requests':{'cpu':'1','memory':'2000'}}}]}}"));
	struct sched_pod *p = pod("{'metadata':{'name':'p','namespace':'d'},'spec':{'tolerations':[{'key':'x','operator':"
				  "'Exists'}],'containers':[{'name':'a','resources':{'requests':{'cpu':'1','memory':'3000'}}}],"
				  "'affinity':{'nodeAffinity':{'preferredDuringSchedulingIgnoredDuringExecution':["
				  "{'weight':7,'preference':{'matchFields':[{'key':'metadata.name','operator':'In','values':['a']}]}},"
				  "{'weight':3,'preference':{'matchExpressions':[{'key':'gpu','operator':'Exists'}]}}]}}}}");
	/* cpu (4-2)/4 = 50, memory (10000-5000)/10000 = 50. */
	ASSERT_EQ(sched_score_least_allocated(p, n), 50);
	/* fractions 0.5 and 0.5: no deviation. */
	ASSERT_EQ(sched_score_balanced(p, n), 100);
	ASSERT_EQ(sched_score_taints(p, n), 1);
	ASSERT_EQ(sched_score_node_affinity(p, n), 7);
	int64_t s[3] = { 1, 0, 2 };
	sched_normalize(s, 3, 1);
	ASSERT_EQ(s[0], 50);
	ASSERT_EQ(s[1], 100);
	ASSERT_EQ(s[2], 0);
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_score_spreads_replicas)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	struct sched_node *a = node(&c, "a", "4", "8Gi", "'labels':{'kubernetes.io/hostname':'a'}", NULL);
	struct sched_node *b = node(&c, "b", "4", "8Gi", "'labels':{'kubernetes.io/hostname':'b'}", NULL);
	bind_to(a, pod("{'metadata':{'name':'w1','namespace':'d','labels':{'app':'w'}}}"));
	bind_to(a, pod("{'metadata':{'name':'w2','namespace':'d','labels':{'app':'w'}}}"));
	struct sched_pod *p = pod("{'metadata':{'name':'p','namespace':'d','labels':{'app':'w'}},'spec':"
				  "{'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'kubernetes.io/hostname',"
				  "'whenUnsatisfiable':'ScheduleAnyway','labelSelector':{'matchLabels':{'app':'w'}}}]}}");
	struct sched_cycle cy;
	struct sched_node *nodes[2] = { a, b };
	int64_t total[2];
	sched_cycle_init(&cy, &c, p);
	sched_score_nodes(&cy, nodes, 2, total);
	ASSERT(total[1] > total[0]);
	sched_cycle_release(&cy);
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

/* Regression: a pod whose only spread constraints are hard ones scores nothing for spreading
 * and leaks nothing (the ASan build checks). */
TEST_IMPL(sched_score_hard_spread_only)
{
	struct sched_cluster c;
	sched_cluster_init(&c);
	struct sched_node *a = node(&c, "a", "4", "8Gi", "'labels':{'kubernetes.io/hostname':'a'}", NULL);
	struct sched_node *b = node(&c, "b", "4", "8Gi", "'labels':{'kubernetes.io/hostname':'b'}", NULL);
	struct sched_pod *p = pod("{'metadata':{'name':'p','namespace':'d','labels':{'app':'w'}},'spec':"
				  "{'topologySpreadConstraints':[{'maxSkew':1,'topologyKey':'kubernetes.io/hostname',"
				  "'whenUnsatisfiable':'DoNotSchedule','labelSelector':{'matchLabels':{'app':'w'}}}]}}");
	struct sched_cycle cy;
	struct sched_node *nodes[2] = { a, b };
	int64_t total[2];
	sched_cycle_init(&cy, &c, p);
	sched_score_nodes(&cy, nodes, 2, total);
	ASSERT_EQ(total[0], total[1]);
	sched_cycle_release(&cy);
	sched_pod_unref(p);
	sched_cluster_release(&c);
	return 0;
}

TEST_IMPL(sched_queue_order)
{
	struct sched_queue q;
	sched_queue_init(&q);
	struct sched_pod *low = pod("{'metadata':{'name':'low','namespace':'d'},'spec':{'priority':1}}");
	struct sched_pod *high = pod("{'metadata':{'name':'high','namespace':'d'},'spec':{'priority':100}}");
	struct sched_pod *low2 = pod("{'metadata':{'name':'low2','namespace':'d'},'spec':{'priority':1}}");
	sched_queue_upsert(&q, "d/low", low, 1);
	sched_queue_upsert(&q, "d/high", high, 2);
	sched_queue_upsert(&q, "d/low2", low2, 3);
	struct sched_qpod *x = sched_queue_pop(&q);
	ASSERT_STR(x->key, "d/high");
	x = sched_queue_pop(&q);
	ASSERT_STR(x->key, "d/low");
	/* Unschedulable: moved by an event for its rejecting plugin, then backs off 1 s. */
	sched_queue_unschedulable(&q, x, SP_FIT, 1000);
	ASSERT_EQ(sched_queue_move(&q, SP_TAINT, 1500, 0), 0);
	ASSERT_EQ(sched_queue_move(&q, SP_FIT, 1500, 0), 1);
	ASSERT_EQ(x->where, SQ_BACKOFF);
	ASSERT_EQ(sched_queue_flush_backoff(&q, 1600), 2000);
	ASSERT_EQ(sched_queue_flush_backoff(&q, 2000), 0);
	ASSERT_EQ(x->where, SQ_ACTIVE);
	ASSERT_EQ(sched_backoff_ms(1), 1000);
	ASSERT_EQ(sched_backoff_ms(3), 4000);
	ASSERT_EQ(sched_backoff_ms(9), 10000);
	sched_queue_delete(&q, "d/low2");
	ASSERT_STR(sched_queue_pop(&q)->key, "d/low");
	ASSERT(!sched_queue_pop(&q));
	sched_pod_unref(low);
	sched_pod_unref(high);
	sched_pod_unref(low2);
	sched_queue_release(&q);
	return 0;
}

TEST_IMPL(sched_pod_condition)
{
	cJSON *p = js("{'status':{'conditions':[{'type':'Ready','status':'False'}]}}");
	ASSERT(sched_set_condition(p, "PodScheduled", "False", "Unschedulable", "0/1 nodes are available"));
	ASSERT(!sched_set_condition(p, "PodScheduled", "False", "Unschedulable", "0/1 nodes are available"));
	ASSERT(sched_set_condition(p, "PodScheduled", "True", NULL, NULL));
	cJSON *c = cJSON_GetArrayItem(json_getv(p, "status", "conditions", NULL), 1);
	ASSERT_STR(json_str(c, "status"), "True");
	ASSERT(!json_str(c, "reason"));
	ASSERT(json_str(c, "lastTransitionTime"));
	cJSON_Delete(p);
	return 0;
}

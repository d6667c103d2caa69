/* Unit tests for the HorizontalPodAutoscaler versions (server/hpa.c): the autoscaling/v1 view
 * of a stored v2 object and back, with the v2-only fields carried in upstream's annotations,
 * v2's defaults, and the ReplicationController defaults (server/defaults.c), all pure JSON
 * transformations. */
#include "test.h"
#include "buf.h"
#include "json.h"
#include "util.h"
#include "server/internal.h"
#include "server/kinds.h"

/* Parses JSON written with ' for " (test fixtures only). */
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

static int same(const cJSON *a, const char *want)
{
	cJSON *w = js(want);
	int eq = cJSON_Compare(a, w, 1);
	if (!eq) {
		char *got = json_print_str(a);
		fprintf(stderr, "  got  %s\n  want %s\n", got, want);
		free(got);
	}
	cJSON_Delete(w);
	return eq;
}

#define V2_SPEC "{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'h'}," \
	"'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'minReplicas':1,'maxReplicas':5," \
	"'metrics':[{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue','averageValue':'1Gi'}}}," \
	"{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':50}}}]}," \
	"'status':{'desiredReplicas':2,'conditions':[{'type':'AbleToScale','status':'True'}]}}"

TEST_IMPL(hpa_v2_to_v1_and_back)
{
	cJSON *obj = js(V2_SPEC), *orig = js(V2_SPEC);
	hpa_v1_view.out(obj);
	ASSERT(same(json_obj(obj, "spec"), "{'scaleTargetRef':{'kind':'Deployment','name':'web'},'minReplicas':1,"
					   "'maxReplicas':5,'targetCPUUtilizationPercentage':50}"));
	ASSERT(same(json_obj(obj, "status"), "{'desiredReplicas':2,'currentReplicas':0}"));
	ASSERT_STR(json_strv(obj, "metadata", "annotations", "autoscaling.alpha.kubernetes.io/metrics", NULL),
		   "[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\",\"targetAverageValue\":\"1Gi\"}}]");
	ASSERT(json_strv(obj, "metadata", "annotations", "autoscaling.alpha.kubernetes.io/conditions", NULL) != NULL);
	ASSERT_STR(json_str(obj, "apiVersion"), "autoscaling/v1");
	hpa_v1_view.in(obj);
	/* Back in v2 the CPU metric comes first, as upstream's conversion puts it. */
	cJSON *m = json_getv(orig, "spec", "metrics", NULL);
	cJSON_AddItemToArray(m, cJSON_DetachItemFromArray(m, 0));
	json_del(json_obj(orig, "metadata"), "annotations");
	ASSERT(cJSON_Compare(obj, orig, 1));
	cJSON_Delete(obj);
	cJSON_Delete(orig);
	return 0;
}

TEST_IMPL(hpa_v1_defaults)
{
	cJSON *obj = js("{'apiVersion':'autoscaling/v1','kind':'HorizontalPodAutoscaler','metadata':{'name':'h'},"
			"'spec':{'scaleTargetRef':{'kind':'ReplicationController','name':'rc'},'maxReplicas':3}}");
	defaults_hpa_v1(obj);
	ASSERT_EQ(json_getv(obj, "spec", "minReplicas", NULL)->valuedouble, 1);
	hpa_v1_view.in(obj);
	ASSERT(same(json_getv(obj, "spec", "metrics", NULL),
		    "[{'type':'Resource','resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':80}}}]"));
	ASSERT(!json_getv(obj, "spec", "behavior", NULL));
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(hpa_behavior_defaults)
{
	cJSON *obj = js("{'spec':{'maxReplicas':3,'minReplicas':2,'behavior':{'scaleUp':{'selectPolicy':'Min'}}}}");
	defaults_hpa(obj);
	ASSERT(same(json_getv(obj, "spec", "behavior", NULL),
		    "{'scaleUp':{'selectPolicy':'Min','stabilizationWindowSeconds':0,'policies':["
		    "{'type':'Pods','value':4,'periodSeconds':15},{'type':'Percent','value':100,'periodSeconds':15}]},"
		    "'scaleDown':{'stabilizationWindowSeconds':300,'selectPolicy':'Max','policies':["
		    "{'type':'Percent','value':100,'periodSeconds':15}]}}"));
	ASSERT_EQ(json_getv(obj, "spec", "minReplicas", NULL)->valuedouble, 2);
	cJSON_Delete(obj);
	return 0;
}

TEST_IMPL(rc_defaults_from_template)
{
	cJSON *obj = js("{'metadata':{'name':'r'},'spec':{'template':{'metadata':{'labels':{'a':'b'}},"
			"'spec':{'containers':[{'name':'c','image':'i'}]}}}}");
	defaults_replicationcontroller(obj);
	ASSERT(same(json_getv(obj, "spec", "selector", NULL), "{'a':'b'}"));
	ASSERT(same(json_getv(obj, "metadata", "labels", NULL), "{'a':'b'}"));
	ASSERT_EQ(json_getv(obj, "spec", "replicas", NULL)->valuedouble, 1);
	cJSON_Delete(obj);
	/* Given a selector and labels, neither is replaced; without a template nothing is made up. */
	obj = js("{'metadata':{'name':'r','labels':{'x':'y'}},'spec':{'selector':{'a':'b'},'replicas':0,"
		 "'template':{'metadata':{'labels':{'a':'b','c':'d'}}}}}");
	defaults_replicationcontroller(obj);
	ASSERT(same(json_getv(obj, "spec", "selector", NULL), "{'a':'b'}"));
	ASSERT(same(json_getv(obj, "metadata", "labels", NULL), "{'x':'y'}"));
	ASSERT_EQ(json_getv(obj, "spec", "replicas", NULL)->valuedouble, 0);
	cJSON_Delete(obj);
	obj = js("{'metadata':{'name':'r'},'spec':{}}");
	defaults_replicationcontroller(obj);
	ASSERT(!json_getv(obj, "spec", "template", NULL) && !json_getv(obj, "spec", "selector", NULL));
	cJSON_Delete(obj);
	return 0;
}

/* Every metric source and the behavior go through v1's annotations and come back unchanged. */
#define V2_ALL "{'apiVersion':'autoscaling/v2','kind':'HorizontalPodAutoscaler','metadata':{'name':'h'}," \
	"'spec':{'scaleTargetRef':{'kind':'Deployment','name':'web'},'minReplicas':1,'maxReplicas':5,'metrics':[" \
	"{'type':'Object','object':{'describedObject':{'kind':'Service','name':'s'},'metric':{'name':'rps'}," \
	"'target':{'type':'Value','value':'10'}}}," \
	"{'type':'Pods','pods':{'metric':{'name':'qps','selector':{'matchLabels':{'a':'b'}}}," \
	"'target':{'type':'AverageValue','averageValue':'5'}}}," \
	"{'type':'ContainerResource','containerResource':{'name':'cpu','container':'c'," \
	"'target':{'type':'Utilization','averageUtilization':60}}}," \
	"{'type':'External','external':{'metric':{'name':'q'},'target':{'type':'AverageValue','averageValue':'3'}}}]," \
	"'behavior':{'scaleUp':{'stabilizationWindowSeconds':0,'selectPolicy':'Max'," \
	"'policies':[{'type':'Pods','value':4,'periodSeconds':15}]}}}," \
	"'status':{'desiredReplicas':2,'currentReplicas':1,'currentMetrics':[" \
	"{'type':'Pods','pods':{'metric':{'name':'qps'},'current':{'averageValue':'4'}}}]}}"

TEST_IMPL(hpa_every_metric_round_trip)
{
	cJSON *obj = js(V2_ALL);
	hpa_v1_view.out(obj);
	ASSERT(!json_getv(obj, "spec", "targetCPUUtilizationPercentage", NULL));
	const char *m = json_strv(obj, "metadata", "annotations", "autoscaling.alpha.kubernetes.io/metrics", NULL);
	ASSERT(m && strstr(m, "{\"type\":\"Object\",\"object\":{\"target\":{\"kind\":\"Service\",\"name\":\"s\"},"
			      "\"metricName\":\"rps\",\"targetValue\":\"10\"}}"));
	ASSERT(strstr(m, "\"external\":{\"metricName\":\"q\",\"targetAverageValue\":\"3\"}"));
	ASSERT_STR(json_strv(obj, "metadata", "annotations", "autoscaling.alpha.kubernetes.io/current-metrics", NULL),
		   "[{\"type\":\"Pods\",\"pods\":{\"metricName\":\"qps\",\"currentAverageValue\":\"4\"}}]");
	ASSERT_STR(json_strv(obj, "metadata", "annotations", "autoscaling.alpha.kubernetes.io/behavior", NULL),
		   "{\"ScaleUp\":{\"StabilizationWindowSeconds\":0,\"SelectPolicy\":\"Max\",\"Policies\":"
		   "[{\"Type\":\"Pods\",\"Value\":4,\"PeriodSeconds\":15}]}}");
	hpa_v1_to_v2(obj);
	ASSERT(same(obj, V2_ALL));
	cJSON_Delete(obj);
	return 0;
}

/*
 * controllers.c - which controllers and schedulers run, started once this server leads.
 */
#include "server/ctrl.h"

/* Each controller's entry (ctrl_<name>.c, sched.c), started in this order. */
#define CONTROLLERS(X) \
	X(sched) X(ctrl_deployment) X(ctrl_replicaset) X(ctrl_daemonset) X(ctrl_statefulset) X(ctrl_job) \
	X(ctrl_cronjob) X(ctrl_gc) X(ctrl_nodelifecycle) X(ctrl_endpoints) X(ctrl_serviceaccount) X(ctrl_podgc) \
	X(ctrl_disruption) X(ctrl_nodeipam) X(ctrl_servicelb) \
	X(ctrl_pv) X(ctrl_quota) X(ctrl_csr) X(ctrl_crd)

#define DECLARE(name) void name##_start(struct ctrl_mgr *m);
CONTROLLERS(DECLARE)
#undef DECLARE

void controllers_start(struct ctrl_mgr *m, void *data)
{
	UNUSED(data);
#define START(name) name##_start(m);
	CONTROLLERS(START)
#undef START
}

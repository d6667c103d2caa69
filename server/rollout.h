/*
 * rollout.h - the Deployment rollout arithmetic (pure, unit-tested) and the entries of the
 * Deployment, ReplicaSet, garbage-collector and ServiceAccount controllers.
 */
#ifndef KUBE_ROLLOUT_H
#define KUBE_ROLLOUT_H

#include <stdint.h>

#include "server/ctrl.h"

/* Controller entries (called by controllers_start once this server leads). */
void ctrl_deployment_start(struct ctrl_mgr *m);
/* Starts the ReplicaSet controller and, on the same code, the ReplicationController one. */
void ctrl_replicaset_start(struct ctrl_mgr *m);
void ctrl_gc_start(struct ctrl_mgr *m);
void ctrl_serviceaccount_start(struct ctrl_mgr *m);

/* Upstream's GetScaledValueFromIntOrPercent: v is an integer or "N%" (a JSON number or
 * string); a percentage of total rounded up or down. Returns 0, or -1 when v is neither. */
int rollout_scaled_value(const cJSON *v, int64_t total, int round_up, int64_t *out);

/* Upstream's ResolveFenceposts for a Deployment's spec (maxSurge rounded up, maxUnavailable
 * down, both percentages of spec.replicas; both 0 makes maxUnavailable 1). */
void rollout_fenceposts(const cJSON *d, int64_t *surge, int64_t *unavailable);
/* MaxSurge / MaxUnavailable of a Deployment (0 unless RollingUpdate; maxUnavailable at most
 * spec.replicas). */
int64_t rollout_max_surge(const cJSON *d);
int64_t rollout_max_unavailable(const cJSON *d);

/* Upstream's NewRSNewReplicas for a rolling update: how many replicas the new ReplicaSet may
 * have, given desired replicas, maxSurge, the replicas of all ReplicaSets (spec, summed) and
 * the new one's. */
int64_t rollout_new_rs_replicas(int64_t desired, int64_t max_surge, int64_t all_replicas, int64_t new_replicas);

/* Upstream's reconcileOldReplicaSets bound: how many old replicas may go at most (<= 0: none).
 * all_replicas sums spec.replicas of all ReplicaSets; new_unavailable is the new ReplicaSet's
 * spec.replicas minus its available replicas. */
int64_t rollout_max_scaled_down(int64_t desired, int64_t max_unavailable, int64_t all_replicas,
				int64_t new_unavailable);

/* Upstream's getReplicaSetFraction and GetProportion: a ReplicaSet's share (negative when
 * scaling down) of to_add replicas, of which added are already given out. rs_replicas is its
 * spec.replicas, rs_max its max-replicas annotation (0 when absent), status_replicas the
 * Deployment's status.replicas. */
int64_t rollout_proportion(int64_t rs_replicas, int64_t rs_max, int64_t desired, int64_t max_surge,
			   int64_t status_replicas, int64_t to_add, int64_t added);

/* Upstream's SetNewReplicaSetAnnotations history step: the revision-history annotation after
 * old_revision is pushed onto history (may be NULL or ""), keeping it under limit characters.
 * Returns a malloc'd string, or NULL when it cannot fit. */
char *rollout_push_history(const char *history, const char *old_revision, size_t limit);

#endif
